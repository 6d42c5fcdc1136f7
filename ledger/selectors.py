"""Reads of the ledger for the public: its signed checkpoints and the inclusion proof of a
stream's head in one of them."""

from __future__ import annotations

from typing import Any

from ledger import chain, signing
from ledger.models import Checkpoint, CheckpointItem
from ledger.services import checkpoint_record

# The signed message (ledger.chain.checkpoint_message) as a published description.
SIGNED_MESSAGE = '{"at":…,"hash":…,"merkle_root":…,"prev_hash":…}（键名排序、无空白的 UTF-8 JSON）'
SM2_USER_ID = "1234567812345678"  # GB/T 35276's default distinguishing ID, as gmssl signs


def signed_checkpoints(
    *, after: int = 0, limit: int = 100, newest_first: bool = False
) -> list[dict[str, Any]]:
    qs = Checkpoint.objects.filter(pk__gt=after, signature__isnull=False)
    qs = qs.order_by("-id" if newest_first else "id")[:limit]
    return [checkpoint_record(cp) for cp in qs]


def signing_public_key() -> str | None:
    return signing.public_key()


def inclusion_proof(stream: str) -> dict[str, Any] | None:
    """The proof that the stream's last checkpointed head is in a signed checkpoint: the head,
    the Merkle path to the checkpoint's root and the checkpoint with its signature (None when no
    checkpoint holds the stream yet). A self-contained JSON document for scripts/verify_proof.py."""
    item = (
        CheckpointItem.objects.filter(stream=stream, checkpoint__signature__isnull=False)
        .select_related("checkpoint")
        .order_by("-checkpoint_id")
        .first()
    )
    if item is None:
        return None
    cp = item.checkpoint
    heads = list(cp.items.values_list("stream", "seq", "hash"))
    head = (item.stream, item.seq, item.hash)
    return {
        "head": {"stream": item.stream, "seq": item.seq, "hash": item.hash},
        "path": chain.merkle_proof(heads, head),
        "checkpoint": checkpoint_record(cp),
        "public_key": signing.public_key(),
    }
