from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Collate

from ledger import chain, signing
from ledger.models import Checkpoint, CheckpointItem, Entry, Head
from zhifa import clock
from zhifa.rows import cursor as sql_cursor

SYSTEM_ACTOR = "系统"
_ENTRY = Entry._meta.db_table
_HEAD = Head._meta.db_table


@dataclass(frozen=True)
class StreamHead:
    """A stream's last entry as its caller read it (seq 0: the stream has no entry yet)."""

    seq: int
    hash: str
    EMPTY: ClassVar[StreamHead]


StreamHead.EMPTY = StreamHead(0, chain.GENESIS)


class StreamMoved(Exception):
    """The stream's head moved after the caller read it: another action appended first. The
    caller's transaction must roll back; the action can be taken again."""


def ledger_append(
    *,
    stream: str,
    action: str,
    payload: dict[str, Any],
    actor_id: int | None,
    actor_name: str,
    role: str,
    head: StreamHead | None = None,
) -> Entry:
    """Append one entry to a stream. Must run inside the caller's transaction.

    Every action of the city passes here, so it speaks SQL directly rather than through the ORM:
    lock and read the stream's head, insert the entry, move the head. A caller that read the head
    already (with the row it locks, cases.steppath) passes it as `head`: the head then moves by a
    compare-and-set on that seq, and StreamMoved is raised when another action moved it first.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_append must run inside the action's transaction")
    with sql_cursor() as cursor:
        if head is None:
            lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
            cursor.execute(f"SELECT seq, hash FROM {_HEAD} WHERE stream = %s{lock}", [stream])
            row = cursor.fetchone()
            head = StreamHead(row[0], row[1]) if row else StreamHead.EMPTY
            moved = _move_head
        else:
            moved = _swap_head
        prev_hash, seq = head.hash, head.seq + 1
        entry = Entry(
            stream=stream,
            seq=seq,
            prev_hash=prev_hash,
            # UTC, as the database gives it back, so the hashed body reads back identically.
            at=clock.now().astimezone(dt.UTC),
            actor_id=actor_id,
            actor_name=actor_name,
            role=role,
            action=action,
            # Normalise through canonical JSON so what is hashed is exactly what is read back.
            payload=json.loads(chain.canonical_json(payload)),
        )
        entry.hash = chain.entry_hash(prev_hash, entry.body())
        ops = connection.ops
        values: list[Any] = [
            stream,
            seq,
            prev_hash,
            entry.hash,
            ops.adapt_datetimefield_value(entry.at),
            actor_id,
            actor_name,
            role,
            action,
            ops.adapt_json_value(entry.payload, None),
        ]
        if moved is _swap_head and connection.vendor == "postgresql":
            # One round trip: the head's compare-and-set and the entry, the entry inserted only
            # when the head moved (a data-modifying WITH; SQLite has none).
            cursor.execute(
                _SWAP_AND_INSERT[bool(head.seq)],
                [*_swap_params(head, stream, seq, entry.hash), *values],
            )
            row = cursor.fetchone()
            if row is None:
                raise StreamMoved(stream)
        else:
            moved(cursor, stream, head.seq, seq, entry.hash)
            cursor.execute(
                f"INSERT INTO {_ENTRY} ({_COLUMNS}) VALUES ({_MARKS}) RETURNING id", values
            )
            row = cursor.fetchone()
        assert row is not None
        entry.pk = row[0]
    return entry


_COLUMNS = "stream, seq, prev_hash, hash, at, actor_id, actor_name, role, action, payload"
_MARKS = ", ".join(["%s"] * 10)
# The head moved (UPDATE on the seq read, or INSERT of a new stream's), then the entry from it.
_SWAP_AND_INSERT = {
    True: (
        f"WITH h AS (UPDATE {_HEAD} SET seq = %s, hash = %s WHERE stream = %s AND seq = %s "
        f"RETURNING 1) INSERT INTO {_ENTRY} ({_COLUMNS}) SELECT {_MARKS} FROM h RETURNING id"
    ),
    False: (
        f"WITH h AS (INSERT INTO {_HEAD} (stream, seq, hash, checkpointed_seq) "
        "VALUES (%s, %s, %s, 0) ON CONFLICT (stream) DO NOTHING RETURNING 1) "
        f"INSERT INTO {_ENTRY} ({_COLUMNS}) SELECT {_MARKS} FROM h RETURNING id"
    ),
}


def _swap_params(head: StreamHead, stream: str, seq: int, digest: str) -> list[Any]:
    if head.seq:
        return [seq, digest, stream, head.seq]
    return [stream, seq, digest]


def _move_head(cursor: Any, stream: str, was: int, seq: int, digest: str) -> None:
    """Move a head the caller holds locked (or create it)."""
    if was:
        cursor.execute(
            f"UPDATE {_HEAD} SET seq = %s, hash = %s WHERE stream = %s", [seq, digest, stream]
        )
    else:
        cursor.execute(
            f"INSERT INTO {_HEAD} (stream, seq, hash, checkpointed_seq) VALUES (%s, %s, %s, 0)",
            [stream, seq, digest],
        )


def _swap_head(cursor: Any, stream: str, was: int, seq: int, digest: str) -> None:
    """Move a head read without its lock, only if it still stands where it was read (one
    statement either way); before the entry is inserted, so a lost race never reaches it."""
    if was:
        cursor.execute(
            f"UPDATE {_HEAD} SET seq = %s, hash = %s WHERE stream = %s AND seq = %s",
            [seq, digest, stream, was],
        )
        if cursor.rowcount != 1:
            raise StreamMoved(stream)
    else:
        cursor.execute(
            f"INSERT INTO {_HEAD} (stream, seq, hash, checkpointed_seq) VALUES (%s, %s, %s, 0) "
            "ON CONFLICT (stream) DO NOTHING",
            [stream, seq, digest],
        )
        if cursor.rowcount != 1:
            raise StreamMoved(stream)


@transaction.atomic
def ledger_checkpoint() -> Checkpoint | None:
    """Fold the heads of every stream that moved since the last checkpoint into a new one,
    signed with the platform's SM2 key (ledger.signing) before it is written: the table takes
    no UPDATE."""
    last = Checkpoint.objects.select_for_update().order_by("-id").first()
    moved = list(
        Head.objects.select_for_update()
        .filter(seq__gt=F("checkpointed_seq"))
        .values_list("stream", "seq", "hash")
    )
    if not moved:
        return None
    prev = last.hash if last else chain.GENESIS
    cp = Checkpoint(
        at=clock.now().astimezone(dt.UTC),
        prev_hash=prev,
        hash=chain.checkpoint_hash(prev, moved),
        merkle_root=chain.merkle_root(moved),
    )
    cp.signature = signing.sign(cp.message())
    cp.save(force_insert=True)
    CheckpointItem.objects.bulk_create(
        CheckpointItem(checkpoint=cp, stream=s, seq=q, hash=h) for s, q, h in moved
    )
    for s, q, _h in moved:
        Head.objects.filter(stream=s).update(checkpointed_seq=q)
    return cp


def ledger_checkpoint_due() -> Checkpoint | None:
    """The worker's checkpoint: one once LEDGER_CHECKPOINT_MINUTES have passed since the last
    (read from the database, so several workers make one between them)."""
    last = Checkpoint.objects.order_by("-id").values_list("at", flat=True).first()
    every = dt.timedelta(minutes=settings.LEDGER_CHECKPOINT_MINUTES)
    if last is not None and clock.now() - last < every:
        return None
    return ledger_checkpoint()


def _bytewise(field: str) -> Any:
    """Order text the same way on every database and in Python (merge joins depend on it)."""
    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


def _grouped(rows: Iterator[Any], key: Callable[[Any], Any]) -> Iterator[tuple[Any, list[Any]]]:
    for k, group in groupby(rows, key=key):
        yield k, list(group)


def _merge(*sources: Iterator[tuple[str, list[Any]]]) -> Iterator[tuple[str, list[list[Any]]]]:
    """Walk several (key, rows) streams sorted by key in lockstep, like a SQL full outer join."""
    heads: list[tuple[str, list[Any]] | None] = [next(src, None) for src in sources]
    while any(h is not None for h in heads):
        key = min(h[0] for h in heads if h is not None)
        out: list[list[Any]] = []
        for i, h in enumerate(heads):
            if h is not None and h[0] == key:
                out.append(h[1])
                heads[i] = next(sources[i], None)
            else:
                out.append([])
        yield key, out


# What the apps keep beside the record and must agree with it: each check reads its own rows
# against the streams (cases: every case has its stream, its step is the one its last step entry
# led to) and yields a Break per disagreement. Registered in the apps' AppConfig.ready, since the
# ledger imports no app; called with the one stream asked for, or None for all.
ProjectionCheck = Callable[[str | None], Iterable[chain.Break]]
_CHECKS: dict[str, ProjectionCheck] = {}


def register_check(name: str, check: ProjectionCheck) -> None:
    _CHECKS[name] = check


def ledger_verify(*, stream: str | None = None, all_signatures: bool = False) -> list[chain.Break]:
    """Check every stream, its head and every checkpoint, then that the rows the apps keep agree
    with their streams (register_check); returns the first break of each broken stream (empty
    when the record is intact). Streams rows in one pass, in constant memory per stream, so it
    runs over millions of entries.

    With `stream`, only that stream, its head, its projection and the last checkpoint that holds
    it (its hash and Merkle root over its heads, its signature): through the hash chain, that
    checkpoint vouches for every entry up to the one it holds. What a page asks (the case page,
    the API's record) so costs the same whatever the history held; the chain of all the
    checkpoints is the whole check's."""
    entries = Entry.objects.order_by(_bytewise("stream"), "seq")
    heads = Head.objects.order_by(_bytewise("stream"))
    items = CheckpointItem.objects.order_by(_bytewise("stream"), "seq")
    if stream is not None:
        entries, heads, items = (
            entries.filter(stream=stream),
            heads.filter(stream=stream),
            items.filter(stream=stream),
        )
    breaks: list[chain.Break] = []
    merged = _merge(
        _grouped(entries.iterator(chunk_size=5000), key=lambda e: e.stream),
        _grouped(heads.iterator(chunk_size=5000), key=lambda h: h.stream),
        _grouped(
            items.values_list("stream", "seq", "hash", "checkpoint_id").iterator(chunk_size=5000),
            key=lambda i: i[0],
        ),
    )
    for name, (rows, head_rows, checkpointed) in merged:
        broken = _verify_one(name, rows, head_rows[0] if head_rows else None, checkpointed)
        if broken is not None:
            breaks.append(broken)
    if stream is None:
        broken_cp = _verify_checkpoint_chain(all_signatures=all_signatures)
    else:
        broken_cp = _verify_last_checkpoint_of(stream)
    if broken_cp is not None:
        breaks.append(broken_cp)
    for name in sorted(_CHECKS):
        breaks.extend(_CHECKS[name](stream))
    return breaks


def _verify_one(
    name: str, rows: list[Entry], head: Head | None, checkpointed: list[tuple[str, int, str, int]]
) -> chain.Break | None:
    if not rows:
        return chain.Break(name, 1, "记录链整条缺失")
    broken = chain.verify_stream(
        name, (chain.Entry(e.stream, e.seq, e.prev_hash, e.hash, e.body()) for e in rows)
    )
    if broken is not None:
        return broken
    last = rows[-1]
    if head is None or (head.seq, head.hash) != (last.seq, last.hash):
        return chain.Break(name, last.seq + 1, "末条记录被删除或与链头不符")
    by_seq = {e.seq: e.hash for e in rows}
    for _s, seq, digest, cp_id in checkpointed:
        if by_seq.get(seq) != digest:
            return chain.Break(name, seq, f"检查点{cp_id}所记的记录已被改动或删除")
    # The head remembers how far a checkpoint covered it: that checkpoint must still hold it.
    if head.checkpointed_seq and head.checkpointed_seq not in {i[1] for i in checkpointed}:
        return chain.Break(name, head.checkpointed_seq, "链头所记的检查点已被删除")
    return None


def _verify_checkpoint_chain(*, all_signatures: bool = False) -> chain.Break | None:
    """The chain of checkpoints, each hash over its predecessor and its heads, each Merkle root
    over those heads; and the SM2 signature of the last (which, through the chain, vouches for
    every earlier one) or, with all_signatures, of each. Whoever recomputes the chain without
    the key cannot sign its new last link."""
    prev = chain.GENESIS
    public = signing.public_key()
    items = _grouped(
        CheckpointItem.objects.order_by("checkpoint_id", "id")
        .values_list("checkpoint_id", "stream", "seq", "hash")
        .iterator(chunk_size=5000),
        key=lambda i: i[0],
    )
    pending = next(items, None)
    last: Checkpoint | None = None
    for cp in Checkpoint.objects.order_by("id").iterator(chunk_size=1000):
        rows: list[tuple[int, str, int, str]] = []
        if pending is not None and pending[0] == cp.pk:
            rows = pending[1]
            pending = next(items, None)
        broken = _checkpoint_broken(cp, prev, [(s, q, h) for _c, s, q, h in rows])
        if broken is not None:
            return broken
        if all_signatures and not signing.verify(cp.message(), cp.signature, public):
            return _unsigned(cp)
        prev = cp.hash
        last = cp
    if last is not None and not signing.verify(last.message(), last.signature, public):
        return _unsigned(last)
    return None


def _checkpoint_broken(
    cp: Checkpoint, prev: str, heads: list[tuple[str, int, str]]
) -> chain.Break | None:
    """One checkpoint against its predecessor's hash and its heads: its link and hash, then its
    Merkle root (the chain's walk and one stream's check alike)."""
    if cp.prev_hash != prev or chain.checkpoint_hash(prev, heads) != cp.hash:
        return chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点被篡改")
    if cp.merkle_root != chain.merkle_root(heads):
        return chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点的默克尔根与其链头不符")
    return None


def _verify_last_checkpoint_of(stream: str) -> chain.Break | None:
    """The last checkpoint holding the stream, checked by itself: its hash over its predecessor's
    and its heads, its Merkle root, its signature. Its item for the stream was compared with the
    stream's entries by _verify_one."""
    # By the stream's seq, which its (stream, seq) index serves: a head only moves forward, and
    # a checkpoint takes it only once it moved, so the highest seq is in the last checkpoint.
    # (By checkpoint id, PostgreSQL walked every checkpoint's items backwards to find it.)
    last = (
        CheckpointItem.objects.filter(stream=stream)
        .order_by("-seq")
        .values_list("checkpoint_id", flat=True)
        .first()
    )
    if last is None:
        return None
    cp = Checkpoint.objects.get(pk=last)
    heads = list(
        CheckpointItem.objects.filter(checkpoint_id=cp.pk)
        .order_by("id")
        .values_list("stream", "seq", "hash")
    )
    # Its predecessor as it names it: the signature below covers that link.
    broken = _checkpoint_broken(cp, cp.prev_hash, heads)
    if broken is not None:
        return broken
    if not _signed(cp.message(), cp.signature, signing.public_key()):
        return _unsigned(cp)
    return None


@functools.lru_cache(maxsize=4096)
def _signed(message: bytes, signature: str | None, public: str | None) -> bool:
    """signing.verify, remembered: a checkpoint's message and signature never change, and SM2 in
    pure Python costs tens of milliseconds. Keyed on all three, so a changed checkpoint or key is
    checked afresh."""
    return signing.verify(message, signature, public)


def _unsigned(cp: Checkpoint) -> chain.Break:
    return chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点的签名无效（未经平台签名密钥签署）")


def checkpoint_record(cp: Checkpoint) -> dict[str, Any]:
    """A signed checkpoint as it is published and exported (one witness line)."""
    return {
        "id": cp.pk,
        "at": cp.at.astimezone(dt.UTC).isoformat(),
        "prev_hash": cp.prev_hash,
        "hash": cp.hash,
        "merkle_root": cp.merkle_root,
        "signature": cp.signature,
    }


def ledger_export_checkpoints(after: int = 0) -> Iterator[dict[str, Any]]:
    """The signed checkpoints after id `after`, oldest first, for a witness (the province) to
    keep: `ledger verify --witness` later finds any of them changed or gone."""
    qs = Checkpoint.objects.filter(pk__gt=after).order_by("id")
    for cp in qs.iterator(chunk_size=1000):
        yield {**checkpoint_record(cp), "public_key": signing.public_key()}


def ledger_verify_witness(lines: Iterable[str]) -> list[chain.Break]:
    """Check that the database still holds, unchanged, every checkpoint a witness kept (JSON
    lines of ledger_export_checkpoints). A line the witness's own copy cannot vouch for (its
    signature does not verify under its public key) is reported too."""
    breaks: list[chain.Break] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            kept = json.loads(line)
            pk = int(kept["id"])
            kept_public = str(kept["public_key"])
            message = chain.checkpoint_message(
                str(kept["at"]), str(kept["prev_hash"]), str(kept["hash"]), str(kept["merkle_root"])
            )
        except (ValueError, KeyError, TypeError):
            breaks.append(chain.Break("witness", number, f"见证文件第{number}行无法读取"))
            continue
        name = f"checkpoint:{pk}"
        if not signing.verify(message, kept.get("signature"), kept_public):
            breaks.append(chain.Break(name, pk, f"见证文件第{number}行的签名无效"))
            continue
        cp = Checkpoint.objects.filter(pk=pk).first()
        if cp is None:
            breaks.append(chain.Break(name, pk, "见证文件所记的检查点已从数据库中删除"))
        elif checkpoint_record(cp) != {k: kept.get(k) for k in checkpoint_record(cp)}:
            breaks.append(chain.Break(name, pk, "检查点与见证文件所记不符（已被改写）"))
        elif kept_public != signing.public_key():
            breaks.append(chain.Break(name, pk, "见证文件所记的公钥与平台当前的签名公钥不符"))
    return breaks
