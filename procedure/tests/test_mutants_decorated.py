"""The guards that mark what they read or which field they speak for (`needs`, `on_field`), on
their own: before those marks were applied as calls, mutmut skipped every decorated function, so
none of these rules was ever mutated. Each test here kills mutants that survived the first run:
several parties each heard (a rule must not stop at the first), an entry without its party, a key
left out of the input, and a text on its maximum length."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from law.penalties import PenaltyType
from procedure import guards as g
from procedure import preservation, recusal
from procedure.tests.test_mutants_guards import TODAY, act, facts, party, reasons
from procedure.vocab import DecisionOutcome, DeliveryMethod, ExecutionKind, ResponseKind

DAY = TODAY.isoformat()
PENALTY = {
    "outcome": DecisionOutcome.PENALTY.value,
    "decided_on": DAY,
    "penalties": [{"type": PenaltyType.FINE.value, "amount": "500"}],
}


def two(**first: Any) -> Any:
    """Two parties, 甲 (index 0) and 乙 (index 1), notified and decided alike unless changed."""
    base = {"notified": {"penalties": []}, "decision": PENALTY}
    return facts(
        parties=(
            party(index=0, name="甲", **{**base, **first}),
            party(index=1, name="乙", **base),
        )
    )


# --- deliveries ---------------------------------------------------------------------------------

DELIVERED = {"method": DeliveryMethod.DIRECT.value, "delivered_on": DAY}


def test_a_delivery_without_its_party_is_no_partys_delivery():
    found = reasons(
        g.deliveries_valid, two(), act(deliveries=[{"party": 0, **DELIVERED}, DELIVERED])
    )
    assert found == ["请录入当事人“乙”决定书的送达情况"]


def test_no_deliveries_at_all_asks_for_each_partys():
    assert reasons(g.deliveries_valid, two(), act()) == [
        "请录入当事人“甲”决定书的送达情况",
        "请录入当事人“乙”决定书的送达情况",
    ]


def test_a_delivery_left_without_a_witness_key_is_refused():
    left = {"method": DeliveryMethod.LEFT.value, "delivered_on": DAY}
    found = reasons(
        g.deliveries_valid, two(), act(deliveries=[{"party": 0, **left}, {"party": 1, **DELIVERED}])
    )
    assert found == ["留置送达须注明见证人"]


# --- responses ----------------------------------------------------------------------------------

STATED = {"kind": ResponseKind.STATEMENT.value, "statement": "无异议"}


def test_a_response_without_its_party_is_no_partys_response():
    f = dataclasses.replace(two(), response_window_end=TODAY)
    found = reasons(g.responses_complete, f, act(responses=[{"party": 0, **STATED}, STATED]))
    assert len(found) == 1 and "当事人“乙”的陈述申辩" in found[0]


@pytest.mark.parametrize(
    ("first", "entry"),
    [
        ({"notified": None}, None),  # 甲 was not notified: nothing to answer
        ({}, None),  # 甲 has no answer: the window is still open
        ({}, {"party": 0, "kind": "bogus"}),
    ],
)
def test_every_party_is_heard_whatever_the_first_one_lacks(first, entry):
    f = dataclasses.replace(two(**first), response_window_end=TODAY)
    found = reasons(g.responses_complete, f, act(responses=[entry] if entry else []))
    assert any("当事人“乙”的陈述申辩" in r for r in found)


def test_a_statement_without_its_text_key_is_refused():
    f = dataclasses.replace(two(), response_window_end=TODAY)
    answer = [{"party": 0, "kind": ResponseKind.STATEMENT.value}, {"party": 1, **STATED}]
    assert reasons(g.responses_complete, f, act(responses=answer)) == [
        "请录入当事人“甲”陈述申辩的内容"
    ]


# --- executions ---------------------------------------------------------------------------------

PAID = {"kind": ExecutionKind.PAID.value, "paid_on": DAY, "amount": "500"}


def test_an_execution_without_its_party_is_no_partys_execution():
    found = reasons(g.executions_valid, two(), act(executions=[{"party": 0, **PAID}, PAID]))
    assert found == ["请录入当事人“乙”的执行情况"]


@pytest.mark.parametrize(
    ("first", "entry"),
    [
        ({"decision": {"outcome": DecisionOutcome.NO_PENALTY.value}}, None),
        ({}, None),
        ({}, {"party": 0, "kind": "bogus"}),
        ({}, {"party": 0, "kind": ExecutionKind.PAID.value}),  # no day paid
        ({}, {"party": 0, "kind": ExecutionKind.PAID.value, "paid_on": DAY, "amount": "x"}),
        ({}, {"party": 0, "kind": ExecutionKind.PAID.value, "paid_on": DAY, "amount": "1"}),
    ],
)
def test_every_partys_execution_is_checked_whatever_the_first_one_lacks(first, entry):
    found = reasons(g.executions_valid, two(**first), act(executions=[entry] if entry else []))
    assert "请录入当事人“乙”的执行情况" in found


def test_only_the_payable_amounts_make_what_is_owed():
    decision = {
        **PENALTY,
        "penalties": [
            {"type": PenaltyType.FINE.value, "amount": "500"},
            {"type": PenaltyType.WARNING.value, "amount": "100"},  # not a sum to pay
        ],
    }
    f = facts(parties=(party(index=0, name="甲", decision=decision),))
    assert reasons(g.executions_valid, f, act(executions=[{"party": 0, **PAID}])) == []


def test_a_decision_without_penalties_owes_nothing():
    decision = {"outcome": DecisionOutcome.PENALTY.value, "decided_on": DAY}
    f = facts(parties=(party(index=0, name="甲", decision=decision),))
    paid = {**PAID, "party": 0, "amount": "0"}
    assert reasons(g.executions_valid, f, act(executions=[paid])) == []


# --- 先行登记保存 and 回避: texts left out, and on their maximum length ---------------------


@pytest.mark.parametrize(
    ("guard", "message"),
    [
        (preservation.risk_stated, "请写明证据可能灭失或者以后难以取得的情形"),
        (preservation.opinion_given, "请填写审批意见"),
        (
            recusal.grounds_stated,
            "请填写理由：与案件有直接利害关系或者有其他关系可能影响公正执法的情形",
        ),
        (recusal.decision_reason_given, "请填写决定理由"),
    ],
)
def test_a_text_left_out_of_the_input_is_asked_for(guard, message):
    assert reasons(guard, facts(), act()) == [message]


@pytest.mark.parametrize(
    ("guard", "key", "limit", "message"),
    [
        (preservation.note_short, "note", preservation.MAX_NOTE, "处理说明不能超过500字"),
        (recusal.grounds_stated, "reason", recusal.MAX_REASON, "理由不能超过500字"),
        (recusal.decision_reason_given, "reason", recusal.MAX_REASON, "决定理由不能超过500字"),
    ],
)
def test_a_text_on_its_maximum_length_passes_and_one_more_character_does_not(
    guard, key, limit, message
):
    assert reasons(guard, facts(), act(**{key: "字" * limit})) == []
    assert reasons(guard, facts(), act(**{key: "字" * (limit + 1)})) == [message]


def test_two_officers_without_a_count_of_certificates_are_refused():
    assert reasons(preservation.two_certified_officers, facts(extra={}), act()) == [
        "应当由两名以上持有效执法证件的执法人员实施（《行政处罚法》第四十二条）"
    ]


def test_a_replacement_whose_roles_were_not_read_is_no_officer():
    f = facts(extra={"replacement_id": 77})
    assert reasons(recusal.replacement_fit, f, act()) == ["接替人员应为承办人或协办人"]
