"""The 强制执行 step table and its guards, pure (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from law.calendar import SHANGHAI, WorkingCalendar
from law.enforcement import court_window
from procedure.enforcement import ENFORCEMENT
from procedure.engine import END, Act, CaseFacts, evaluate
from procedure.roles import Role
from procedure.testing import assert_refused

HANDLER, PARTNER, HEAD, CHIEF, UNIT = 1, 2, 9, 8, 100
TODAY = dt.date(2025, 10, 21)
NOW = dt.datetime(2025, 10, 21, 10, 0, tzinfo=SHANGHAI)
CAL = WorkingCalendar()


def facts(step: str, today: dt.date = TODAY, **extra: Any) -> CaseFacts:
    base: dict[str, Any] = {
        "calendar": CAL,
        "now": dt.datetime.combine(today, dt.time(10, 0), SHANGHAI),
        "power_scope": "both",
        "power_article": "《某法》第某条",
        "obligation": "money",
        "holds": frozenset({"money", "performance"}),
        "notice_term_ends": dt.date(2025, 10, 10),
        "notice_served_on": dt.date(2025, 9, 29),
        "window": None,
        "review_pending": False,
    }
    return CaseFacts(
        procedure="enforcement",
        step=step,
        unit_id=UNIT,
        handler_id=HANDLER,
        co_handler_id=None,
        certified=frozenset({HANDLER, PARTNER}),
        qualified_reviewers=frozenset(),
        evidence_count=0,
        matter=None,
        parties=(),
        complex=False,
        today=today,
        act_on=None,
        discovered_on=None,
        filed_on=None,
        decision_due=None,
        response_window_end=None,
        extra={**base, **extra},
    )


def act(decision: str, data: dict[str, Any] | None = None, actor: int = HANDLER) -> Act:
    roles = {HANDLER: Role.HANDLER, PARTNER: Role.HANDLER, HEAD: Role.DEPUTY_DIRECTOR}
    role = roles.get(actor, Role.SECTION_CHIEF)
    return Act(actor, UNIT, frozenset({role}), decision, data or {})


def test_a_notice_states_term_manner_amount_and_the_right_to_defend() -> None:
    assert_refused(
        lambda: evaluate(
            ENFORCEMENT, facts("en_notice"), act("issue", {"obligation": "money", "manner": "缴纳"})
        ),
        "第三十五条第一项",
        "第三十五条第三项",
        "第三十五条第四项",
    )
    data = {
        "term_ends": TODAY + dt.timedelta(days=10),
        "obligation": "money",
        "manner": "到指定银行缴纳",
        "amount": "1300.00",
        "rights_told": True,
    }
    out = evaluate(ENFORCEMENT, facts("en_notice"), act("issue", data))
    assert out.next_step == "en_notice_serve"


def test_the_road_opens_only_after_the_notice_term() -> None:
    f = facts("en_route", notice_term_ends=TODAY)
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("court")), "第三十七条第一款")
    f = facts("en_route", notice_term_ends=TODAY - dt.timedelta(days=1))
    assert evaluate(ENFORCEMENT, f, act("court")).next_step == "en_court_apply"


def test_without_the_catalogue_power_only_the_court_road_opens() -> None:
    f = facts("en_route", power_scope="")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("agency")), "第十三条")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("substitute")), "第十三条")
    assert evaluate(ENFORCEMENT, f, act("court")).next_step == "en_court_apply"


def test_a_fine_under_a_grant_to_demolish_is_refused_the_agency_road_the_court_is_open() -> None:
    f = facts("en_route", power_scope="performance", obligation="money")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("agency")), "仅限行为义务", "第十三条")
    assert evaluate(ENFORCEMENT, f, act("court")).next_step == "en_court_apply"
    # 代履行 removes the structure: the grant covers it.
    assert evaluate(ENFORCEMENT, f, act("substitute")).next_step == "en_sub_decide"
    draft = {"reason": "逾期不缴纳罚款", "type": "transfer_funds", "remedies_told": True}
    f = facts("en_decide", power_scope="performance", obligation="performance")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("draft", draft)), "仅限行为义务")
    demolish = {**draft, "type": "restore"}
    assert evaluate(ENFORCEMENT, f, act("draft", demolish)).next_step == "en_decide_approve"


def test_the_head_approves_the_decision_and_never_the_handler() -> None:
    f = facts("en_decide_approve")
    assert_refused(
        lambda: evaluate(ENFORCEMENT, f, act("approve", {"opinion": "同意"}, PARTNER)),
        "分管局长",
    )
    out = evaluate(ENFORCEMENT, f, act("approve", {"opinion": "同意"}, HEAD))
    assert out.next_step == "en_decide_serve"


def _carry(at: dt.datetime, **more: Any) -> Act:
    return act(
        "carry_out", {"officers": [HANDLER, PARTNER], "carried_out_at": at, "methods": [], **more}
    )


def test_a_night_enforcement_is_refused_then_allowed_with_an_urgent_reason() -> None:
    night = dt.datetime(2025, 10, 20, 23, 0, tzinfo=SHANGHAI)
    f = facts("en_carry_out")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, _carry(night)), "夜间", "第四十三条")
    out = evaluate(ENFORCEMENT, f, _carry(night, urgent_reason="危及公共安全"))
    assert (out.next_step, out.case_outcome) == ("en_done", "enforced")


def test_a_holiday_enforcement_is_refused_then_allowed_with_an_urgent_reason() -> None:
    holiday = dt.datetime(2025, 10, 3, 10, 0, tzinfo=SHANGHAI)
    f = facts("en_carry_out")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, _carry(holiday)), "法定节假日")
    assert evaluate(ENFORCEMENT, f, _carry(holiday, urgent_reason="险情")).next_step == "en_done"


def test_cutting_residents_water_is_refused_even_when_urgent() -> None:
    day = dt.datetime(2025, 10, 20, 10, 0, tzinfo=SHANGHAI)
    bad = _carry(day, methods=["water"], urgent_reason="紧急")
    assert_refused(lambda: evaluate(ENFORCEMENT, facts("en_carry_out"), bad), "停止供水")


def test_one_officer_cannot_carry_out_an_enforcement() -> None:
    day = dt.datetime(2025, 10, 20, 10, 0, tzinfo=SHANGHAI)
    one = _carry(day, officers=[HANDLER])
    assert_refused(lambda: evaluate(ENFORCEMENT, facts("en_carry_out"), one), "两名以上")


def test_substitute_performance_waits_three_working_days_after_its_notice() -> None:
    served = dt.date(2025, 9, 29)
    f = facts("en_sub_carry_out", today=dt.date(2025, 10, 10), sub_served_on=served)
    on_site = {"officer_present": True, "signed": True}
    early = act(
        "carry_out", {"carried_out_at": dt.datetime(2025, 10, 9, 10, 0, tzinfo=SHANGHAI), **on_site}
    )
    assert_refused(lambda: evaluate(ENFORCEMENT, f, early), "第五十一条")
    ok = act(
        "carry_out",
        {"carried_out_at": dt.datetime(2025, 10, 10, 10, 0, tzinfo=SHANGHAI), **on_site},
    )
    assert evaluate(ENFORCEMENT, f, ok).next_step == "en_sub_cost"


def test_an_immediate_substitute_skips_the_notice() -> None:
    f = facts("en_notice")
    assert_refused(
        lambda: evaluate(ENFORCEMENT, f, act("immediate_substitute", {"object": "x"})),
        "第五十二条",
    )
    out = evaluate(
        ENFORCEMENT, f, act("immediate_substitute", {"object": "spill", "place": "road"})
    )
    assert out.next_step == "en_sub_carry_out"
    g = facts("en_sub_carry_out", immediate=True, sub_served_on=None)
    data = {"carried_out_at": NOW - dt.timedelta(hours=1), "officer_present": True, "signed": True}
    assert evaluate(ENFORCEMENT, g, act("carry_out", data)).next_step == "en_sub_cost"


def test_a_court_application_waits_ten_working_days_after_the_notice_across_the_holiday() -> None:
    data = {"court": "东昌府区人民法院", "materials_complete": True}
    last = facts("en_court_apply", today=dt.date(2025, 10, 20))
    assert_refused(lambda: evaluate(ENFORCEMENT, last, act("draft", data)), "第五十四条")
    first = facts("en_court_apply", today=dt.date(2025, 10, 21))
    assert evaluate(ENFORCEMENT, first, act("draft", data)).next_step == "en_court_sign"


def test_a_court_application_is_refused_outside_the_window_and_while_a_review_is_pending() -> None:
    data = {"court": "东昌府区人民法院", "materials_complete": True}
    w = court_window(dt.date(2025, 3, 10), CAL)
    f = facts("en_court_apply", today=dt.date(2025, 12, 11), window=w)
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("draft", data)), "2025-12-10")
    g = facts("en_court_apply", review_pending=True)
    assert_refused(lambda: evaluate(ENFORCEMENT, g, act("draft", data)), "尚未结束")


def test_the_head_signs_the_application() -> None:
    f = facts("en_court_sign")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("sign", {}, HEAD)), "签名")
    assert evaluate(ENFORCEMENT, f, act("sign", {"signed": True}, HEAD)).next_step == (
        "en_court_accept"
    )


def test_a_suspension_needs_a_ground_and_resumes_where_it_stood() -> None:
    f = facts("en_court_apply")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("suspend", {"reason": "x"})), "第三十九条")
    out = evaluate(ENFORCEMENT, f, act("suspend", {"ground": "hardship", "reason": "暂无能力"}))
    assert out.next_step == "en_suspended"
    g = facts("en_suspended", resume_step="en_court_apply")
    assert evaluate(ENFORCEMENT, g, act("resume", {"reason": "已恢复"})).next_step == (
        "en_court_apply"
    )


def test_ending_needs_a_statutory_ground() -> None:
    f = facts("en_route")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("end", {"reason": "x"})), "第四十条")
    out = evaluate(ENFORCEMENT, f, act("end", {"ground": "revoked", "reason": "复议撤销"}))
    assert (out.next_step, out.case_outcome) == (END, "ended")


def test_a_breached_agreement_revives_the_enforcement() -> None:
    out = evaluate(ENFORCEMENT, facts("en_agreement"), act("breach", {"reason": "逾期未付"}))
    assert out.next_step == "en_route"


def test_a_reversal_names_its_cause_and_remedy() -> None:
    f = facts("en_done")
    assert_refused(lambda: evaluate(ENFORCEMENT, f, act("reverse", {})), "第四十一条")
    data = {"cause": "revoked", "remedy": "return", "reason": "复议决定撤销原处罚决定"}
    out = evaluate(ENFORCEMENT, f, act("reverse", data))
    assert out.case_outcome == "reversed"
