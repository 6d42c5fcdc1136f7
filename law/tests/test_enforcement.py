"""强制执行 rules with the statute's own numbers (pure: no database)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from law import enforcement as e
from law.calendar import SHANGHAI, WorkingCalendar

CAL = WorkingCalendar()
FINE = Decimal("1000.00")
DUE = date(2025, 3, 25)


def test_the_surcharge_is_three_percent_of_the_fine_for_each_day_after_the_due_date() -> None:
    assert e.surcharge(fine=FINE, due=DUE, as_of=DUE).amount == Decimal("0.00")
    assert e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 3, 26)).amount == Decimal("30.00")
    assert e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 4, 4)).amount == Decimal("300.00")


def test_the_surcharge_is_exact_to_the_fen() -> None:
    s = e.surcharge(fine=Decimal("333.33"), due=DUE, as_of=date(2025, 3, 27))
    assert s.amount == Decimal("20.00")  # 333.33 × 3 % × 2 = 19.9998


def test_the_surcharge_never_exceeds_the_fine() -> None:
    # 33 days: 990; 34 days would be 1020.
    assert e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 4, 27)).amount == Decimal("990.00")
    assert e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 4, 28)).amount == FINE
    assert e.surcharge(fine=FINE, due=DUE, as_of=date(2026, 4, 28)).amount == FINE


def test_a_surcharge_stops_on_the_day_of_payment() -> None:
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 6, 1), paid_on=date(2025, 3, 27))
    assert (s.amount, s.days) == (Decimal("60.00"), 2)


def test_the_days_a_review_was_pending_are_not_counted() -> None:
    pause = e.Interval(date(2025, 3, 28), date(2025, 3, 31))  # four days, both ends included
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 4, 4), pauses=[pause])
    assert (s.amount, s.days, s.paused) == (Decimal("180.00"), 6, 4)


def test_a_review_still_pending_pauses_the_surcharge_up_to_today() -> None:
    pause = e.Interval(date(2025, 3, 28))
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 5, 1), pauses=[pause])
    assert (s.amount, s.days) == (Decimal("60.00"), 2)


def test_overlapping_reviews_pause_each_day_once_and_days_before_the_due_date_never() -> None:
    pauses = [e.Interval(date(2025, 3, 1), date(2025, 3, 27)), e.Interval(date(2025, 3, 26))]
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 3, 30), pauses=pauses)
    assert (s.days, s.paused) == (0, 5)


def test_an_approved_instalment_plan_charges_each_instalment_from_its_own_due_date() -> None:
    plan = [
        e.Instalment(date(2025, 4, 25), Decimal("400.00"), paid_on=date(2025, 4, 25)),
        e.Instalment(date(2025, 5, 25), Decimal("600.00")),
    ]
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 5, 27), schedule=plan)
    assert s.amount == Decimal("36.00")  # 600 × 3 % × 2; the first paid on time


def test_by_default_a_deferral_moves_the_due_date_so_what_ran_before_is_not_charged() -> None:
    plan = [e.Instalment(date(2025, 5, 25), FINE)]
    approved, as_of = date(2025, 3, 27), date(2025, 5, 26)
    moved = e.surcharge(fine=FINE, due=DUE, as_of=as_of, schedule=plan, approved_on=approved)
    kept = e.surcharge(
        fine=FINE,
        due=DUE,
        as_of=as_of,
        schedule=plan,
        approved_on=approved,
        deferral_moves_due=False,
    )
    assert moved.amount == Decimal("30.00")
    assert kept.amount == Decimal("90.00")  # two days on the whole fine before the approval


def test_an_instalment_plan_must_add_up_to_the_fine_with_later_due_dates() -> None:
    plan = [e.Instalment(date(2025, 3, 20), Decimal("400")), e.Instalment(DUE, Decimal("500"))]
    errors = list(e.schedule_errors(FINE, DUE, plan))
    assert any("晚于原缴款期限" in m for m in errors)
    assert any("合计900元" in m for m in errors)
    ok = [
        e.Instalment(date(2025, 4, 1), Decimal("400")),
        e.Instalment(date(2025, 5, 1), Decimal("600")),
    ]
    assert list(e.schedule_errors(FINE, DUE, ok)) == []


def test_the_court_window_is_three_months_from_the_end_of_the_six_month_term() -> None:
    w = e.court_window(date(2025, 3, 10), CAL)
    assert (w.litigation_ends, w.opens, w.closes) == (
        date(2025, 9, 10),
        date(2025, 9, 11),
        date(2025, 12, 10),
    )
    errors = list(e.court_application_errors(date(2025, 9, 10), date(2025, 8, 1), w, CAL))
    assert errors and "第五十三条" in errors[0]
    assert list(e.court_application_errors(date(2025, 9, 11), date(2025, 8, 1), w, CAL)) == []
    assert list(e.court_application_errors(date(2025, 12, 10), date(2025, 8, 1), w, CAL)) == []
    late = list(e.court_application_errors(date(2025, 12, 11), date(2025, 8, 1), w, CAL))
    assert late and "2025-12-10" in late[0]


def test_a_decision_that_omitted_the_term_gives_the_party_a_year_first() -> None:
    w = e.court_window(date(2025, 3, 10), CAL, term_omitted=True)
    assert (w.litigation_ends, w.closes) == (date(2026, 3, 10), date(2026, 6, 10))


def test_a_review_first_decision_opens_the_window_after_the_sixty_day_review_period() -> None:
    w = e.court_window(date(2025, 3, 10), CAL, review_first=True)
    assert w.litigation_ends == date(2025, 5, 9)  # 60 days, a Friday


def test_after_an_approved_deferral_the_window_runs_from_its_end() -> None:
    w = e.court_window(date(2025, 3, 10), CAL, deferral_ends=date(2025, 11, 30))
    assert (w.opens, w.closes) == (date(2025, 12, 1), date(2026, 2, 28))


def test_a_six_month_term_ending_on_a_holiday_rolls_over_to_the_next_working_day() -> None:
    # served 2025-04-01: six months → 2025-10-01, 国庆 until 10-08.
    assert e.court_window(date(2025, 4, 1), CAL).litigation_ends == date(2025, 10, 9)


def test_an_application_needs_ten_working_days_after_the_notice_across_a_holiday() -> None:
    served = date(2025, 9, 29)  # 国庆、中秋 2025-10-01..08 off; 10-11 (Sat) a working day
    assert e.court_application_from(served, CAL) == date(2025, 10, 21)
    refused = list(e.court_application_errors(date(2025, 10, 20), served, None, CAL))
    assert refused == [
        "催告书送达满十个工作日后方可申请，最早2025-10-21（《行政强制法》第五十四条、第六十九条）"
    ]
    assert list(e.court_application_errors(date(2025, 10, 21), served, None, CAL)) == []


def test_no_application_without_a_notice() -> None:
    assert "第五十四条" in next(e.court_application_errors(date(2025, 10, 21), None, None, CAL))


def test_substitute_performance_needs_a_notice_three_working_days_before() -> None:
    served = date(2025, 9, 29)
    assert e.substitute_earliest(served, CAL) == date(2025, 10, 10)
    refused = list(e.substitute_errors(date(2025, 10, 9), served, CAL))
    assert len(refused) == 1 and "2025-10-10" in refused[0]
    assert list(e.substitute_errors(date(2025, 10, 10), served, CAL)) == []


def test_immediate_substitute_performance_needs_no_notice_but_only_for_its_objects() -> None:
    assert list(e.substitute_errors(date(2025, 10, 9), None, CAL, immediate=True)) == []
    assert list(e.substitute_errors(date(2025, 10, 9), None, CAL)) != []
    assert list(e.immediate_errors("spill", "road")) == []
    assert "第五十二条" in next(e.immediate_errors("building", "road"))


def test_enforcement_at_night_or_on_a_holiday_is_refused_unless_urgent() -> None:
    night = datetime(2025, 9, 30, 22, 0, tzinfo=SHANGHAI)
    day = datetime(2025, 9, 30, 21, 59, tzinfo=SHANGHAI)
    morning = datetime(2025, 9, 30, 6, 0, tzinfo=SHANGHAI)
    holiday = datetime(2025, 10, 2, 10, 0, tzinfo=SHANGHAI)
    assert "夜间" in next(e.timing_errors(night, CAL))
    assert list(e.timing_errors(day, CAL)) == []
    assert list(e.timing_errors(morning, CAL)) == []
    assert "法定节假日" in next(e.timing_errors(holiday, CAL))
    assert list(e.timing_errors(holiday, CAL, urgent_reason="堤坝险情")) == []
    assert list(e.timing_errors(night, CAL, urgent_reason="危及公共安全")) == []


def test_the_night_window_is_a_setting() -> None:
    at = datetime(2025, 9, 30, 21, 0, tzinfo=SHANGHAI)
    assert list(e.timing_errors(at, CAL, night_from=time(20, 0))) != []


def test_cutting_water_power_heat_or_gas_is_never_a_lawful_method() -> None:
    assert list(e.method_errors(["transfer_funds"])) == []
    (msg,) = e.method_errors(["water", "gas"])
    assert "停止供水、停止供燃气" in msg and "第四十三条第二款" in msg


def test_three_years_of_suspension_end_enforcement_only_for_a_harmless_unable_party() -> None:
    assert e.suspension_alarm(date(2025, 3, 10)) == date(2028, 3, 10)
    kw = {"no_obvious_harm": True, "unable": True}
    assert not e.no_longer_enforced(date(2025, 3, 10), date(2028, 3, 9), **kw)
    assert e.no_longer_enforced(date(2025, 3, 10), date(2028, 3, 10), **kw)
    assert not e.no_longer_enforced(
        date(2025, 3, 10), date(2029, 1, 1), no_obvious_harm=False, unable=True
    )


def test_suspension_and_ending_need_a_statutory_ground_and_a_reason() -> None:
    assert list(e.suspend_errors("hardship", "无力缴纳")) == []
    assert len(list(e.suspend_errors("bored", ""))) == 2
    assert list(e.end_errors("revoked", "复议撤销")) == []
    assert "第四十条" in next(e.end_errors("x", "r"))


def test_an_agreement_waives_the_surcharge_only_after_a_remedy() -> None:
    stages = [
        e.Instalment(date(2025, 5, 1), Decimal("500")),
        e.Instalment(date(2025, 6, 1), Decimal("500")),
    ]
    today, hundred = date(2025, 4, 1), Decimal("100")
    assert list(e.agreement_errors(stages, FINE, today, surcharge_due=hundred)) == []
    waived = list(
        e.agreement_errors(stages, FINE + hundred, today, waived=hundred, surcharge_due=hundred)
    )
    assert waived and "补救措施" in waived[0]
    remedied = e.agreement_errors(
        stages, FINE + hundred, today, waived=hundred, remedied=True, surcharge_due=hundred
    )
    assert list(remedied) == []


def test_an_instalment_is_missed_from_the_day_after_its_due_date_until_it_is_paid() -> None:
    plan = [
        e.Instalment(date(2025, 4, 1), Decimal("2000")),
        e.Instalment(date(2025, 5, 1), Decimal("3000")),
    ]
    assert e.first_missed(plan, date(2025, 4, 1)) is None  # its last day
    assert e.first_missed(plan, date(2025, 4, 2)) == plan[0]
    paid = [e.Instalment(date(2025, 4, 1), Decimal("2000"), date(2025, 4, 1)), plan[1]]
    assert e.first_missed(paid, date(2025, 5, 1)) is None
    assert e.first_missed(paid, date(2025, 5, 2)) == plan[1]
    assert e.first_missed([], date(2025, 5, 2)) is None


def test_a_decision_holds_money_while_its_fine_is_outstanding_and_an_act_when_it_orders_one():
    decision_obligations = e.decision_obligations
    assert decision_obligations(True, ["fine"]) == {"money"}
    assert decision_obligations(False, ["fine"]) == frozenset()
    assert decision_obligations(True, ["fine", "other"]) == {"money", "performance"}
    assert decision_obligations(False, ["confiscate_property"]) == {"performance"}
    assert decision_obligations(False, ["warning", "suspend_permit"]) == frozenset()
