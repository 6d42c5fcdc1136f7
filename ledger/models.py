from __future__ import annotations

import datetime as dt

from django.db import models

from ledger import chain


class Entry(models.Model):
    """One append-only ledger entry. Never updated or deleted by the application."""

    stream = models.CharField(max_length=40)
    seq = models.PositiveIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=50)
    role = models.CharField(max_length=20)
    action = models.CharField(max_length=40)
    payload = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("stream", "seq"), name="uniq_ledger_stream_seq")
        ]
        verbose_name = "全过程记录"

    def body(self) -> dict[str, object]:
        return {
            "stream": self.stream,
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "role": self.role,
            "action": self.action,
            "payload": self.payload,
        }


class Head(models.Model):
    """The last entry of a stream; its row lock serialises appends to that stream only."""

    stream = models.CharField(max_length=40, primary_key=True)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    checkpointed_seq = models.PositiveIntegerField(default=0)


class Checkpoint(models.Model):
    """A chained checkpoint over the heads of the streams that moved since the previous one,
    signed with the platform's SM2 key (ledger.signing) over its time, hash and Merkle root."""

    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Nullable so that adding them keeps the table (and its append-only triggers) in place.
    merkle_root = models.CharField(max_length=64, null=True)  # noqa: DJ001
    signature = models.CharField(max_length=128, null=True)  # noqa: DJ001

    def message(self) -> bytes:
        return chain.checkpoint_message(
            self.at.astimezone(dt.UTC).isoformat(),
            self.prev_hash,
            self.hash,
            self.merkle_root or "",
        )


class CheckpointItem(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="items")
    stream = models.CharField(max_length=40)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=("stream", "seq"))]
