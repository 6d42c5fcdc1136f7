"""强制执行 through the runner on a real database: the roads, the refusals (nothing changed), the
limits, the statistics row, the 待办 and the scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from cases.models import Case, Decision, PenaltyItem
from cases.services.reviews import review_file
from cases.tests.flow import act, advance, register, written
from coercion.models import Enforcement
from conftest import SHANGHAI
from deadlines.models import Deadline
from enforcement import selectors
from enforcement.models import EnforcementRecord
from enforcement.services import (
    deferral_approve,
    enforcement_act,
    enforcement_open,
    instalment_paid,
)
from ledger.models import Entry
from procedure.engine import END
from procedure.roles import Role
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> None:
    clock.set_now(dt.datetime.combine(day, dt.time(hour, 0), SHANGHAI))


def decided(org, own_power: bool = False, scope: str = "money") -> Case:
    """A case whose fine of 5,000 元 was decided and served on 2025-03-03; with `own_power`, its
    matter's law grants the agency the power to enforce `scope` (money, an act, or both)."""
    if own_power:
        org.matter.own_enforcement_power = True
        org.matter.enforcement_power_basis = "《某法》第某条"
        org.matter.enforcement_power_scope = scope
        org.matter.save()
    case = advance(org, register(org), "execution")
    return case


NOTICE = {
    "obligation": "money",
    "manner": "到指定银行缴纳罚款",
    "amount": "5000.00",
    "rights_told": True,
}


def noticed(org, case: Case, served: dt.date = dt.date(2025, 9, 29)) -> EnforcementRecord:
    """催告 issued and served on `served`, term ending the day after; statements reviewed."""
    at(served)
    term = {**NOTICE, "term_ends": (served + dt.timedelta(days=1)).isoformat()}
    r = enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=term)
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": served.isoformat()}
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="record", data={"no_statement": True}
    )
    return enforcement_act(
        record_id=r.pk, actor=org.chief, decision="reject", data={"opinion": "理由不成立"}
    )


def due_of(case: Case) -> dt.date:
    due = Decision.objects.get(case=case).payment_due
    assert due is not None
    return due


def test_an_unpaid_decision_past_its_limit_waits_for_its_handler_until_enforcement_opens(org):
    case = decided(org)
    decision = Decision.objects.get(case=case)
    assert decision.payment_due is not None
    assert not selectors.unpaid_overdue(org.handler).exists()  # still inside the 15 days
    at(decision.payment_due + dt.timedelta(days=1))
    assert list(selectors.unpaid_overdue(org.handler)) == [decision]
    assert not selectors.unpaid_overdue(org.co_handler).exists()
    assert not selectors.unpaid_overdue(org.other_officer).exists()
    r = enforcement_open(
        case_id=case.pk,
        actor=org.handler,
        party=0,
        data={**NOTICE, "term_ends": (clock.today() + dt.timedelta(days=10)).isoformat()},
    )
    assert not selectors.unpaid_overdue(org.handler).exists()
    assert list(selectors.waiting_for(org.handler, Role.HANDLER)) == [r]


def test_a_notice_before_the_payment_limit_ends_is_refused_and_changes_nothing(org):
    case = decided(org)
    due = due_of(case)
    at(due)
    data = {**NOTICE, "term_ends": "2025-04-30"}
    assert_refused(
        lambda: enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data),
        "第三十四条",
        unchanged=lambda: (written(), EnforcementRecord.objects.count()),
    )
    at(due + dt.timedelta(days=1))
    assert enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data).pk


def test_the_court_road_waits_ten_working_days_after_the_notice_across_the_holiday(org):
    case = decided(org)
    r = noticed(org, case)  # served 2025-09-29; 国庆 2025-10-01..08
    window = Deadline.objects.get(case=case, code="court_application")
    assert (window.starts_on, window.due_on) == (dt.date(2025, 9, 3), dt.date(2025, 12, 3))
    at(dt.date(2025, 10, 20))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="court", data={})
    data = {"court": "东昌府区人民法院", "materials_complete": True}
    assert_refused(
        lambda: enforcement_act(record_id=r.pk, actor=org.handler, decision="draft", data=data),
        "第五十四条",
        unchanged=lambda: (written(), EnforcementRecord.objects.get(pk=r.pk).step),
    )
    at(dt.date(2025, 10, 21))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="draft", data=data)
    assert_refused(
        lambda: enforcement_act(
            record_id=r.pk, actor=org.handler, decision="sign", data={"signed": True}
        ),
        "分管局长",
    )
    r = enforcement_act(record_id=r.pk, actor=org.director, decision="sign", data={"signed": True})
    assert Deadline.objects.get(pk=window.pk).status == Deadline.Status.MET
    on = {"on": "2025-10-21"}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="accepted", data=on)
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="granted", data=on)
    assert (r.step, r.outcome) == ("en_done", "court_enforced")
    row = Enforcement.objects.get(case=case)
    assert (row.type, row.on) == ("court", dt.date(2025, 10, 21))
    actions = Entry.objects.filter(stream=case.stream, action="enforcement").count()
    assert actions == 9
    # Step 17 then records the same court enforcement: the 行政强制 form counts it once.
    court = {"party": 0, "kind": "court", "applied_on": "2025-10-21"}
    case = act(org, Case.objects.get(pk=case.pk), "execution", executions=[court])
    assert case.step == "closing_approve"
    assert Enforcement.objects.filter(case=case).count() == 1


def test_agency_enforcement_needs_the_catalogue_power(org):
    case = decided(org)
    r = noticed(org, case)
    at(dt.date(2025, 10, 9))
    assert_refused(
        lambda: enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={}),
        "第十三条",
        unchanged=written,
    )


DEMOLITION = "《中华人民共和国城乡规划法》第六十八条"


DEMOLISH = {
    **NOTICE,
    "obligation": "performance",
    "manner": "自行拆除",
    "amount": "",
    "act": "拆除违法建设的二层彩钢房",
}


def fined_and_ordered(org, scope: str = "performance") -> Case:
    """A decision of 罚款5000元 and 责令限期拆除 (an act, 其他行政处罚), served on 2025-03-03, under
    a matter whose law grants demolition only (城乡规划法第六十八条)."""
    case = decided(org, own_power=True, scope=scope)
    org.matter.enforcement_power_basis = DEMOLITION
    org.matter.save()
    PenaltyItem.objects.create(decision=Decision.objects.get(case=case), type="other")
    return case


def reviewed(org, case: Case, notice: dict, served: str = "2025-09-29") -> EnforcementRecord:
    at(dt.date.fromisoformat(served))
    data = {**notice, "term_ends": "2025-09-30"}
    r = enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data)
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": served}
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="record", data={"no_statement": True}
    )
    return enforcement_act(
        record_id=r.pk, actor=org.chief, decision="reject", data={"opinion": "理由不成立"}
    )


def under_demolition_grant(org, obligation: str) -> EnforcementRecord:
    """The 催告 of one obligation (money: the fine; performance: the demolition) of a fine and
    demolition decision under a grant to demolish, served on 2025-09-29 and reviewed."""
    case = fined_and_ordered(org)
    return reviewed(org, case, NOTICE if obligation == "money" else DEMOLISH)


def test_a_fine_under_a_demolition_grant_is_refused_agency_enforcement_and_goes_to_court(org):
    r = under_demolition_grant(org, "money")
    # The fine is the court's: its window is a limit like any matter without a grant.
    window = Deadline.objects.get(case=r.case, code="court_application")
    assert window.due_on == dt.date(2025, 12, 3)
    at(dt.date(2025, 10, 9))
    refusal = assert_refused(
        lambda: enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={}),
        f"{DEMOLITION}授予的行政强制执行权仅限行为义务",
        "金钱给付义务（罚款、加处罚款等）只能申请人民法院强制执行",
        "第十三条",
        unchanged=lambda: (written(), EnforcementRecord.objects.get(pk=r.pk).step),
    )
    assert len(refusal.errors) == 1
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="court", data={})
    assert r.step == "en_court_apply"


def test_a_demolition_under_a_demolition_grant_takes_the_agency_road_with_no_court_window(org):
    r = under_demolition_grant(org, "performance")
    assert not Deadline.objects.filter(case=r.case, code="court_application").exists()
    at(dt.date(2025, 10, 9))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={})
    assert r.step == "en_decide"
    draft = {"reason": "逾期不拆除", "remedies_told": True}
    # The decision may not turn the demolition into taking the fine's money.
    assert_refused(
        lambda: enforcement_act(
            record_id=r.pk,
            actor=org.handler,
            decision="draft",
            data={**draft, "type": "transfer_funds"},
        ),
        "仅限行为义务",
        unchanged=lambda: (written(), EnforcementRecord.objects.get(pk=r.pk).step),
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="draft", data={**draft, "type": "restore"}
    )
    assert r.step == "en_decide_approve"


def test_a_demolition_notice_under_a_demolition_grant_goes_agency_and_the_fine_notice_court(org):
    case = fined_and_ordered(org)
    demolition = reviewed(org, case, DEMOLISH)
    money = reviewed(org, case, NOTICE)
    # Side by side, each with its own 催告 term; only the fine's has the court window.
    assert (demolition.obligation, money.obligation) == ("performance", "money")
    terms = Deadline.objects.filter(case=case, code="enforcement_notice_term")
    assert terms.count() == 2
    window = Deadline.objects.get(case=case, code="court_application")
    assert window.due_on == dt.date(2025, 12, 3)
    assert window.pk == money.detail["deadlines"]["court_application"]
    assert "court_application" not in demolition.detail["deadlines"]
    at(dt.date(2025, 10, 9))
    demolition = enforcement_act(
        record_id=demolition.pk, actor=org.handler, decision="agency", data={}
    )
    assert demolition.step == "en_decide"
    assert_refused(
        lambda: enforcement_act(record_id=money.pk, actor=org.handler, decision="agency", data={}),
        "金钱给付义务（罚款、加处罚款等）只能申请人民法院强制执行",
        unchanged=lambda: (written(), EnforcementRecord.objects.get(pk=money.pk).step),
    )
    money = enforcement_act(record_id=money.pk, actor=org.handler, decision="court", data={})
    assert money.step == "en_court_apply"


def test_the_unpaid_fine_waits_for_its_handler_beside_a_demolition_notice_until_its_own(org):
    case = fined_and_ordered(org)
    at(dt.date(2025, 9, 29))
    decision = Decision.objects.get(case=case)
    demolish = {**DEMOLISH, "term_ends": "2025-10-30"}
    enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=demolish)
    assert list(selectors.unpaid_overdue(org.handler)) == [decision]
    money = {**NOTICE, "term_ends": "2025-10-30"}
    enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=money)
    assert not selectors.unpaid_overdue(org.handler).exists()


def test_a_second_notice_of_the_same_obligation_is_refused_while_the_first_runs(org):
    case = fined_and_ordered(org)
    reviewed(org, case, NOTICE)
    data = {**NOTICE, "term_ends": "2025-10-30"}
    assert_refused(
        lambda: enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data),
        "该处罚决定的金钱给付义务（罚款、加处罚款等）已有强制执行记录在办理中或已执行完毕",
        unchanged=lambda: (written(), EnforcementRecord.objects.count()),
    )
    assert enforcement_open(
        case_id=case.pk, actor=org.handler, party=0, data={**DEMOLISH, "term_ends": "2025-10-30"}
    ).pk


def test_a_notice_of_an_act_on_a_decision_that_orders_none_is_refused(org):
    case = decided(org, own_power=True, scope="performance")
    at(dt.date(2025, 9, 29))
    data = {**DEMOLISH, "term_ends": "2025-10-30"}
    assert_refused(
        lambda: enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data),
        "处罚决定没有责令当事人履行的行为义务，不能催告履行行为义务",
        unchanged=lambda: (written(), EnforcementRecord.objects.count()),
    )
    money = {**NOTICE, "term_ends": "2025-10-30"}
    assert enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=money).pk


def test_a_notice_of_money_on_a_decision_without_a_fine_is_refused(org):
    case = fined_and_ordered(org)
    PenaltyItem.objects.filter(decision__case=case, type="fine").delete()
    at(dt.date(2025, 9, 29))
    data = {**NOTICE, "term_ends": "2025-10-30"}
    assert_refused(
        lambda: enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data),
        "处罚决定没有尚未缴纳的罚款，不能催告履行金钱给付义务",
        unchanged=lambda: (written(), EnforcementRecord.objects.count()),
    )
    act_ = {**DEMOLISH, "term_ends": "2025-10-30"}
    assert enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=act_).pk


def test_a_fine_under_a_grant_over_money_takes_the_agency_road_with_no_court_window(org):
    case = decided(org, own_power=True, scope="money")
    r = noticed(org, case)
    assert not Deadline.objects.filter(case=case, code="court_application").exists()
    at(dt.date(2025, 10, 9))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={})
    assert r.step == "en_decide"


def test_a_night_enforcement_is_refused_then_allowed_with_an_urgent_reason(org):
    case = decided(org, own_power=True)
    r = noticed(org, case)
    at(dt.date(2025, 10, 9))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={})
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="draft",
        data={"reason": "逾期不缴纳罚款", "type": "transfer_funds", "remedies_told": True},
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.director, decision="approve", data={"opinion": "同意"}
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": "2025-10-09"}
    )
    at(dt.date(2025, 10, 10), hour=23)
    carry = {
        "officers": [org.handler.pk, org.co_handler.pk],
        "carried_out_at": "2025-10-10T22:30:00+08:00",
        "methods": [],
    }
    assert_refused(
        lambda: enforcement_act(
            record_id=r.pk, actor=org.handler, decision="carry_out", data=carry
        ),
        "夜间",
        unchanged=lambda: (written(), Enforcement.objects.count()),
    )
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="carry_out",
        data={**carry, "urgent_reason": "当事人正在转移存款"},
    )
    assert (r.step, r.outcome, r.completed_on) == ("en_done", "enforced", dt.date(2025, 10, 10))
    assert Enforcement.objects.get(case=case).type == "transfer_funds"


def test_substitute_performance_waits_three_working_days_after_its_notice(org):
    case = decided(org, own_power=True, scope="performance")
    r = noticed(org, case)
    at(dt.date(2025, 10, 1))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="substitute", data={})
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="decide",
        data={
            "reason": "逾期未拆除",
            "manner": "拆除广告牌",
            "object": "户外广告牌",
            "performer": "某拆除公司",
            "budget": "3000",
            "planned_on": "2025-10-13",
        },
    )
    notice = Deadline.objects.get(case=case, code="substitute_notice")
    assert notice.due_on == dt.date(2025, 10, 9)  # 3 working days before 10-13 (10-11 worked)
    at(dt.date(2025, 10, 9))
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": "2025-10-09"}
    )
    at(dt.date(2025, 10, 11))  # a 调休 working Saturday, two working days after the notice
    on_site = {"officer_present": True, "signed": True}
    early = {**on_site, "carried_out_at": "2025-10-11T09:00:00+08:00"}
    assert_refused(
        lambda: enforcement_act(
            record_id=r.pk, actor=org.handler, decision="carry_out", data=early
        ),
        "第五十一条",
        unchanged=written,
    )
    at(dt.date(2025, 10, 13))
    ok = {**on_site, "carried_out_at": "2025-10-13T09:00:00+08:00"}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="carry_out", data=ok)
    charge = {"cost": "2800", "term_ends": "2025-10-28"}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="charge", data=charge)
    assert (r.step, r.outcome) == ("en_done", "substituted")
    assert Enforcement.objects.get(case=case).type == "substitute"


def test_a_review_pauses_the_surcharge_and_blocks_the_court_application(org):
    case = decided(org)
    decision = Decision.objects.get(case=case)
    due = due_of(case)
    at(due + dt.timedelta(days=2))
    review_file(
        case_id=case.pk,
        actor=org.legal,
        party=0,
        kind="reconsideration",
        filed_on=clock.today(),
        organ="聊城市人民政府",
    )
    at(due + dt.timedelta(days=20))
    s = selectors.surcharge_of(decision, clock.today())
    assert s is not None and (s.days, s.amount) == (1, Decimal("150.00"))


def test_a_suspension_resumes_where_it_stood_and_ending_cancels_the_limits(org):
    case = decided(org)
    r = noticed(org, case)
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="suspend",
        data={"ground": "hardship", "reason": "当事人暂无履行能力"},
    )
    alarm = Deadline.objects.get(case=case, code="enforcement_suspension")
    assert alarm.due_on == dt.date(2028, 9, 29)
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="resume", data={"reason": "已具备履行能力"}
    )
    assert r.step == "en_route" and Deadline.objects.get(pk=alarm.pk).stopped_on is not None
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="end",
        data={"ground": "revoked", "reason": "处罚决定被复议撤销"},
    )
    assert (r.step, r.outcome) == (END, "ended")
    running = Deadline.objects.filter(case=case, stopped_on__isnull=True, party__isnull=False)
    assert not running.filter(code__in=["court_application", "enforcement_notice_term"]).exists()


def test_bad_input_is_refused_by_field_and_changes_nothing(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    data = {**NOTICE, "term_ends": "2025-13-40", "amount": "1e999"}
    refusal = assert_refused(
        lambda: enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data),
        "无法识别",
        unchanged=lambda: (written(), EnforcementRecord.objects.count()),
    )
    assert set(refusal.fields) == {"term_ends", "amount"}


def test_another_agency_gets_404_and_cannot_act(org):
    case = decided(org)
    r = noticed(org, case)
    assert selectors.enforcement_for_user(org.handler, r.pk) == r
    assert selectors.enforcement_for_user(org.supervisor, r.pk) == r
    for outsider in (org.other_officer, org.county_officer, org.county_supervisor):
        with pytest.raises(Http404):
            selectors.enforcement_for_user(outsider, r.pk)
    assert_refused(
        lambda: enforcement_act(record_id=r.pk, actor=org.other_officer, decision="court", data={}),
        "本单位",
        unchanged=written,
    )


def test_an_approved_instalment_plan_moves_the_surcharge_and_the_court_window(org):
    case = decided(org)
    decision = Decision.objects.get(case=case)
    due = due_of(case)
    at(due + dt.timedelta(days=2))
    plan = [
        {"due": (due + dt.timedelta(days=30)).isoformat(), "amount": "2000.00"},
        {"due": (due + dt.timedelta(days=200)).isoformat(), "amount": "3000.00"},
    ]
    assert_refused(
        lambda: deferral_approve(
            case_id=case.pk, actor=org.handler, party=0, schedule=plan, reason="经营困难"
        ),
        "分管局长",
        unchanged=written,
    )
    short = [{**plan[0], "amount": "1000.00"}, plan[1]]
    refusal = assert_refused(
        lambda: deferral_approve(
            case_id=case.pk, actor=org.director, party=0, schedule=short, reason="经营困难"
        ),
        "第六十六条第二款",
        unchanged=written,
    )
    assert set(refusal.fields) == {"schedule"}
    deferral_approve(case_id=case.pk, actor=org.director, party=0, schedule=plan, reason="经营困难")
    # Default: the approval moves the due date, so the two days before it are not charged.
    at(due + dt.timedelta(days=31))
    s = selectors.surcharge_of(decision, clock.today())
    assert s is not None and s.amount == Decimal("60.00")  # 2,000 × 3 % × 1 day
    w = selectors.window_of(decision, case)
    # 行政处罚法第七十二条第二款: from the deferral's end, later than the six months here.
    assert w is not None and w.litigation_ends == due + dt.timedelta(days=200)


def planned(org, case: Case) -> dt.date:
    """An approved plan of two instalments on the 5,000 元: 2,000 at the limit + 30 days, 3,000
    at + 200; returns the first instalment's due date."""
    due = due_of(case)
    at(due + dt.timedelta(days=2))
    plan = [
        {"due": (due + dt.timedelta(days=30)).isoformat(), "amount": "2000.00"},
        {"due": (due + dt.timedelta(days=200)).isoformat(), "amount": "3000.00"},
    ]
    deferral_approve(case_id=case.pk, actor=org.director, party=0, schedule=plan, reason="经营困难")
    return due + dt.timedelta(days=30)


def test_a_plan_holds_the_decision_back_up_to_an_instalments_due_day(org):
    case = decided(org)
    first = planned(org, case)
    at(first)
    assert not selectors.unpaid_overdue(org.handler).exists()
    s = selectors.surcharge_of(Decision.objects.get(case=case), clock.today())
    assert s is not None and s.amount == Decimal("0.00")
    data = {**NOTICE, "term_ends": (clock.today() + dt.timedelta(days=5)).isoformat()}
    assert_refused(
        lambda: enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data),
        "第六十六条第二款",
        unchanged=lambda: (written(), EnforcementRecord.objects.count()),
    )


def test_a_missed_instalment_opens_enforcement_the_day_after_its_due_date(org):
    case = decided(org)
    decision = Decision.objects.get(case=case)
    first = planned(org, case)
    at(first + dt.timedelta(days=1))
    # Long before the plan's end (first + 170 days): the missed instalment is enough.
    assert list(selectors.unpaid_overdue(org.handler)) == [decision]
    s = selectors.surcharge_of(decision, clock.today())
    assert s is not None and s.amount == Decimal("60.00")  # 2,000 × 3 % from its own due date
    data = {**NOTICE, "term_ends": (clock.today() + dt.timedelta(days=5)).isoformat()}
    r = enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=data)
    assert r.step == "en_notice_serve"
    assert not selectors.unpaid_overdue(org.handler).exists()


def test_a_deferral_that_does_not_move_the_due_date_keeps_the_surcharge_that_ran(org, settings):
    settings.ENFORCEMENT_DEFERRAL_MOVES_DUE = False
    case = decided(org)
    decision = Decision.objects.get(case=case)
    due = due_of(case)
    at(due + dt.timedelta(days=2))
    plan = [{"due": (due + dt.timedelta(days=30)).isoformat(), "amount": "5000.00"}]
    deferral_approve(case_id=case.pk, actor=org.director, party=0, schedule=plan, reason="困难")
    at(due + dt.timedelta(days=20))
    s = selectors.surcharge_of(decision, clock.today())
    assert s is not None and s.amount == Decimal("300.00")  # 5,000 × 3 % × 2 days


def test_adopting_the_party_statement_ends_the_enforcement_and_cancels_its_limits(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    term = {**NOTICE, "term_ends": "2025-10-15"}
    r = enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=term)
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": "2025-09-29"}
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="record", data={"statement": "罚款已缴纳"}
    )
    assert_refused(
        lambda: enforcement_act(record_id=r.pk, actor=org.chief, decision="adopt", data={}),
        "请填写理由",
        unchanged=written,
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.chief, decision="adopt", data={"reason": "当事人已提供缴款凭证"}
    )
    assert (r.step, r.outcome) == (END, "adopted")
    mine = Deadline.objects.filter(
        case=case, code__in=["enforcement_notice_term", "court_application"]
    )
    assert {d.status for d in mine} == {Deadline.Status.CANCELLED}


def test_an_instalment_recorded_as_paid_on_its_due_day_is_not_missed(org):
    case = decided(org)
    decision = Decision.objects.get(case=case)
    first = planned(org, case)
    at(first)
    pay = {"case_id": case.pk, "party": 0, "instalment": 1}
    refusal = assert_refused(
        lambda: instalment_paid(
            **pay, actor=org.handler, paid_on=(first + dt.timedelta(days=1)).isoformat()
        ),
        "晚于今天",
        unchanged=lambda: (written(), selectors.deferral_of(decision).schedule),
    )
    assert set(refusal.fields) == {"paid_on"}
    assert_refused(
        lambda: instalment_paid(**pay, actor=org.other_officer, paid_on=first.isoformat()),
        "本单位",
        unchanged=written,
    )
    instalment_paid(**pay, actor=org.handler, paid_on=first.isoformat())
    at(first + dt.timedelta(days=1))
    assert not selectors.unpaid_overdue(org.handler).exists()
    s = selectors.surcharge_of(decision, clock.today())
    assert s is not None and s.amount == Decimal("0.00")
    assert Entry.objects.filter(stream=case.stream, action="instalment_paid").count() == 1


def test_an_instalment_paid_is_refused_for_nothing_less_than_it_or_more_than_it_owes(org):
    case = decided(org)
    decision = Decision.objects.get(case=case)
    first = planned(org, case)
    at(first + dt.timedelta(days=2))  # two days late: 2,000 × 3 % × 2 = 120 元 of surcharge
    pay = {
        "case_id": case.pk,
        "party": 0,
        "instalment": 1,
        "actor": org.handler,
        "paid_on": clock.today().isoformat(),
    }

    def unchanged():
        return written(), selectors.deferral_of(decision).schedule

    for amount, reason in (
        ("0", "缴款金额须大于零"),
        ("-5", "缴款金额须大于零"),
        ("abc", "请填写缴款金额"),
        ("", "请填写缴款金额"),
        ("2000.001", "最多两位小数"),
        ("1999.99", "第1期应缴2000.00元"),
        ("2120.01", "不能超过第1期应缴的2120.00元"),
    ):
        refusal = assert_refused(
            lambda amount=amount: instalment_paid(**pay, amount=amount), reason, unchanged=unchanged
        )
        assert set(refusal.fields) == {"amount"}
    # The last lawful sum: the instalment and its surcharge.
    instalment_paid(**pay, amount="2120.00")
    row = selectors.deferral_of(decision).schedule[0]
    assert (row["paid_on"], row["paid_amount"]) == (clock.today().isoformat(), "2120.00")
    entry = Entry.objects.get(stream=case.stream, action="instalment_paid")
    assert entry.payload["paid_amount"] == "2120.00"


def test_an_instalment_paid_before_the_plan_was_approved_is_refused(org):
    case = decided(org)
    due = due_of(case)
    planned(org, case)  # approved two days after the limit
    approved = due + dt.timedelta(days=2)
    pay = {"case_id": case.pk, "party": 0, "instalment": 1, "actor": org.handler}
    refusal = assert_refused(
        lambda: instalment_paid(
            **pay, paid_on=(approved - dt.timedelta(days=1)).isoformat(), amount="2000"
        ),
        "不能早于批准延期（分期）的日期",
        unchanged=written,
    )
    assert set(refusal.fields) == {"paid_on"}
    instalment_paid(**pay, paid_on=approved.isoformat(), amount="2000")
