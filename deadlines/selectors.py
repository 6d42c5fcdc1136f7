"""Reads of the deadlines app: the holiday arrangement the platform has, and the calendar cliff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from deadlines.models import CalendarDay, CalendarYear
from law.calendar import OverrideTableError, calendar_cliff, library_years, parse_override_rows
from zhifa import clock


@dataclass(frozen=True)
class CalendarCliff:
    year: int
    warn_days: int

    @property
    def message(self) -> str:
        return (
            f"{self.year}年的节假日安排尚未载入：期限一旦跨入{self.year}年，工作日期限将无法计算，"
            "相关办案操作会被拒绝。请系统管理员依据国务院办公厅公布的放假安排及时载入。"
        )


def calendar_covered_years() -> set[int]:
    return set(library_years()) | set(CalendarYear.objects.values_list("year", flat=True))


def calendar_cliff_now(today: dt.date | None = None) -> CalendarCliff | None:
    """The year a limit may soon reach without a holiday arrangement, or None (CALENDAR_WARN_DAYS
    ahead of today)."""
    days = settings.CALENDAR_WARN_DAYS
    year = calendar_cliff(calendar_covered_years(), today or clock.today(), days)
    return CalendarCliff(year, days) if year is not None else None


@dataclass(frozen=True)
class LoadedYear:
    year: int
    loaded_at: dt.datetime
    holidays: int
    workdays: int


def calendar_loaded_years() -> list[LoadedYear]:
    """The years loaded by an administrator, newest first, with their numbers of days."""
    out = []
    for y in CalendarYear.objects.order_by("-year"):
        days = CalendarDay.objects.filter(day__year=y.year)
        out.append(
            LoadedYear(
                y.year,
                y.loaded_at,
                days.filter(working=False).count(),
                days.filter(working=True).count(),
            )
        )
    return out


WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class PreviewDay:
    day: dt.date
    working: bool
    name: str

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]

    @property
    def kind(self) -> str:
        return "调休上班" if self.working else "放假"


def calendar_rows(text: str, year: int | None = None) -> list[PreviewDay]:
    """The days of a holiday table in date order, checked as `calendar_load` checks them:
    OverrideTableError with one message per problem."""
    rows = parse_override_rows(text, year=year)
    shipped = sorted({day.year for day, _, _ in rows} & library_years())
    if shipped:
        # The table covers a year in full (days not listed follow the week): over a year the
        # library carries, a partial table would silently drop its holidays.
        raise OverrideTableError(
            [
                f"{y}年的节假日安排已随系统提供（chinesecalendar），不能用节假日表替换"
                for y in shipped
            ]
        )
    return sorted((PreviewDay(d, w, n) for d, w, n in rows), key=lambda r: r.day)
