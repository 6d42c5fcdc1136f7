from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from law.calendar import (
    CalendarNotCovered,
    OverrideTableError,
    WorkingCalendar,
    add_calendar_days,
    add_months,
    add_years,
    calendar_cliff,
    library_years,
    parse_override_rows,
    parse_overrides,
    to_shanghai_date,
)

CAL = WorkingCalendar()

TABLE_2027 = """\ufeffdate,kind,name
# 2027年节假日安排（测试数据）
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,workday,春节调休上班
2027-02-08,holiday,春节
"""


def test_2024_national_day_is_a_rest_week_with_two_working_weekend_days() -> None:
    for day in range(1, 8):
        assert not CAL.is_working_day(date(2024, 10, day))
    assert CAL.is_working_day(date(2024, 9, 29))  # Sunday, 调休上班
    assert CAL.is_working_day(date(2024, 10, 12))  # Saturday, 调休上班
    assert CAL.is_rest_day(date(2024, 10, 13))


def test_the_2025_spring_festival_runs_from_28_january_to_4_february() -> None:
    assert CAL.is_working_day(date(2025, 1, 26))  # Sunday, 调休上班
    assert all(not CAL.is_working_day(date(2025, 1, 28) + timedelta(i)) for i in range(8))
    assert CAL.is_working_day(date(2025, 2, 8))  # Saturday, 调休上班


def test_five_working_days_from_friday_27_september_2024_end_on_10_october() -> None:
    # counted: 09-29 (Sun, worked), 09-30, 10-08, 10-09, 10-10
    assert CAL.add_working_days(date(2024, 9, 27), 5) == date(2024, 10, 10)


def test_the_start_day_is_not_counted_even_when_it_is_a_working_day() -> None:
    assert CAL.add_working_days(date(2024, 10, 8), 1) == date(2024, 10, 9)
    assert CAL.add_working_days(date(2024, 10, 8), 0) == date(2024, 10, 8)


def test_seven_working_days_across_the_2025_spring_festival() -> None:
    # 01-26 (Sun), 01-27, 02-05, 02-06, 02-07, 02-08 (Sat), 02-10
    assert CAL.add_working_days(date(2025, 1, 24), 7) == date(2025, 2, 10)


def test_counting_backwards_gives_the_nth_working_day_before() -> None:
    assert CAL.add_working_days(date(2024, 10, 10), -7) == date(2024, 9, 25)


def test_working_days_between_is_the_inverse_of_adding_working_days() -> None:
    assert CAL.working_days_between(date(2024, 9, 27), date(2024, 10, 10)) == 5
    assert CAL.working_days_between(date(2024, 10, 10), date(2024, 9, 27)) == -5
    assert CAL.working_days_between(date(2024, 10, 1), date(2024, 10, 7)) == 0
    start = date(2025, 1, 20)
    for n in (1, 3, 10, 20):
        assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


def test_next_working_day_skips_the_holiday_and_keeps_a_working_day() -> None:
    assert CAL.next_working_day(date(2024, 10, 1)) == date(2024, 10, 8)
    assert CAL.next_working_day(date(2024, 9, 29)) == date(2024, 9, 29)


def test_the_library_covers_2004_to_2026_and_not_2027() -> None:
    years = library_years()
    assert {2004, 2024, 2025, 2026} <= years
    assert 2003 not in years
    assert 2027 not in years


def test_a_year_without_holiday_data_is_refused_with_a_chinese_message() -> None:
    with pytest.raises(CalendarNotCovered) as info:
        CAL.is_working_day(date(2027, 3, 1))
    assert info.value.year == 2027
    assert str(info.value) == (
        "2027年的节假日安排尚未载入，无法计算工作日期限；请系统管理员导入该年度节假日表"
    )


def test_adding_working_days_into_an_uncovered_year_is_refused() -> None:
    with pytest.raises(CalendarNotCovered):
        CAL.add_working_days(date(2026, 12, 28), 10)


def test_the_administrator_table_extends_the_calendar_to_2027() -> None:
    overrides, years = parse_overrides(TABLE_2027)
    assert years == {2027}
    assert overrides[date(2027, 2, 7)] is True
    cal = WorkingCalendar(overrides, years)
    assert cal.covered_years() >= {2024, 2026, 2027}
    assert not cal.is_working_day(date(2027, 1, 1))
    assert cal.is_working_day(date(2027, 2, 7))  # Sunday, 调休上班
    assert not cal.is_working_day(date(2027, 2, 13))  # an ordinary Saturday
    assert cal.is_working_day(date(2027, 3, 3))  # an ordinary Wednesday
    assert WorkingCalendar.from_table(TABLE_2027).covers(2027)


def test_an_override_takes_precedence_over_the_library() -> None:
    cal = WorkingCalendar({date(2024, 10, 8): False})
    assert not cal.is_working_day(date(2024, 10, 8))
    assert cal.add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 9)


def test_an_aware_datetime_is_read_in_shanghai_time() -> None:
    late_utc = datetime(2024, 9, 30, 17, 0, tzinfo=UTC)  # 10-01 01:00 in Shanghai
    assert to_shanghai_date(late_utc) == date(2024, 10, 1)
    assert not CAL.is_working_day(late_utc)


def test_the_table_rejects_a_holiday_on_a_date_already_listed_as_a_workday() -> None:
    text = "date,kind,name\n2027-02-07,workday,调休\n2027-02-07,holiday,春节\n"
    with pytest.raises(OverrideTableError) as info:
        parse_overrides(text)
    assert info.value.errors == ["第3行：2027-02-07已在第2行列为调休上班日，不能再列为休息日"]


def test_the_table_reports_every_bad_line_by_number() -> None:
    text = (
        "date,kind,name\n"
        "2027-02-30,holiday,无效日期\n"
        "2027/01/01,holiday,格式错误\n"
        "2027-01-01,vacation,类型错误\n"
        "2027-03-03,workday,星期三\n"
        "2027-01-01,holiday,元旦\n"
        "2027-01-01,holiday,重复\n"
    )
    with pytest.raises(OverrideTableError) as info:
        parse_overrides(text)
    errors = info.value.errors
    assert [e.split("：")[0] for e in errors] == ["第2行", "第3行", "第4行", "第5行", "第7行"]
    assert "星期三" in errors[3]
    assert "与第6行重复" in errors[4]


def test_the_table_needs_its_header_and_some_rows() -> None:
    with pytest.raises(OverrideTableError, match="表头"):
        parse_overrides("日期,类型\n2027-01-01,holiday\n")
    with pytest.raises(OverrideTableError, match="为空"):
        parse_overrides("")
    with pytest.raises(OverrideTableError, match="没有任何数据行"):
        parse_overrides("date,kind,name\n")


def test_calendar_days_count_from_the_day_after_the_start() -> None:
    assert add_calendar_days(date(2024, 7, 1), 90) == date(2024, 9, 29)


def test_months_end_on_the_corresponding_day_or_the_last_day_of_the_month() -> None:
    assert add_months(date(2024, 3, 15), 6) == date(2024, 9, 15)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2024, 12, 31), -1) == date(2024, 11, 30)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


# --- the calendar cliff (issue 15 item 11); the years and dates below are test data -----------


def test_the_cliff_is_the_next_year_from_the_lead_days_before_it_begins() -> None:
    covered = {2098}
    # 60 days before 2099-01-01 is 2098-11-02: on that day a limit may already reach 2099.
    assert calendar_cliff(covered, date(2098, 11, 1), 60) is None
    assert calendar_cliff(covered, date(2098, 11, 2), 60) == 2099
    assert calendar_cliff(covered | {2099}, date(2098, 11, 2), 60) is None


def test_the_cliff_is_the_current_year_when_it_is_not_covered_itself() -> None:
    assert calendar_cliff({2099}, date(2098, 3, 1), 0) == 2098
    assert calendar_cliff(set(), date(2098, 12, 31), 1) == 2098


def test_the_cliff_looks_at_every_year_up_to_the_horizon() -> None:
    assert calendar_cliff({2098, 2099}, date(2098, 12, 1), 400) == 2100
    assert calendar_cliff({2098, 2099, 2100}, date(2098, 12, 1), 400) is None


def test_the_table_of_one_year_refuses_a_date_of_another_year() -> None:
    text = "date,kind,name\n2098-12-31,holiday,测试\n2099-01-01,holiday,测试元旦\n"
    with pytest.raises(OverrideTableError) as info:
        parse_overrides(text, year=2099)
    assert info.value.errors == ["第2行：2098-12-31不在2099年内，本表只能列2099年的日期"]
    with pytest.raises(OverrideTableError) as info:
        parse_overrides(text + "2100-01-01,holiday,测试\n", year=2099)
    assert [e.split("：")[0] for e in info.value.errors] == ["第2行", "第4行"]
    assert parse_overrides(text.replace("2098-12-31", "2099-01-02"), year=2099)[1] == {2099}


def test_the_rows_keep_their_names_and_order() -> None:
    text = "date,kind,name\n2099-01-03,workday,测试调休\n2099-01-01,holiday\n"
    assert parse_override_rows(text) == [
        (date(2099, 1, 3), True, "测试调休"),
        (date(2099, 1, 1), False, ""),
    ]


def test_a_holiday_period_of_a_month_is_accepted_and_one_day_more_is_a_typo():
    from law.calendar import MAX_PERIOD_DAYS, period_fits

    first = date(2027, 1, 28)
    assert MAX_PERIOD_DAYS == 31
    assert period_fits(first, first)
    assert period_fits(first, first + timedelta(days=30))
    assert not period_fits(first, first + timedelta(days=31))
    assert not period_fits(first, first - timedelta(days=1))
