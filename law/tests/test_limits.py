from __future__ import annotations

from datetime import date, datetime

import pytest

from law.calendar import SHANGHAI, CalendarNotCovered, WorkingCalendar
from law.limits import (
    ALL_LIMITS,
    COURT_APPLICATION,
    COURT_APPLICATION_AFTER_NOTICE,
    DECISION_LIMIT,
    DELIVERY,
    DISCLOSURE_PENALTY,
    DISCLOSURE_WITHDRAWAL,
    EMERGENCY_MEASURE_REPORT,
    HEARING_NOTICE,
    HEARING_REQUEST,
    LIMITS_BY_CODE,
    LITIGATION,
    PAYMENT,
    RECONSIDERATION,
    SEIZURE_PERIOD,
    SUBSTITUTE_NOTICE,
    TIME_BAR,
    DayKind,
    due_date,
    due_datetime,
)

CAL = WorkingCalendar()


def test_every_limit_has_a_unique_code_and_cites_its_article() -> None:
    assert len(LIMITS_BY_CODE) == len(ALL_LIMITS) == 26
    for limit in ALL_LIMITS:
        assert limit.article and limit.law and limit.name and limit.amount > 0
    assert DECISION_LIMIT.citation == "《行政处罚法》第六十条"
    assert DISCLOSURE_PENALTY.citation.startswith("国办发〔2018〕118号")


def test_the_two_to_seven_day_limits_of_the_penalty_law_are_working_days_per_article_85() -> None:
    for limit in ALL_LIMITS:
        if limit.law == "行政处罚法" and limit.kind in (DayKind.CALENDAR, DayKind.WORKING):
            expected = DayKind.WORKING if limit.amount in (2, 3, 5, 7) else DayKind.CALENDAR
            assert limit.kind is expected, limit.code


def test_coercion_law_limits_of_ten_days_or_less_are_working_days_per_article_69() -> None:
    for limit in ALL_LIMITS:
        if limit.law == "行政强制法" and limit.kind in (DayKind.CALENDAR, DayKind.WORKING):
            expected = DayKind.WORKING if limit.amount <= 10 else DayKind.CALENDAR
            assert limit.kind is expected, limit.code
    assert SEIZURE_PERIOD.kind is DayKind.CALENDAR and SEIZURE_PERIOD.amount == 30


def test_the_statutes_own_numbers() -> None:
    assert (DECISION_LIMIT.amount, DECISION_LIMIT.kind) == (90, DayKind.CALENDAR)
    assert (HEARING_REQUEST.amount, HEARING_REQUEST.kind) == (5, DayKind.WORKING)
    assert (PAYMENT.amount, PAYMENT.kind) == (15, DayKind.CALENDAR)
    assert (EMERGENCY_MEASURE_REPORT.amount, EMERGENCY_MEASURE_REPORT.kind) == (24, DayKind.HOURS)
    assert (LITIGATION.amount, LITIGATION.kind) == (6, DayKind.MONTHS)
    assert (RECONSIDERATION.amount, RECONSIDERATION.kind) == (60, DayKind.CALENDAR)
    assert TIME_BAR.duration_label == "2年"
    assert HEARING_REQUEST.duration_label == "5个工作日"


def test_the_hearing_request_window_is_five_working_days_excluding_the_start_day() -> None:
    # notice served Friday 2024-09-27: 09-29 (worked Sunday), 09-30, 10-08, 10-09, 10-10
    assert due_date(HEARING_REQUEST, date(2024, 9, 27), CAL) == date(2024, 10, 10)


def test_delivery_within_seven_working_days_across_the_2025_spring_festival() -> None:
    assert due_date(DELIVERY, date(2025, 1, 24), CAL) == date(2025, 2, 10)


def test_the_hearing_notice_is_due_seven_working_days_before_the_hearing() -> None:
    assert due_date(HEARING_NOTICE, date(2024, 10, 10), CAL) == date(2024, 9, 25)


def test_the_substitute_performance_reminder_is_due_three_working_days_before() -> None:
    # 代履行 on 2025-02-06: 02-05, 01-27, 01-26 (worked Sunday)
    assert due_date(SUBSTITUTE_NOTICE, date(2025, 2, 6), CAL) == date(2025, 1, 26)


def test_disclosure_withdrawal_within_three_working_days_skips_national_day() -> None:
    # 10-08, 10-09, 10-10
    assert due_date(DISCLOSURE_WITHDRAWAL, date(2024, 9, 30), CAL) == date(2024, 10, 10)


def test_court_application_waits_ten_working_days_after_the_reminder() -> None:
    assert due_date(COURT_APPLICATION_AFTER_NOTICE, date(2024, 9, 27), CAL) == date(2024, 10, 16)


def test_the_decision_limit_is_ninety_calendar_days_from_filing() -> None:
    assert due_date(DECISION_LIMIT, date(2024, 7, 1), CAL) == date(2024, 9, 29)


def test_the_agency_decision_limit_does_not_roll_over_a_holiday() -> None:
    # 2024-07-03 + 90 days = 2024-10-01, a holiday: the agency's own limit is not extended
    assert due_date(DECISION_LIMIT, date(2024, 7, 3), CAL) == date(2024, 10, 1)


def test_a_payment_period_ending_on_national_day_rolls_over_to_the_next_working_day() -> None:
    # received 2024-09-16: 15 days end on 2024-10-01 (holiday) -> 2024-10-08
    assert due_date(PAYMENT, date(2024, 9, 16), CAL) == date(2024, 10, 8)


def test_a_reconsideration_period_ending_in_the_2025_spring_festival_rolls_over() -> None:
    # 2024-12-01 + 60 days = 2025-01-30 (Spring Festival) -> 2025-02-05
    assert due_date(RECONSIDERATION, date(2024, 12, 1), CAL) == date(2025, 2, 5)


def test_litigation_is_six_months_clamped_to_the_end_of_february() -> None:
    assert due_date(LITIGATION, date(2024, 8, 31), CAL) == date(2025, 2, 28)


def test_court_application_is_three_months_from_the_end_of_the_period() -> None:
    assert due_date(COURT_APPLICATION, date(2024, 11, 30), CAL) == date(2025, 2, 28)


def test_the_emergency_measure_report_is_due_twenty_four_hours_later() -> None:
    start = datetime(2024, 10, 1, 9, 30, tzinfo=SHANGHAI)
    assert due_datetime(EMERGENCY_MEASURE_REPORT, start, CAL) == datetime(
        2024, 10, 2, 9, 30, tzinfo=SHANGHAI
    )


def test_hours_and_days_each_have_their_own_function() -> None:
    with pytest.raises(ValueError, match="due_datetime"):
        due_date(EMERGENCY_MEASURE_REPORT, date(2024, 10, 1), CAL)
    with pytest.raises(ValueError, match="due_date"):
        due_datetime(PAYMENT, datetime(2024, 10, 1, tzinfo=SHANGHAI), CAL)


def test_a_working_day_limit_running_into_an_uncovered_year_is_refused() -> None:
    with pytest.raises(CalendarNotCovered):
        due_date(HEARING_REQUEST, date(2026, 12, 30), CAL)


def test_a_calendar_day_limit_without_roll_over_needs_no_holiday_data() -> None:
    assert due_date(DECISION_LIMIT, date(2026, 12, 1), CAL) == date(2027, 3, 1)
