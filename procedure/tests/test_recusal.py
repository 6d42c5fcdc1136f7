"""The 回避 step table and its guards, pure (no database): each refusal comes with its reason
for an actor who passes every other check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from procedure.engine import END, Act, CaseFacts, Refused, evaluate
from procedure.recusal import RECUSAL
from procedure.roles import Role
from procedure.testing import assert_refused

HANDLER, CO_HANDLER, HEAD, SPARE, UNIT = 1, 2, 9, 5, 100
TODAY = dt.date(2025, 3, 3)
REQUEST = {"officer": "cgj-co", "source": "party", "reason": "当事人称协办人系其亲属"}
GRANT = {"reason": "协办人与当事人系近亲属，应当回避", "replacement": "cgj-spare"}
DECIDE_FACTS: dict[str, Any] = {
    "found": True,
    "at": "recusal_decide",
    "officer_id": CO_HANDLER,
    "replacement_id": SPARE,
    "replacement_roles": frozenset({Role.HANDLER}),
}


def facts(step: str, certified: frozenset[int] = frozenset({SPARE}), **extra: Any) -> CaseFacts:
    return CaseFacts(
        procedure="recusal",
        step=step,
        unit_id=UNIT,
        handler_id=HANDLER,
        co_handler_id=CO_HANDLER,
        certified=certified,
        qualified_reviewers=frozenset(),
        evidence_count=0,
        matter=None,
        parties=(),
        complex=False,
        today=TODAY,
        act_on=None,
        discovered_on=None,
        filed_on=None,
        decision_due=None,
        response_window_end=None,
        extra=extra,
    )


def request_facts(**changes: Any) -> CaseFacts:
    return facts(
        "recusal_request",
        **{"at": "recusal_request", "officer_id": CO_HANDLER, "pending": False, **changes},
    )


def decide_facts(**changes: Any) -> CaseFacts:
    certified = changes.pop("certified", frozenset({SPARE}))
    return facts("recusal_decide", certified, **{**DECIDE_FACTS, **changes})


def act(
    decision: str, data: dict[str, Any], actor: int = HANDLER, role: Role = Role.HANDLER
) -> Act:
    return Act(actor, UNIT, frozenset({role}), decision, data)


def head(decision: str, data: dict[str, Any]) -> Act:
    return act(decision, data, HEAD, Role.DEPUTY_DIRECTOR)


def refusal(f: CaseFacts, a: Act, *fragments: str, field: str | None = None) -> Refused:
    return assert_refused(lambda: evaluate(RECUSAL, f, a), *fragments, field=field)


def test_an_application_waits_for_the_heads_decision_which_ends_it():
    assert evaluate(RECUSAL, request_facts(), act("submit", REQUEST)).next_step == "recusal_decide"
    granted = evaluate(RECUSAL, decide_facts(), head("grant", GRANT))
    assert (granted.next_step, granted.case_outcome) == (END, "granted")
    refused = evaluate(RECUSAL, decide_facts(), head("refuse", {"reason": "所称亲属关系不属实"}))
    assert (refused.next_step, refused.case_outcome) == (END, "refused")


def test_the_section_chief_records_an_application_and_a_legal_reviewer_cannot():
    ok = act("submit", REQUEST, 7, Role.SECTION_CHIEF)
    assert evaluate(RECUSAL, request_facts(), ok).next_step == "recusal_decide"
    exc = refusal(
        request_facts(), act("submit", REQUEST, 7, Role.LEGAL_REVIEWER), "可以登记回避申请"
    )
    assert exc.errors == ["只有本单位的承办人、协办人或业务科长可以登记回避申请"]
    assert exc.fields == {}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"officer_id": 0}, "officer", "只能对本案的承办人或协办人申请回避"),
        ({"pending": True}, "officer", "该执法人员已有待决定的回避申请"),
    ],
)
def test_an_application_names_an_officer_of_the_case_without_one_pending(changes, field, reason):
    exc = refusal(request_facts(**changes), act("submit", REQUEST), reason, field=field)
    assert exc.errors == [reason] and exc.fields == {field: [reason]}


@pytest.mark.parametrize(
    ("data", "actor", "field", "reason"),
    [
        ({"source": "rumour"}, HANDLER, "source", "提出方式应为当事人申请或自行回避"),
        ({"source": "self"}, HANDLER, "source", "自行回避应由该执法人员本人提出"),
        (
            {"reason": " "},
            HANDLER,
            "reason",
            "请填写理由：与案件有直接利害关系或者有其他关系可能影响公正执法的情形",
        ),
        ({"reason": "长" * 501}, HANDLER, "reason", "理由不能超过500字"),
    ],
)
def test_an_application_states_its_source_and_its_grounds(data, actor, field, reason):
    exc = refusal(request_facts(), act("submit", {**REQUEST, **data}, actor), reason, field=field)
    assert exc.fields == {field: [reason]}


def test_the_officer_declares_their_own_recusal():
    own = act("submit", {**REQUEST, "source": "self"}, CO_HANDLER, Role.CO_HANDLER)
    assert evaluate(RECUSAL, request_facts(), own).next_step == "recusal_decide"


def test_only_the_agency_head_decides():
    exc = refusal(decide_facts(), act("grant", GRANT, 7, Role.SECTION_CHIEF), "第四十三条第二款")
    assert exc.errors == ["回避由行政机关负责人决定（《行政处罚法》第四十三条第二款）"]


def test_an_application_not_of_the_case_refuses_alone_before_the_guards():
    exc = refusal(
        decide_facts(found=False, at=END), head("grant", {"reason": ""}), "本案没有该回避申请"
    )
    assert exc.errors == ["本案没有该回避申请"] and exc.fields == {}


@pytest.mark.parametrize(
    ("changes", "data", "field", "reason"),
    [
        ({"at": END}, {}, "form", "该回避申请已经作出决定"),
        ({"officer_id": HEAD}, {}, "form", "负责人本人的回避不能由其自己决定"),
        ({}, {"reason": ""}, "reason", "请填写决定理由"),
        ({}, {"reason": "长" * 501}, "reason", "决定理由不能超过500字"),
    ],
)
def test_a_decision_is_taken_once_not_on_ones_own_recusal_and_with_reasons(
    changes, data, field, reason
):
    exc = refusal(decide_facts(**changes), head("grant", {**GRANT, **data}), reason, field=field)
    assert exc.fields == {field: [reason]}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"replacement_id": None}, "决定回避的，请指定本单位的执法人员接替"),
        (
            {"replacement_id": None, "replacement_named": True},
            "接替人员不是本单位在职的执法人员",
        ),
        ({"replacement_id": HANDLER}, "接替人员不能是本案现有的执法人员"),
        (
            {"replacement_roles": frozenset({Role.LEGAL_REVIEWER})},
            "接替人员应为承办人或协办人",
        ),
        ({"certified": frozenset()}, "接替人员没有有效的行政执法证件（《行政处罚法》第四十二条）"),
    ],
)
def test_a_granted_recusal_names_a_certified_officer_not_already_on_the_case(changes, reason):
    exc = refusal(decide_facts(**changes), head("grant", GRANT), reason, field="replacement")
    assert exc.fields == {"replacement": [reason]}


def test_a_refused_recusal_names_no_replacement():
    exc = refusal(decide_facts(), head("refuse", GRANT), "不指定接替人员", field="replacement")
    assert exc.fields == {"replacement": ["不予回避的，不指定接替人员"]}


def test_every_reason_of_a_decision_comes_by_its_field_in_the_forms_order():
    exc = refusal(
        decide_facts(at=END, officer_id=HEAD, replacement_id=None),
        head("grant", {}),
        "已经作出决定",
        "不能由其自己决定",
        "请填写决定理由",
        "请指定本单位的执法人员接替",
    )
    assert list(exc.fields) == ["form", "reason", "replacement"]
    assert exc.errors == [m for ms in exc.fields.values() for m in ms]
