from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ledger import chain
from ledger.models import Checkpoint, CheckpointItem, Entry, Head

SYSTEM_ACTOR = "系统"


def ledger_append(
    *,
    stream: str,
    action: str,
    payload: dict[str, Any],
    actor_id: int | None,
    actor_name: str,
    role: str,
) -> Entry:
    """Append one entry to a stream. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_append must run inside the action's transaction")
    head = Head.objects.select_for_update().filter(stream=stream).first()
    prev_hash, seq = (head.hash, head.seq + 1) if head else (chain.GENESIS, 1)
    entry = Entry(
        stream=stream,
        seq=seq,
        prev_hash=prev_hash,
        at=timezone.now(),
        actor_id=actor_id,
        actor_name=actor_name,
        role=role,
        action=action,
        # Normalise through canonical JSON so what is hashed is exactly what is read back.
        payload=json.loads(chain.canonical_json(payload)),
    )
    entry.hash = chain.entry_hash(prev_hash, entry.body())
    entry.save(force_insert=True)
    if head:
        Head.objects.filter(stream=stream).update(seq=seq, hash=entry.hash)
    else:
        Head.objects.create(stream=stream, seq=seq, hash=entry.hash)
    return entry


@transaction.atomic
def ledger_checkpoint() -> Checkpoint | None:
    """Fold the heads of every stream that moved since the last checkpoint into a new one."""
    last = Checkpoint.objects.select_for_update().order_by("-id").first()
    moved = list(
        Head.objects.select_for_update()
        .filter(seq__gt=F("checkpointed_seq"))
        .values_list("stream", "seq", "hash")
    )
    if not moved:
        return None
    prev = last.hash if last else chain.GENESIS
    cp = Checkpoint.objects.create(
        at=timezone.now(), prev_hash=prev, hash=chain.checkpoint_hash(prev, moved)
    )
    CheckpointItem.objects.bulk_create(
        CheckpointItem(checkpoint=cp, stream=s, seq=q, hash=h) for s, q, h in moved
    )
    for s, q, _h in moved:
        Head.objects.filter(stream=s).update(checkpointed_seq=q)
    return cp


def _entries_by_stream(stream: str | None) -> Iterator[tuple[str, Iterator[Entry]]]:
    qs = Entry.objects.order_by("stream", "seq")
    if stream:
        qs = qs.filter(stream=stream)
    return groupby(qs.iterator(chunk_size=5000), key=lambda e: e.stream)


def ledger_verify(*, stream: str | None = None) -> list[chain.Break]:
    """Check every stream, its head and every checkpoint. Returns the breaks found (first per
    stream); an empty list means the record is intact."""
    breaks: list[chain.Break] = []
    heads = (
        {h.stream: h for h in Head.objects.all()}
        if stream is None
        else {h.stream: h for h in Head.objects.filter(stream=stream)}
    )
    last_seen: dict[str, tuple[int, str]] = {}
    seen_hashes: dict[tuple[str, int], str] = {}
    for name, group in _entries_by_stream(stream):
        entries = list(group)
        broken = chain.verify_stream(
            name,
            (chain.Entry(e.stream, e.seq, e.prev_hash, e.hash, e.body()) for e in entries),
        )
        if broken:
            breaks.append(broken)
        last_seen[name] = (entries[-1].seq, entries[-1].hash)
        for e in entries:
            seen_hashes[(e.stream, e.seq)] = e.hash
    for name, head in heads.items():
        seq_hash = last_seen.get(name)
        if seq_hash is None:
            breaks.append(chain.Break(name, 1, "记录链整条缺失"))
        elif seq_hash != (head.seq, head.hash) and not any(b.stream == name for b in breaks):
            breaks.append(
                chain.Break(name, min(seq_hash[0], head.seq) + 1, "末条记录被删除或与链头不符")
            )
    prev = chain.GENESIS
    for cp in Checkpoint.objects.order_by("id").prefetch_related("items"):
        items = [(i.stream, i.seq, i.hash) for i in cp.items.all()]
        if cp.prev_hash != prev or chain.checkpoint_hash(prev, items) != cp.hash:
            breaks.append(chain.Break(f"checkpoint:{cp.id}", cp.id, "检查点被篡改"))
            break
        prev = cp.hash
        for s, q, h in items:
            if stream is not None and s != stream:
                continue
            if seen_hashes.get((s, q)) != h and not any(b.stream == s for b in breaks):
                breaks.append(chain.Break(s, q, f"检查点{cp.id}所记的记录已被改动或删除"))
    return breaks
