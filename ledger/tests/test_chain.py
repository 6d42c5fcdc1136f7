"""The hash chain alone, without a database."""

from __future__ import annotations

import pytest

from ledger.chain import (
    GENESIS,
    Entry,
    canonical_json,
    checkpoint_message,
    entry_hash,
    merkle_check,
    merkle_leaf,
    merkle_node,
    merkle_proof,
    merkle_root,
    sm3_hex,
    verify_stream,
)


def _chain(n: int) -> list[Entry]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        body = {"seq": seq, "action": "step", "payload": {"金额": "5000.00"}}
        h = entry_hash(prev, body)
        entries.append(Entry("case:1", seq, prev, h, body))
        prev = h
    return entries


def test_sm3_matches_the_standards_own_example():
    # GB/T 32905-2016 Appendix A.1: SM3("abc").
    assert sm3_hex("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_canonical_json_is_independent_of_key_order_and_keeps_chinese():
    assert canonical_json({"b": 1, "a": "执法"}) == canonical_json({"a": "执法", "b": 1})
    assert canonical_json({"a": "执法"}) == '{"a":"执法"}'


def test_an_intact_chain_verifies():
    assert verify_stream("case:1", _chain(5)) is None


def test_a_changed_body_is_caught_at_that_entry():
    entries = _chain(5)
    e = entries[2]
    entries[2] = Entry(e.stream, e.seq, e.prev_hash, e.hash, {**e.body, "action": "forged"})
    broken = verify_stream("case:1", entries)
    assert broken is not None and broken.seq == 3 and "篡改" in broken.reason


def test_a_removed_entry_is_caught_where_the_gap_is():
    entries = _chain(5)
    del entries[1]
    broken = verify_stream("case:1", entries)
    assert broken is not None and broken.seq == 2


def test_two_swapped_entries_are_caught():
    entries = _chain(5)
    a, b = entries[1], entries[2]
    entries[1] = Entry(b.stream, 2, b.prev_hash, b.hash, b.body)
    entries[2] = Entry(a.stream, 3, a.prev_hash, a.hash, a.body)
    broken = verify_stream("case:1", entries)
    assert broken is not None and broken.seq == 2


def _heads(n: int) -> list[tuple[str, int, str]]:
    return [(f"case:{i}", i + 1, sm3_hex(str(i))) for i in range(n)]


def test_every_head_of_a_checkpoint_has_a_proof_that_reaches_its_root():
    for n in range(1, 10):
        heads = _heads(n)
        root = merkle_root(heads)
        for head in heads:
            assert merkle_check(head, merkle_proof(heads, head), root), (n, head)


def test_a_proof_is_as_long_as_the_tree_is_deep():
    heads = _heads(8)
    assert [len(merkle_proof(heads, h)) for h in heads] == [3] * 8
    assert merkle_proof(_heads(1), _heads(1)[0]) == []
    assert merkle_root(_heads(1)) == merkle_leaf(*_heads(1)[0])


def test_the_root_is_over_the_heads_in_sorted_order_and_changes_with_any_head():
    heads = _heads(5)
    assert merkle_root(list(reversed(heads))) == merkle_root(heads)
    stream, seq, digest = heads[4]
    assert merkle_root([*heads[:4], (stream, seq + 1, digest)]) != merkle_root(heads)
    assert merkle_root([]) == GENESIS


def test_a_tampered_proof_fails():
    heads = _heads(6)
    root = merkle_root(heads)
    head = heads[2]
    path = merkle_proof(heads, head)
    assert not merkle_check(head, [{**path[0], "hash": sm3_hex("x")}, *path[1:]], root)
    flipped = "left" if path[0]["side"] == "right" else "right"
    assert not merkle_check(head, [{**path[0], "side": flipped}, *path[1:]], root)
    assert not merkle_check(head, [{**path[0], "side": "up"}, *path[1:]], root)
    assert not merkle_check((head[0], head[1] + 1, head[2]), path, root)
    assert not merkle_check(head, path[:-1], root)


def test_a_head_outside_the_checkpoint_has_no_proof():
    heads = _heads(3)
    with pytest.raises(ValueError):
        merkle_proof(heads, ("case:99", 1, GENESIS))


def test_a_leaf_and_a_node_over_the_same_text_differ():
    a, b = sm3_hex("a"), sm3_hex("b")
    assert merkle_node(a, b) != sm3_hex(a + b)
    assert merkle_leaf("s", 1, a) != merkle_node("s", a)


def test_the_signed_message_names_time_chain_hash_and_root_canonically():
    message = checkpoint_message("2025-03-03T01:00:00+00:00", "p" * 64, "h" * 64, "r" * 64)
    assert (
        message
        == (
            '{"at":"2025-03-03T01:00:00+00:00","hash":"'
            + "h" * 64
            + '","merkle_root":"'
            + "r" * 64
            + '","prev_hash":"'
            + "p" * 64
            + '"}'
        ).encode()
    )
