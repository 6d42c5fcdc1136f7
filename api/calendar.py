"""The holiday arrangement over HTTP (mounted at /api/calendar), as the 系统管理员's page
web/holidays.py: what a year has (shipped with the system, loaded, or missing with the warning),
and a year of the State Council's 放假安排 previewed or loaded with the same checks. Anyone but a
系统管理员 finds no such operation (404); a refusal is 422 by field and loads nothing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field

from cases.payloads import ErrorOut
from cases.runner import FieldsRefused
from deadlines import selectors, services
from deadlines.models import CalendarDay
from law.calendar import MAX_PERIOD_DAYS, OverrideTableError, library_years, period_fits
from orgs.models import User
from procedure.roles import Role

router = Router(tags=["节假日安排"])

Year = Annotated[int, Path(ge=2000, le=2100, description="年度")]


def _sysadmin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_role(Role.SYS_ADMIN):
        raise Http404
    return user


class CalendarDayOut(Schema):
    day: dt.date
    weekday: str
    working: bool = Field(description="true 调休上班；false 放假")
    kind: str
    name: str


class CalendarYearOut(Schema):
    year: int
    shipped: bool = Field(description="该年安排已随系统提供（不能以节假日表替换）")
    loaded_at: dt.datetime | None = Field(description="系统管理员载入的时间，未载入为空")
    covered: bool = Field(description="该年的工作日期限能否计算")
    shipped_until: int = Field(description="随系统提供的安排覆盖到的年度")
    warning: str | None = Field(description="期限即将跨入尚未载入安排的年度时的提示")
    days: list[CalendarDayOut] = Field(description="载入的放假和调休上班日")


class CalendarPeriodIn(Schema):
    start: dt.date
    end: dt.date | None = Field(None, description="结束日期（含），一天的可不填")
    name: str = Field("", max_length=30, description="节日名称")


class CalendarWorkdayIn(Schema):
    day: dt.date
    name: str = Field("", max_length=30, description="说明，如“春节调休上班”")


class CalendarIn(Schema):
    holidays: list[CalendarPeriodIn] = Field(
        [], max_length=60, description="放假日期（按通知逐段）"
    )
    workdays: list[CalendarWorkdayIn] = Field(
        [], max_length=60, description="调休上班日期（每天一项）"
    )
    table: str = Field(
        "", max_length=20_000, description="或节假日表（CSV：date,kind,name），与上两项二选一"
    )
    preview: bool = Field(False, description="true 只预览不载入")


class CalendarLoadOut(Schema):
    year: int
    loaded: bool = Field(description="false：仅预览，未作改动")
    holidays: int
    workdays: int
    days: list[CalendarDayOut]


def _day(day: dt.date, working: bool, name: str) -> dict[str, Any]:
    row = selectors.PreviewDay(day, working, name)
    return {"day": day, "weekday": row.weekday, "working": working, "kind": row.kind, "name": name}


def _table(body: CalendarIn) -> tuple[str, str]:
    """The CSV `calendar_load` takes, and the field its errors belong to."""
    table = body.table.strip()
    if table and (body.holidays or body.workdays):
        raise FieldsRefused({"table": ["请只用一种方式填写：按通知逐段填写，或粘贴节假日表"]})
    if table:
        return table, "table"
    fields: dict[str, list[str]] = {}
    rows = ["date,kind,name"]
    for n, p in enumerate(body.holidays, start=1):
        end = p.end or p.start
        if not period_fits(p.start, end):
            fields.setdefault("holidays", []).append(
                f"放假日期第{n}段：结束日期应在起始日期之后{MAX_PERIOD_DAYS}天内"
            )
            continue
        day = p.start
        while day <= end:
            rows.append(f"{day.isoformat()},holiday,{p.name.replace(',', '，').strip()}")
            day += dt.timedelta(days=1)
    for w in body.workdays:
        rows.append(f"{w.day.isoformat()},workday,{w.name.replace(',', '，').strip()}")
    if fields:
        raise FieldsRefused(fields)
    if len(rows) == 1:
        raise FieldsRefused({"holidays": ["请填写放假日期和调休上班日期，或粘贴节假日表"]})
    return "\n".join(rows), "holidays"


@router.get(
    "/{year}",
    response={200: CalendarYearOut, 404: ErrorOut},
    summary="某年的节假日安排：随系统提供、已载入或尚缺（系统管理员）",
)
def calendar_year(request: HttpRequest, year: Year) -> Any:
    _sysadmin(request)
    loaded = next((y for y in selectors.calendar_loaded_years() if y.year == year), None)
    cliff = selectors.calendar_cliff_now()
    days = CalendarDay.objects.filter(day__year=year).order_by("day")
    return {
        "year": year,
        "shipped": year in library_years(),
        "loaded_at": loaded.loaded_at if loaded else None,
        "covered": year in selectors.calendar_covered_years(),
        "shipped_until": max(library_years()),
        "warning": cliff.message if cliff else None,
        "days": [_day(d.day, d.working, d.name) for d in days],
    }


@router.post(
    "/{year}",
    response={200: CalendarLoadOut, 404: ErrorOut, 422: ErrorOut},
    summary="预览或载入某年国务院办公厅公布的放假安排（系统管理员）",
    description=(
        "按通知逐段填写放假日期和调休上班日期，或给出节假日表（CSV）。日期须在该年内；"
        "随系统提供的年度不能替换；载入即替换该年已载入的安排并记入全过程记录。"
        "preview 为 true 时只检查并列出各日，不作改动。"
    ),
)
def calendar_load(request: HttpRequest, year: Year, body: CalendarIn) -> Any:
    user = _sysadmin(request)
    text, field = _table(body)
    try:
        if body.preview:
            rows = [(r.day, r.working, r.name) for r in selectors.calendar_rows(text, year)]
        else:
            services.calendar_load(text=text, year=year, actor=user)
            rows = list(
                CalendarDay.objects.filter(day__year=year)
                .order_by("day")
                .values_list("day", "working", "name")
            )
    except OverrideTableError as exc:
        raise FieldsRefused({field: exc.errors}) from None
    return {
        "year": year,
        "loaded": not body.preview,
        "holidays": sum(1 for _, working, _ in rows if not working),
        "workdays": sum(1 for _, working, _ in rows if working),
        "days": [_day(*r) for r in rows],
    }
