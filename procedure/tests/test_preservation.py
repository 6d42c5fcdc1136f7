"""The 证据先行登记保存 step table and its guards, pure (no database): each refusal comes with its
reason for an actor who passes every other check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from law.limits import LIMITS_BY_CODE
from procedure.engine import END, Act, CaseFacts, Refused, evaluate
from procedure.preservation import PRESERVATION
from procedure.roles import Role
from procedure.testing import assert_refused

HANDLER, CO_HANDLER, HEAD, UNIT = 1, 2, 9, 100
TODAY = dt.date(2025, 3, 3)
ITEMS = [{"name": "涉案广告牌", "quantity": "1块", "note": "3米×6米"}]
REQUEST = {"items": ITEMS, "reason": "当事人正在拆除，证据可能灭失"}
AT = {
    "preservation_request": "preservation_request",
    "preservation_approve": "preservation_approve",
    "preservation_carry_out": "preservation_carry_out",
    "preservation_decide": "preservation_decide",
}


def facts(step: str, **changes: Any) -> CaseFacts:
    extra = {
        "at": AT[step],
        "case_open": True,
        "approved_on": TODAY,
        "certificates": 2,
        **changes,
    }
    return CaseFacts(
        procedure="preservation",
        step=step,
        unit_id=UNIT,
        handler_id=extra.pop("handler_id", HANDLER),
        co_handler_id=extra.pop("co_handler_id", CO_HANDLER),
        certified=frozenset(),
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


def officer(decision: str, data: dict[str, Any], role: Role = Role.HANDLER) -> Act:
    """An officer of the case: the service gives 承办人/协办人 only for one's part on the case."""
    return Act(
        HANDLER if role is Role.HANDLER else CO_HANDLER, UNIT, frozenset({role}), decision, data
    )


def head(decision: str, data: dict[str, Any]) -> Act:
    return Act(HEAD, UNIT, frozenset({Role.DEPUTY_DIRECTOR}), decision, data)


def refusal(f: CaseFacts, a: Act, *fragments: str, field: str | None = None) -> Refused:
    return assert_refused(lambda: evaluate(PRESERVATION, f, a), *fragments, field=field)


def test_requested_approved_kept_and_decided():
    steps = [
        ("preservation_request", officer("submit", REQUEST)),
        ("preservation_approve", head("approve", {"opinion": "同意"})),
        ("preservation_carry_out", officer("carry_out", {"on": TODAY}, Role.CO_HANDLER)),
        ("preservation_decide", officer("decide", {"disposition": "release", "note": ""})),
    ]
    nexts = [evaluate(PRESERVATION, facts(step), a).next_step for step, a in steps]
    assert nexts == [
        "preservation_approve",
        "preservation_carry_out",
        "preservation_decide",
        END,
    ]
    refused = evaluate(
        PRESERVATION, facts("preservation_approve"), head("refuse", {"opinion": "否"})
    )
    assert (refused.next_step, refused.case_outcome) == (END, "refused")


@pytest.mark.parametrize(
    ("step", "decision", "data"),
    [
        ("preservation_request", "submit", REQUEST),
        ("preservation_carry_out", "carry_out", {"on": TODAY}),
        ("preservation_decide", "decide", {"disposition": "release", "note": ""}),
    ],
)
def test_only_the_officers_of_the_case_act_on_it(step, decision, data):
    # The agency head is no officer of the case; nor is a handler of another case, who comes
    # to the engine without 承办人.
    exc = refusal(facts(step), head(decision, data), "只有本案的承办人或协办人")
    assert exc.errors == ["只有本案的承办人或协办人可以办理先行登记保存"] and exc.fields == {}


def test_only_the_agency_head_approves():
    exc = refusal(
        facts("preservation_approve"), officer("approve", {"opinion": "同意"}), "第五十六条"
    )
    assert exc.errors == ["先行登记保存须经行政机关负责人批准（《行政处罚法》第五十六条）"]


@pytest.mark.parametrize(
    ("step", "a", "reason"),
    [
        ("preservation_request", officer("submit", {}), "先行登记保存用于立案后的调查取证"),
        ("preservation_approve", head("approve", {}), "该先行登记保存已经审批"),
        (
            "preservation_carry_out",
            officer("carry_out", {"on": TODAY + dt.timedelta(days=1)}),
            "先行登记保存须经负责人批准后实施",
        ),
        ("preservation_decide", officer("decide", {}), "只能对登记保存中的证据作出处理决定"),
    ],
)
def test_a_record_not_at_the_step_refuses_alone_before_the_guards(step, a, reason):
    changes = {"case_open": False} if step == "preservation_request" else {"at": "elsewhere"}
    exc = refusal(facts(step, **changes), a, reason)
    assert exc.errors == [reason] and exc.fields == {}


def test_a_request_lists_each_item_with_its_quantity_and_states_the_risk():
    data = {"items": [{"name": "广告牌", "quantity": ""}], "reason": " "}
    exc = refusal(
        facts("preservation_request"), officer("submit", data), "名称和数量", field="items"
    )
    assert exc.fields == {
        "items": ["第1项物品应写明名称和数量"],
        "reason": ["请写明证据可能灭失或者以后难以取得的情形"],
    }
    exc = refusal(
        facts("preservation_request"),
        officer("submit", {**REQUEST, "items": []}),
        "请列明先行登记保存的物品",
        field="items",
    )
    assert exc.fields == {"items": ["请列明先行登记保存的物品"]}


def test_the_head_approves_with_an_opinion():
    exc = refusal(
        facts("preservation_approve"),
        head("refuse", {"opinion": " "}),
        "请填写审批意见",
        field="opinion",
    )
    assert exc.fields == {"opinion": ["请填写审批意见"]}


@pytest.mark.parametrize(
    ("on", "reason"),
    [
        (TODAY + dt.timedelta(days=1), "登记保存日期不能晚于今天"),
        (TODAY - dt.timedelta(days=1), "登记保存日期不能早于批准日期2025-03-03"),
    ],
)
def test_the_evidence_is_kept_on_a_day_between_the_approval_and_today(on, reason):
    exc = refusal(
        facts("preservation_carry_out"), officer("carry_out", {"on": on}), reason, field="on"
    )
    assert exc.fields == {"on": [reason]}


@pytest.mark.parametrize(
    "changes", [{"co_handler_id": None}, {"certificates": 1}], ids=["one officer", "one certified"]
)
def test_two_certified_officers_keep_the_evidence(changes):
    exc = refusal(
        facts("preservation_carry_out", **changes),
        officer("carry_out", {"on": TODAY}),
        "两名以上持有效执法证件",
        field="form",
    )
    assert exc.fields == {
        "form": ["应当由两名以上持有效执法证件的执法人员实施（《行政处罚法》第四十二条）"]
    }


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"disposition": "burn", "note": ""}, "disposition", "请选择处理决定"),
        ({"disposition": "seize", "note": "长" * 501}, "note", "处理说明不能超过500字"),
    ],
)
def test_the_decision_is_one_of_the_dispositions_with_a_short_note(data, field, reason):
    exc = refusal(facts("preservation_decide"), officer("decide", data), reason, field=field)
    assert exc.fields == {field: [reason]}


def test_keeping_starts_the_seven_day_limit_and_the_decision_stops_it():
    limit = LIMITS_BY_CODE["evidence_preservation_decision"]
    assert PRESERVATION.step("preservation_carry_out").starts == (limit.code,)
    assert PRESERVATION.step("preservation_decide").stops == (limit.code,)
