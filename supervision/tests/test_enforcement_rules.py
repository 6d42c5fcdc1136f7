"""The 强制执行 irregularity rules (supervision/rules.py ENFORCEMENT_RULES): each fires the day
after the last lawful day and not on it, over the platform's own records; imported cases are
skipped as by the other platform-only rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases.models import Case, Decision, PenaltyItem
from cases.tests.flow import advance, register
from conftest import SHANGHAI
from deadlines.services import working_calendar
from enforcement.models import EnforcementRecord
from enforcement.services import enforcement_act, enforcement_open
from law.enforcement import court_window
from orgs.services import regions_ensure
from supervision.models import Item
from supervision.rules import ENFORCEMENT_RULES, detect
from supervision.services import supervision_scan
from zhifa import clock

pytestmark = pytest.mark.django_db

NOTICE = {
    "obligation": "money",
    "manner": "到指定银行缴纳罚款",
    "amount": "5000.00",
    "rights_told": True,
}
CODES = {r.code for r in ENFORCEMENT_RULES}


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    return org


def at(day: dt.date, hour: int = 10, minute: int = 0) -> None:
    clock.set_now(dt.datetime.combine(day, dt.time(hour, minute), SHANGHAI))


def fired(case: Case) -> set[str]:
    """The 强制执行 rules the case breaks today."""
    return {f.rule.code for f in detect(Case.objects.filter(pk=case.pk))} & CODES


def decided(org: Any, own_power: bool = False, scope: str = "money") -> Case:
    """A case whose fine of 5,000 元 was decided and served, waiting for its performance."""
    if own_power:
        org.matter.own_enforcement_power = True
        org.matter.enforcement_power_basis = "《某法》第某条"
        org.matter.enforcement_power_scope = scope
        org.matter.save()
    return advance(org, register(org), "execution")


def decision_of(case: Case) -> Decision:
    return Decision.objects.get(case=case)


def due_of(case: Case) -> dt.date:
    due = decision_of(case).payment_due
    assert due is not None
    return due


def notice(org: Any, case: Case, served: dt.date) -> EnforcementRecord:
    at(served)
    term = {**NOTICE, "term_ends": (served + dt.timedelta(days=1)).isoformat()}
    r = enforcement_open(case_id=case.pk, actor=org.handler, party=0, data=term)
    return enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": served.isoformat()}
    )


# --- 催告 (行政强制法第三十五条、第五十四条; ENFORCEMENT_NOTICE_SERVE_DAYS) -----------------------


def test_no_notice_served_within_thirty_days_of_the_payment_limit_fires_the_day_after(city):
    case = decided(city)
    last = due_of(case) + dt.timedelta(days=30)
    at(last)
    assert "enforcement_notice_late" not in fired(case)
    at(last + dt.timedelta(days=1))
    assert "enforcement_notice_late" in fired(case)


def test_a_notice_served_on_the_last_day_is_in_time_and_one_served_the_day_after_is_late(city):
    case = decided(city)
    last = due_of(case) + dt.timedelta(days=30)
    on_time = notice(city, case, last)
    at(last + dt.timedelta(days=60))
    assert "enforcement_notice_late" not in fired(case)
    EnforcementRecord.objects.filter(pk=on_time.pk).update(
        notice_served_on=last + dt.timedelta(days=1)
    )
    assert "enforcement_notice_late" in fired(case)


def test_the_notice_limit_is_a_setting(city, settings):
    case = decided(city)
    at(due_of(case) + dt.timedelta(days=31))
    settings.ENFORCEMENT_NOTICE_SERVE_DAYS = 31
    assert "enforcement_notice_late" not in fired(case)
    settings.ENFORCEMENT_NOTICE_SERVE_DAYS = 30
    assert "enforcement_notice_late" in fired(case)


def test_a_decision_paid_late_but_within_the_notice_limit_needs_no_notice(city):
    case = decided(city)
    last = due_of(case) + dt.timedelta(days=30)
    at(last + dt.timedelta(days=10))
    Decision.objects.filter(case=case).update(executed_on=last)
    assert "enforcement_notice_late" not in fired(case)
    Decision.objects.filter(case=case).update(executed_on=last + dt.timedelta(days=1))
    assert "enforcement_notice_late" in fired(case)


# --- 申请人民法院强制执行的期限 (行政强制法第五十三条) -------------------------------------------


def window_of(case: Case) -> Any:
    d = decision_of(case)
    assert d.delivered_on is not None
    return court_window(d.delivered_on, working_calendar())


def test_the_court_window_alarm_starts_the_warn_days_before_it_closes(city, settings):
    case = decided(city)
    closes = window_of(case).closes
    warn = closes - dt.timedelta(days=settings.ENFORCEMENT_COURT_WARN_DAYS)
    at(warn - dt.timedelta(days=1))
    assert "court_window_closing" not in fired(case)
    at(warn)
    assert "court_window_closing" in fired(case)
    at(closes)
    assert fired(case) & {"court_window_closing", "court_window_missed"} == {"court_window_closing"}


def test_a_court_window_closed_unused_is_a_finding_the_day_after_its_last_day(city):
    case = decided(city)
    closes = window_of(case).closes
    at(closes + dt.timedelta(days=1))
    assert fired(case) & {"court_window_closing", "court_window_missed"} == {"court_window_missed"}


def test_an_application_on_the_last_day_of_the_window_satisfies_it_and_one_a_day_late_not(city):
    case = decided(city)
    closes = window_of(case).closes
    at(closes + dt.timedelta(days=5))
    court = {"kind": "court", "party": 0, "applied_on": closes.isoformat()}
    Decision.objects.filter(case=case).update(execution=court, executed_on=closes)
    assert "court_window_missed" not in fired(case)
    late = closes + dt.timedelta(days=1)
    Decision.objects.filter(case=case).update(
        execution={**court, "applied_on": late.isoformat()}, executed_on=late
    )
    assert "court_window_missed" in fired(case)


def test_an_agency_with_its_own_power_or_a_challenged_decision_has_no_court_window_rule(city):
    case = decided(city, own_power=True)  # a grant over money
    at(window_of(case).closes + dt.timedelta(days=1))
    assert "court_window_missed" not in fired(case)
    city.matter.own_enforcement_power = False
    city.matter.save()
    assert "court_window_missed" in fired(case)


def test_a_fine_under_a_grant_to_demolish_still_has_to_go_to_the_court_in_its_window(city):
    case = decided(city, own_power=True, scope="performance")
    at(window_of(case).closes)
    assert "court_window_missed" not in fired(case)
    at(window_of(case).closes + dt.timedelta(days=1))
    assert "court_window_missed" in fired(case)
    city.matter.enforcement_power_scope = "both"
    city.matter.save()
    assert "court_window_missed" not in fired(case)


def ordered_to_demolish(org: Any, fine: bool) -> Case:
    """A decision ordering a demolition (其他行政处罚), with or without its fine, under a grant
    to demolish only (城乡规划法第六十八条)."""
    case = decided(org, own_power=True, scope="performance")
    d = decision_of(case)
    PenaltyItem.objects.create(decision=d, type="other")
    if not fine:
        PenaltyItem.objects.filter(decision=d, type="fine").delete()
        Decision.objects.filter(pk=d.pk).update(total_amount=0)
    return case


def test_a_demolition_alone_under_a_grant_to_demolish_has_no_court_window_without_it_has(city):
    case = ordered_to_demolish(city, fine=False)
    at(window_of(case).closes + dt.timedelta(days=1))
    assert "court_window_missed" not in fired(case)
    city.matter.own_enforcement_power = False
    city.matter.save()
    # The act is the court's now: its window is missed like a fine's.
    assert "court_window_missed" in fired(case)


def test_the_demolition_enforced_by_the_agency_does_not_answer_for_the_fines_court_window(city):
    case = ordered_to_demolish(city, fine=True)
    closes = window_of(case).closes
    at(dt.date(2025, 9, 29))
    demolish = {
        **NOTICE,
        "obligation": "performance",
        "manner": "自行拆除",
        "amount": "",
        "act": "拆除违法建设",
        "term_ends": "2025-10-15",
    }
    r = enforcement_open(case_id=case.pk, actor=city.handler, party=0, data=demolish)
    EnforcementRecord.objects.filter(pk=r.pk).update(
        step="en_done", outcome="enforced", completed_on=dt.date(2025, 10, 20)
    )
    at(closes + dt.timedelta(days=1))
    assert "court_window_missed" in fired(case)
    # Had the record enforced the fine, the window would have been answered.
    EnforcementRecord.objects.filter(pk=r.pk).update(obligation="money")
    assert "court_window_missed" not in fired(case)


# --- 第四十三条: night and holidays ------------------------------------------------------------


def carried_out(org: Any, at_time: dt.datetime) -> tuple[Case, EnforcementRecord]:
    """Enforced by the agency itself (own power) at `at_time`, lawfully."""
    case = decided(org, own_power=True)
    r = notice(org, case, dt.date(2025, 9, 26))
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="record", data={"no_statement": True}
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.chief, decision="reject", data={"opinion": "理由不成立"}
    )
    at(dt.date(2025, 9, 29))
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
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": "2025-09-29"}
    )
    clock.set_now(at_time + dt.timedelta(minutes=30))
    carry = {
        "officers": [org.handler.pk, org.co_handler.pk],
        "carried_out_at": at_time.isoformat(),
        "methods": [],
    }
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="carry_out", data=carry)
    assert r.outcome == "enforced"
    return case, r


def moved_to(record: EnforcementRecord, when: str) -> None:
    """An old record (or one kept under another setting) says it was carried out `when`."""
    detail = dict(record.detail)
    detail["carried"] = {**detail["carried"], "carried_out_at": when}
    EnforcementRecord.objects.filter(pk=record.pk).update(detail=detail)


def test_enforcement_at_night_without_an_urgent_reason_fires_from_ten_oclock(city):
    case, r = carried_out(city, dt.datetime(2025, 9, 30, 21, 59, tzinfo=SHANGHAI))
    assert "enforcement_night_holiday" not in fired(case)
    moved_to(r, "2025-09-30T22:00:00+08:00")
    assert "enforcement_night_holiday" in fired(case)


def test_enforcement_on_a_holiday_fires_and_on_the_working_day_before_it_not(city):
    case, r = carried_out(city, dt.datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI))
    assert "enforcement_night_holiday" not in fired(case)
    moved_to(r, "2025-10-01T10:00:00+08:00")  # 国庆
    assert "enforcement_night_holiday" in fired(case)


def test_an_urgent_reason_recorded_keeps_the_night_rule_quiet_and_a_changed_setting_counts(
    city, settings
):
    case, r = carried_out(city, dt.datetime(2025, 9, 30, 21, 30, tzinfo=SHANGHAI))
    settings.ENFORCEMENT_NIGHT_FROM = "21:00"
    assert "enforcement_night_holiday" in fired(case)
    detail = dict(r.detail)
    detail["carried"] = {**detail["carried"], "urgent_reason": "当事人正在转移存款"}
    EnforcementRecord.objects.filter(pk=r.pk).update(detail=detail)
    assert "enforcement_night_holiday" not in fired(case)


# --- 加处罚款 (行政处罚法第七十二条, 行政强制法第四十五条) ---------------------------------------


def paid(case: Case, on: dt.date, amount: str) -> None:
    Decision.objects.filter(case=case).update(
        executed_on=on,
        execution={"kind": "paid", "party": 0, "paid_on": on.isoformat(), "amount": amount},
    )


def test_a_fine_paid_without_surcharge_on_its_last_day_is_right_and_the_day_after_is_not(city):
    case = decided(city)
    due = due_of(case)
    at(due + dt.timedelta(days=3))
    paid(case, due, "5000.00")
    assert "surcharge_miscomputed" not in fired(case)
    paid(case, due + dt.timedelta(days=1), "5000.00")
    assert "surcharge_miscomputed" in fired(case)
    paid(case, due + dt.timedelta(days=1), "5150.00")  # 5,000 × 3 % × 1 day
    assert "surcharge_miscomputed" not in fired(case)


def test_a_surcharge_above_the_fine_is_miscomputed_the_cap_is_right(city):
    case = decided(city)
    due = due_of(case)
    at(due + dt.timedelta(days=60))
    paid(case, due + dt.timedelta(days=50), "10000.00")  # capped at the fine
    assert "surcharge_miscomputed" not in fired(case)
    paid(case, due + dt.timedelta(days=50), "12500.00")  # 150 × 50 days, uncapped
    assert "surcharge_miscomputed" in fired(case)


def test_a_notice_demanding_a_wrong_surcharge_fires(city):
    case = decided(city)
    due = due_of(case)
    issued = due + dt.timedelta(days=2)
    at(issued)
    term = {**NOTICE, "amount": "5300.00", "term_ends": (issued + dt.timedelta(days=5)).isoformat()}
    r = enforcement_open(case_id=case.pk, actor=city.handler, party=0, data=term)
    assert "surcharge_miscomputed" not in fired(case)  # 5,000 × 3 % × 2 days
    EnforcementRecord.objects.filter(pk=r.pk).update(notice={**r.notice, "amount": "5450.00"})
    assert "surcharge_miscomputed" in fired(case)


# --- imported cases and the scan ------------------------------------------------------------


def test_imported_cases_are_skipped_as_by_the_other_platform_only_rules(city):
    case = decided(city)
    at(due_of(case) + dt.timedelta(days=400))
    assert fired(case) >= {"enforcement_notice_late", "court_window_missed"}
    Case.objects.filter(pk=case.pk).update(imported=True)
    assert fired(case) == set()


def test_the_scan_raises_an_item_per_enforcement_finding_once(city):
    case = decided(city)
    at(due_of(case) + dt.timedelta(days=31))
    # Two: the 催告 late, and the decision never published (supervision.publicity).
    assert supervision_scan() == 2
    assert supervision_scan() == 0
    assert Item.objects.filter(case=case, rule="publication_late").exists()
    item = Item.objects.exclude(rule="publication_late").get(case=case)
    assert (item.rule, item.statute) == (
        "enforcement_notice_late",
        "行政强制法第三十五条、第五十四条",
    )
