from __future__ import annotations

from datetime import date

from law.calendar import WorkingCalendar
from law.limits import LITIGATION, LITIGATION_AFTER_RECONSIDERATION, RECONSIDERATION
from law.reviews import ENDINGS, Kind, Other, Result, ending, endings_of, filing_check

CAL = WorkingCalendar()


def test_each_kind_of_result_counts_as_upheld_corrected_or_no_result_with_its_article() -> None:
    r, lit = Kind.RECONSIDERATION, Kind.LITIGATION
    assert {e.code for e in endings_of(r) if e.result is Result.UPHELD} == {"upheld", "dismissed"}
    assert {e.code for e in endings_of(r) if e.result is Result.CORRECTED} == {
        "changed",
        "revoked",
        "unlawful",
        "perform",
        "void",
    }
    assert {e.code for e in endings_of(lit) if e.result is Result.UPHELD} == {"dismissed"}
    assert ending(lit, "perform") is not None and ending(lit, "perform").result is Result.CORRECTED
    assert ending(r, "withdrawn").result is Result.NONE
    assert ending(lit, "upheld") is None  # no 维持判决 since 2014
    assert ending(r, "changed").citation == "《行政复议法》第六十三条"
    assert all(e.article.startswith("第") for e in ENDINGS)


def test_sixty_days_to_apply_roll_over_the_may_day_holiday_and_a_day_more_is_late() -> None:
    on_time = filing_check(
        kind=Kind.RECONSIDERATION,
        filed_on=date(2025, 5, 6),
        known_on=date(2025, 3, 3),
        calendar=CAL,
    )
    # The 60th day, 05-02, falls in the 05-01..05-05 holiday: the period ends on 05-06.
    assert on_time.limit is RECONSIDERATION and on_time.due_on == date(2025, 5, 6)
    assert not on_time.late and on_time.warnings == ()
    late = filing_check(
        kind=Kind.RECONSIDERATION,
        filed_on=date(2025, 5, 7),
        known_on=date(2025, 3, 3),
        calendar=CAL,
    )
    assert late.late and "第二十条第一款" in late.warnings[0] and "复议机关决定" in late.warnings[0]


def test_a_suit_has_six_months_or_fifteen_days_after_a_reconsideration_result() -> None:
    direct = filing_check(
        kind=Kind.LITIGATION, filed_on=date(2025, 9, 4), known_on=date(2025, 3, 3), calendar=CAL
    )
    assert direct.limit is LITIGATION and direct.due_on == date(2025, 9, 3) and direct.late
    decided = Other(filed_on=date(2025, 3, 10), result=Result.UPHELD, ended_on=date(2025, 4, 30))
    after = filing_check(
        kind=Kind.LITIGATION,
        filed_on=date(2025, 5, 16),
        known_on=date(2025, 3, 3),
        calendar=CAL,
        other=decided,
    )
    # 15 days from 04-30 is 05-15, a Thursday.
    assert after.limit is LITIGATION_AFTER_RECONSIDERATION and after.due_on == date(2025, 5, 15)
    assert after.late and any("收到复议决定书" in w for w in after.warnings)


def test_a_suit_while_the_reconsideration_runs_is_recorded_with_a_warning() -> None:
    pending = Other(filed_on=date(2025, 3, 10), result=Result.NONE, ended_on=None)
    check = filing_check(
        kind=Kind.LITIGATION,
        filed_on=date(2025, 3, 20),
        known_on=date(2025, 3, 3),
        calendar=CAL,
        other=pending,
    )
    assert not check.late and "第二十九条" in check.warnings[0]


def test_without_a_delivery_date_the_limit_is_not_checked_and_says_so() -> None:
    check = filing_check(
        kind=Kind.RECONSIDERATION, filed_on=date(2026, 1, 1), known_on=None, calendar=CAL
    )
    assert check.due_on is None and not check.late and "送达日期未登记" in check.warnings[0]
