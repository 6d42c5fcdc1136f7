"""The hash chain alone, without a database."""

from __future__ import annotations

from ledger.chain import GENESIS, Entry, canonical_json, entry_hash, sm3_hex, verify_stream


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
