"""Working days and period arithmetic (Asia/Shanghai).

- 《行政处罚法》第八十五条: 本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。
- 《行政强制法》第六十九条: 本法中十日以内期限的规定是指工作日，不含法定节假日。
- 《民事诉讼法》第八十五条 (applied by analogy to administrative periods): 期间开始的时和日，
  不计算在期间内; 期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期.
- 《民法典》第二百零二条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，
  月末日为期间的最后一日 (:func:`add_months` clamps to the month's end).

Which days are working days is set each year by the State Council (放假安排, with weekend days
that become working days, 调休上班). ``chinese_calendar`` carries the published years; later
years come from an administrator-maintained table (:func:`parse_overrides`). A working-day limit
in a year neither covers raises :class:`CalendarNotCovered` — the platform never guesses.

Dates are calendar dates in China Standard Time (UTC+8, no daylight saving since 1991); an
aware ``datetime`` is converted with :func:`to_shanghai_date`.
"""

from __future__ import annotations

import csv
import functools
import importlib
import io
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from types import ModuleType

__all__ = [
    "ART_69_COERCION",
    "ART_85_CIVIL_PROCEDURE",
    "ART_85_PENALTY",
    "OVERRIDE_TABLE_HEADER",
    "SHANGHAI",
    "CalendarNotCovered",
    "OverrideTableError",
    "WorkingCalendar",
    "add_calendar_days",
    "add_months",
    "add_years",
    "calendar_cliff",
    "library_years",
    "parse_override_rows",
    "parse_overrides",
    "to_shanghai_date",
]

ART_85_PENALTY = "行政处罚法第八十五条"
ART_69_COERCION = "行政强制法第六十九条"
ART_85_CIVIL_PROCEDURE = "民事诉讼法第八十五条"

#: China Standard Time. A fixed offset: China has observed no daylight saving since 1991, and a
#: fixed offset does not depend on the tz database being installed on a government network.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

_WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class CalendarNotCovered(Exception):
    """No holiday arrangement is loaded for ``year``: a working-day limit cannot be computed."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的节假日安排尚未载入，无法计算工作日期限；请系统管理员导入该年度节假日表"
        )


class OverrideTableError(ValueError):
    """The administrator's holiday table is invalid; ``errors`` holds one message per problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


def to_shanghai_date(value: date | datetime) -> date:
    """The calendar date in Asia/Shanghai; a naive datetime is taken as Shanghai local time."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(SHANGHAI)
        return value.date()
    return value


def _chinese_calendar() -> ModuleType:
    return importlib.import_module("chinese_calendar")


@functools.cache
def library_years() -> frozenset[int]:
    """The years ``chinese_calendar`` carries (2004–2026 in version 1.11).

    Determined from the library itself: it raises ``NotImplementedError`` for a year outside its
    data, so each candidate year is probed once.
    """
    module = _chinese_calendar()
    years: set[int] = set()
    for year in range(1990, 2201):
        try:
            module.is_workday(date(year, 1, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


def add_calendar_days(start: date, n: int) -> date:
    """``start`` + ``n`` calendar days (the start day is not counted: day 1 is the next day)."""
    return start + timedelta(days=n)


def _month_length(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def add_months(start: date, n: int) -> date:
    """The corresponding day ``n`` months later; the month's last day when there is none.

    《民法典》第二百零二条. E.g. 2024-08-31 + 6 months = 2025-02-28; used for 行政诉讼法第四十六条
    (六个月) and 行政强制法第五十三条 (三个月).
    """
    index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, _month_length(year, month)))


def add_years(start: date, n: int) -> date:
    """The corresponding day ``n`` years later (29 February → 28 February), 民法典第二百零二条."""
    return add_months(start, 12 * n)


class WorkingCalendar:
    """Working days per the State Council's yearly arrangement.

    ``overrides`` maps a date to True (working day, e.g. 调休上班) or False (rest day); it always
    wins. ``extra_years`` are years the override table covers in full: in them a day not listed is
    a working day from Monday to Friday and a rest day on Saturday and Sunday, and the library is
    not consulted. Other years use ``chinese_calendar``; a year nobody covers raises
    :class:`CalendarNotCovered`.
    """

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        extra_years: Iterable[int] = (),
    ) -> None:
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._extra_years: frozenset[int] = frozenset(extra_years)

    @classmethod
    def from_table(cls, text: str) -> WorkingCalendar:
        """A calendar extended with an administrator table (see :func:`parse_overrides`)."""
        overrides, years = parse_overrides(text)
        return cls(overrides, years)

    def covered_years(self) -> set[int]:
        """Years for which working days can be computed."""
        return set(library_years()) | set(self._extra_years)

    def covers(self, year: int) -> bool:
        return year in self._extra_years or year in library_years()

    def is_working_day(self, day: date | datetime) -> bool:
        """Whether ``day`` is a working day; CalendarNotCovered for a year without data."""
        day = to_shanghai_date(day)
        override = self._overrides.get(day)
        if override is not None:
            return override
        if day.year in self._extra_years:
            return day.weekday() < 5
        if day.year in library_years():
            return bool(_chinese_calendar().is_workday(day))
        raise CalendarNotCovered(day.year)

    def is_rest_day(self, day: date | datetime) -> bool:
        """法定节假日 or 休息日 (the negation of :meth:`is_working_day`)."""
        return not self.is_working_day(day)

    def add_working_days(self, start: date | datetime, n: int) -> date:
        """The ``n``-th working day after ``start`` (the start day is not counted).

        With ``n`` negative, the ``|n|``-th working day before ``start``; ``n == 0`` is ``start``.
        行政处罚法第八十五条, 行政强制法第六十九条.
        """
        day = to_shanghai_date(start)
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days ``d`` with ``a < d <= b``; negative (the mirror count) when ``b < a``.

        ``working_days_between(a, add_working_days(a, n)) == n``.
        """
        first, last = to_shanghai_date(a), to_shanghai_date(b)
        if last < first:
            return -self.working_days_between(last, first)
        count = 0
        day = first
        while day < last:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def next_working_day(self, day: date | datetime) -> date:
        """``day`` itself when it is a working day, otherwise the first working day after it.

        民事诉讼法第八十五条: a period whose last day is a 法定休假日 ends on the first day
        after it.
        """
        current = to_shanghai_date(day)
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current


# --- administrator table ---------------------------------------------------------------------

OVERRIDE_TABLE_HEADER = ("date", "kind", "name")
"""Columns of the holiday table. Example (UTF-8 CSV, a leading BOM and ``#`` comments allowed)::

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-06,holiday,春节
    2027-02-07,workday,春节调休上班

``holiday`` = 法定节假日 or 休息日 (rest); ``workday`` = 调休上班日 (a Saturday or Sunday that is
worked). Every year that appears in the table is covered in full: in it, days not listed follow
the week (Monday–Friday working, Saturday–Sunday rest), so list every holiday of the year.
"""

# A State Council 放假安排 period (as the notice lists them) is at most a month long; a longer
# one is a typo of a date.
MAX_PERIOD_DAYS = 31


def period_fits(start: date, end: date) -> bool:
    """A 放假 period as typed: it ends on or after its first day and lasts MAX_PERIOD_DAYS days at
    the most (its first day counted)."""
    return start <= end and (end - start).days < MAX_PERIOD_DAYS


_KINDS = {"holiday": False, "workday": True}
_KIND_LABELS = {False: "休息日", True: "调休上班日"}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_override_rows(text: str, *, year: int | None = None) -> list[tuple[date, bool, str]]:
    """Parse the administrator's holiday table into (date, working, name) rows, in table order.

    Strict: a wrong header, a bad date, an unknown kind, a date listed twice (in particular a
    holiday on a date already listed as a working day) or a ``workday`` on a Monday–Friday (which
    is a working day anyway — most likely a typo of the 调休 date) raise
    :class:`OverrideTableError` naming the line numbers. With ``year`` (the year of the State
    Council's notice being loaded), a date outside that year is refused as well.
    """
    errors: list[str] = []
    overrides: dict[date, bool] = {}
    rows: list[tuple[date, bool, str]] = []
    seen_on_line: dict[date, int] = {}
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text))
    header_seen = False
    for row in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            names = tuple(cell.lower() for cell in cells)
            if names not in (OVERRIDE_TABLE_HEADER, OVERRIDE_TABLE_HEADER[:2]):
                errors.append(f"第{line}行：表头应为“date,kind,name”，实际为“{','.join(cells)}”")
                break
            continue
        if len(cells) < 2 or len(cells) > 3:
            errors.append(f"第{line}行：应有2至3列（date,kind,name），实际为{len(cells)}列")
            continue
        raw_date, raw_kind = cells[0], cells[1].lower()
        day: date | None = None
        if _DATE_RE.match(raw_date):
            try:
                day = date.fromisoformat(raw_date)
            except ValueError:
                day = None
        if day is None:
            errors.append(f"第{line}行：日期“{raw_date}”无效，应为YYYY-MM-DD格式的真实日期")
            continue
        if year is not None and day.year != year:
            errors.append(f"第{line}行：{raw_date}不在{year}年内，本表只能列{year}年的日期")
            continue
        if raw_kind not in _KINDS:
            errors.append(
                f"第{line}行：类型“{cells[1]}”无效，应为holiday（休息日）或workday（调休上班日）"
            )
            continue
        working = _KINDS[raw_kind]
        if working and day.weekday() < 5:
            errors.append(
                f"第{line}行：{raw_date}是{_WEEKDAY_NAMES[day.weekday()]}，本来就是工作日，"
                "不应列为调休上班日；请核对调休日期"
            )
            continue
        if day in overrides:
            previous = seen_on_line[day]
            if overrides[day] != working:
                errors.append(
                    f"第{line}行：{raw_date}已在第{previous}行列为"
                    f"{_KIND_LABELS[overrides[day]]}，不能再列为{_KIND_LABELS[working]}"
                )
            else:
                errors.append(f"第{line}行：{raw_date}与第{previous}行重复")
            continue
        overrides[day] = working
        seen_on_line[day] = line
        rows.append((day, working, cells[2] if len(cells) == 3 else ""))
    if not header_seen:
        errors.append("节假日表为空：应有表头“date,kind,name”和至少一行数据")
    elif not overrides and not errors:
        errors.append("节假日表没有任何数据行")
    if errors:
        raise OverrideTableError(errors)
    return rows


def parse_overrides(text: str, *, year: int | None = None) -> tuple[dict[date, bool], set[int]]:
    """Parse the administrator's holiday table; returns (overrides, covered years).

    See :func:`parse_override_rows` for what is refused.
    """
    overrides = {day: working for day, working, _ in parse_override_rows(text, year=year)}
    return overrides, {day.year for day in overrides}


def calendar_cliff(covered: Collection[int], today: date, lead_days: int) -> int | None:
    """The first year without a holiday arrangement that a limit may reach within ``lead_days``.

    A working-day limit started in a year nobody covers is refused (:class:`CalendarNotCovered`),
    and a 7- or 10-working-day limit started in late December already ends in January (处罚法
    第八十五条, 强制法第六十九条). So from ``lead_days`` before a year begins, that year must be
    loaded; ``None`` when every year up to ``today + lead_days`` is covered.
    """
    horizon = today + timedelta(days=lead_days)
    for year in range(today.year, horizon.year + 1):
        if year not in covered:
            return year
    return None
