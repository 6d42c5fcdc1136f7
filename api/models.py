from __future__ import annotations

from django.db import models


class IdempotentAnswer(models.Model):
    """The first successful answer to a POST sent with an `Idempotency-Key`: a retry with the same
    key (a client that lost the answer to a committed step) gets it again instead of acting twice.
    Written in the transaction of the action it answers, so the two commit or vanish together."""

    scope = models.CharField(max_length=80)  # whose key: a token's hash or a session's user
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    status = models.PositiveSmallIntegerField(null=True)  # None while the action runs
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "幂等请求"
        constraints = [
            models.UniqueConstraint(fields=("scope", "key"), name="uniq_idempotency_key")
        ]
