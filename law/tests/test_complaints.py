"""The intake rules of 投诉举报, pure: the codes, the phone, the date, the 受理 limit, masking."""

from __future__ import annotations

import datetime as dt

from law import complaints as c
from law.calendar import WorkingCalendar

TODAY = dt.date(2025, 3, 3)


def test_a_tracking_code_has_twelve_characters_of_the_unambiguous_alphabet():
    codes = {c.tracking_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert c.is_code(code)
    assert not set("01258BILOSZ") & set(c.CODE_ALPHABET)


def test_a_typed_code_is_read_without_spaces_dashes_or_case():
    assert c.normalize_code(" acde-fghj kmnp ") == "ACDEFGHJKMNP"
    assert c.is_code("ACDEFGHJKMNP")
    assert not c.is_code("ACDEFGHJKMN")
    assert not c.is_code("ACDEFGHJKMNPQ")
    assert not c.is_code("ACDEFGHJKMN0")
    # A pasted page is not read whole: twice a code's length at most.
    assert c.normalize_code("a" * 100) == "A" * 24


def test_a_mobile_number_has_eleven_digits_from_13_to_19():
    assert c.mobile_errors("") == []
    assert c.mobile_errors("13912345678") == []
    assert c.mobile_errors("19912345678") == []
    assert c.mobile_errors("12912345678") == ["手机号码应为11位中国大陆手机号码，以13至19开头"]
    for bad in ("12912345678", "1391234567", "139123456789", "1391234567a", "23912345678"):
        assert c.mobile_errors(bad), bad


def test_the_date_is_neither_in_the_future_nor_older_than_the_setting():
    assert c.happened_errors(TODAY, TODAY, 10) == []
    assert c.happened_errors(TODAY + dt.timedelta(days=1), TODAY, 10) == ["发生日期不能晚于今天"]
    assert c.happened_errors(TODAY - dt.timedelta(days=10), TODAY, 10) == []
    assert c.happened_errors(TODAY - dt.timedelta(days=11), TODAY, 10)


def test_the_acceptance_limit_is_the_seventh_working_day_after_filing():
    cal = WorkingCalendar()
    # Monday 2025-03-03 → Wednesday 2025-03-12 (two weekends skipped).
    assert c.accept_due(TODAY, c.ACCEPT_WORKING_DAYS, cal) == dt.date(2025, 3, 12)
    assert c.accept_due(TODAY, 1, cal) == dt.date(2025, 3, 4)


def test_the_limit_is_late_from_the_day_after_the_last_day():
    last = dt.date(2025, 3, 12)
    assert not c.accept_overdue(last, last)
    assert c.accept_overdue(last, last + dt.timedelta(days=1))


def test_names_are_masked():
    assert c.mask_name("王小明") == "王**"
    assert c.mask_name("李") == "李*"
    assert c.mask_name("  ") == ""
