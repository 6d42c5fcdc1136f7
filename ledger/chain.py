"""The hash chain of the 全过程记录 (行政处罚法 Art. 47). Pure: no Django imports.

Each entry's hash is SM3 (GB/T 32905, the national standard) over the previous entry's hash and
the entry's canonical JSON body, so changing, removing or reordering any entry breaks every later
link. Chains are per stream (one per case), so writes to different cases never wait on each other;
checkpoints fold the heads of all streams into a chain of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON-serialisable in a ledger payload: {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """One byte string per value: sorted keys, no whitespace, UTF-8 kept as is."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default
    )


def sm3_hex(data: str) -> str:
    return hashlib.new("sm3", data.encode("utf-8")).hexdigest()


def entry_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    return sm3_hex(prev_hash + canonical_json(body))


@dataclass(frozen=True)
class Entry:
    stream: str
    seq: int
    prev_hash: str
    hash: str
    body: Mapping[str, Any]


@dataclass(frozen=True)
class Break:
    stream: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq}: {self.reason}"


def verify_stream(stream: str, entries: Iterable[Entry]) -> Break | None:
    """Return the first broken entry of one stream (entries in seq order), or None."""
    expected_seq = 1
    prev = GENESIS
    for e in entries:
        if e.seq != expected_seq:
            return Break(stream, expected_seq, f"序号不连续（应为{expected_seq}，实为{e.seq}）")
        if e.prev_hash != prev:
            return Break(stream, e.seq, "前序哈希与上一条记录不符（记录被删除或调换）")
        if entry_hash(e.prev_hash, e.body) != e.hash:
            return Break(stream, e.seq, "记录内容与其哈希不符（记录被篡改）")
        prev = e.hash
        expected_seq += 1
    return None


def checkpoint_hash(prev_hash: str, heads: Iterable[tuple[str, int, str]]) -> str:
    """A checkpoint covers (stream, seq, hash) of every stream that moved since the last one."""
    return sm3_hex(prev_hash + canonical_json(sorted(heads)))


# Signed checkpoints and inclusion proofs. A checkpoint's heads are also the leaves of a Merkle
# tree (SM3, leaves and nodes hashed under different prefixes so a node can never pass for a
# leaf), so one stream head can be shown to be in a signed checkpoint by a handful of hashes
# (scripts/verify_proof.py checks such a proof with the standard library alone).


def merkle_leaf(stream: str, seq: int, digest: str) -> str:
    return sm3_hex("leaf:" + canonical_json([stream, seq, digest]))


def merkle_node(left: str, right: str) -> str:
    return sm3_hex("node:" + left + right)


def _levels(heads: Iterable[tuple[str, int, str]]) -> list[list[str]]:
    level = [merkle_leaf(*h) for h in sorted(heads)]
    levels = [level]
    while len(level) > 1:
        nxt = [merkle_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])  # an odd node goes up unchanged
        level = nxt
        levels.append(level)
    return levels


def merkle_root(heads: Iterable[tuple[str, int, str]]) -> str:
    """The root over a checkpoint's heads in their sorted order (GENESIS for none)."""
    levels = _levels(heads)
    return levels[-1][0] if levels[0] else GENESIS


def merkle_proof(
    heads: Iterable[tuple[str, int, str]], head: tuple[str, int, str]
) -> list[dict[str, str]]:
    """The path from `head`'s leaf to the root: each step the sibling's hash and its side."""
    levels = _levels(heads)
    leaf = merkle_leaf(*head)
    if leaf not in levels[0]:
        raise ValueError("the head is not in the checkpoint")
    index = levels[0].index(leaf)
    path: list[dict[str, str]] = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            path.append({"side": "left" if sibling < index else "right", "hash": level[sibling]})
        index //= 2
    return path


def merkle_check(head: tuple[str, int, str], path: Iterable[Mapping[str, str]], root: str) -> bool:
    digest = merkle_leaf(*head)
    for step in path:
        if step.get("side") == "left":
            digest = merkle_node(str(step["hash"]), digest)
        elif step.get("side") == "right":
            digest = merkle_node(digest, str(step["hash"]))
        else:
            return False
    return digest == root


def checkpoint_message(at: str, prev_hash: str, digest: str, root: str) -> bytes:
    """What a checkpoint's SM2 signature covers: its time, its place in the chain, its hash
    (over every head it holds) and the Merkle root of those heads."""
    body = {"at": at, "hash": digest, "merkle_root": root, "prev_hash": prev_hash}
    return canonical_json(body).encode("utf-8")
