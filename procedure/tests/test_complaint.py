"""The 投诉举报 step table, pure: each refusal with its reason, for an actor who passes every
other check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from procedure.complaint import COMPLAINT, STATUS_OF_STEP
from procedure.engine import END, Act, CaseFacts, evaluate
from procedure.roles import Role
from procedure.testing import assert_refused

UNIT, OTHER = 100, 200
CHIEF = frozenset({Role.SECTION_CHIEF})
HANDLER = frozenset({Role.HANDLER})


def only(call: Any, text: str, field: str | None = None) -> None:
    """Refused with exactly this reason, and no other."""
    assert assert_refused(call, text, field=field).errors == [text]


def facts(step: str, **extra: Any) -> CaseFacts:
    return CaseFacts(
        procedure="complaint",
        step=step,
        unit_id=UNIT,
        handler_id=None,
        co_handler_id=None,
        certified=frozenset(),
        qualified_reviewers=frozenset(),
        evidence_count=0,
        matter=None,
        parties=(),
        complex=False,
        today=dt.date(2025, 3, 3),
        act_on=None,
        discovered_on=None,
        filed_on=None,
        decision_due=None,
        response_window_end=None,
        extra={"at": step, "unit_kind": "agency", **extra},
    )


def act(decision: str, roles: frozenset[Role] = CHIEF, **data: Any) -> Act:
    return Act(1, UNIT, roles, decision, data)


def test_an_enforcing_unit_accepts_and_the_complaint_moves_to_handling():
    out = evaluate(COMPLAINT, facts("complaint_intake"), act("accept"))
    assert out.next_step == "complaint_handling"
    assert STATUS_OF_STEP[out.next_step] == "accepted"


@pytest.mark.parametrize("kind", ["justice", "government"])
def test_a_unit_that_does_not_enforce_cannot_accept(kind):
    only(
        lambda: evaluate(COMPLAINT, facts("complaint_intake", unit_kind=kind), act("accept")),
        "本单位不是执法单位，不能直接受理，请转办至主管的执法单位",
    )


@pytest.mark.parametrize("kind", ["agency", "township"])
def test_agencies_and_townships_accept(kind):
    evaluate(COMPLAINT, facts("complaint_intake", unit_kind=kind), act("accept"))


def test_a_complaint_another_officer_has_moved_is_refused():
    f = facts("complaint_intake", at="complaint_handling")
    only(lambda: evaluate(COMPLAINT, f, act("accept")), "该投诉举报已被他人处理，请刷新后查看")


def test_a_rejection_needs_its_reason_and_ends_the_complaint():
    f = facts("complaint_intake")
    only(
        lambda: evaluate(COMPLAINT, f, act("reject", reason=" ")),
        "请填写不予受理的理由（将告知投诉举报人）",
        field="reason",
    )
    long = "理" * 501
    assert_refused(lambda: evaluate(COMPLAINT, f, act("reject", reason=long)), "500字")
    out = evaluate(COMPLAINT, f, act("reject", reason="理" * 500))
    assert (out.next_step, out.case_outcome) == (END, "rejected")


def test_a_transfer_names_another_unit_that_enforces_or_dispatches():
    f = facts("complaint_intake")
    only(lambda: evaluate(COMPLAINT, f, act("transfer")), "请选择转办的单位")
    same = facts("complaint_intake", target={"id": UNIT, "kind": "agency"})
    only(lambda: evaluate(COMPLAINT, same, act("transfer")), "不能转办给本单位")
    gov = facts("complaint_intake", target={"id": OTHER, "kind": "government"})
    only(lambda: evaluate(COMPLAINT, gov, act("transfer")), "只能转办给执法单位或司法行政机关")
    for kind in ("agency", "township", "justice"):
        ok = facts("complaint_intake", target={"id": OTHER, "kind": kind})
        assert evaluate(COMPLAINT, ok, act("transfer")).next_step == "complaint_intake"


def test_a_handler_does_not_decide_on_acceptance():
    assert_refused(
        lambda: evaluate(COMPLAINT, facts("complaint_intake"), act("accept", HANDLER)),
        "投诉举报受理审查",
    )


def test_only_a_handler_registers_the_lead():
    f = facts("complaint_handling")
    only(lambda: evaluate(COMPLAINT, f, act("file", CHIEF)), "立案（案源登记）须由承办人办理")
    assert evaluate(COMPLAINT, f, act("file", HANDLER)).next_step == "complaint_filed"


@pytest.mark.parametrize("step", ["complaint_handling", "complaint_filed"])
def test_concluding_needs_the_public_result(step):
    f = facts(step)
    only(
        lambda: evaluate(COMPLAINT, f, act("conclude")),
        "请填写办理结果（将向投诉举报人公开，不写个人信息）",
        field="result",
    )
    assert_refused(lambda: evaluate(COMPLAINT, f, act("conclude", result="结" * 501)), "500字")
    out = evaluate(COMPLAINT, f, act("conclude", result="结" * 500))
    assert (out.next_step, out.case_outcome) == (END, "concluded")
