"""Reads of 非现场执法; one access function per entity (out of scope is 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.todo import COUNT_CAP, TODO_CAP, TodoItem
from nonsite.models import Device, Station, WimRecord
from nonsite.services import device_problems
from orgs.models import User
from orgs.selectors import unit_scope_q
from procedure.roles import Role
from zhifa import clock


def stations_for_user(user: User) -> QuerySet[Station]:
    q = unit_scope_q(user, "unit")
    if q is None:
        return Station.objects.none()
    return Station.objects.filter(q)


def get_station_for_user(user: User, station_id: int) -> Station:
    try:
        return stations_for_user(user).select_related("unit").get(pk=station_id)
    except (Station.DoesNotExist, ValueError, TypeError):
        raise Http404("站点不存在") from None


def get_device_for_user(user: User, device_id: int) -> Device:
    """A device is seen by whoever sees its station; any other is 404."""
    try:
        return (
            Device.objects.select_related("station")
            .filter(station__in=stations_for_user(user))
            .get(pk=device_id)
        )
    except (Device.DoesNotExist, ValueError, TypeError):
        raise Http404("设备不存在") from None


def records_for_user(user: User) -> QuerySet[WimRecord]:
    q = unit_scope_q(user, "station__unit")
    if q is None:
        return WimRecord.objects.none()
    return WimRecord.objects.filter(q)


def get_record_for_user(user: User, record_id: int) -> WimRecord:
    try:
        return (
            records_for_user(user)
            .select_related("station", "device", "case", "reviewed_by")
            .get(pk=record_id)
        )
    except (WimRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("检测记录不存在") from None


def review_queue(
    user: User,
    *,
    station: int | None = None,
    status: str = "",
    plate: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    flagged: bool = False,
) -> QuerySet[WimRecord]:
    """The records waiting for an officer's review, oldest first, narrowed by the filters."""
    waiting = [WimRecord.Status.QUEUED, WimRecord.Status.UNUSABLE]
    qs = records_for_user(user).filter(status__in=[status] if status in waiting else waiting)
    if station is not None:
        qs = qs.filter(station_id=station)
    if plate:
        qs = qs.filter(plate__icontains=plate)
    if since:
        qs = qs.filter(passed_on__gte=since)
    if until:
        qs = qs.filter(passed_on__lte=until)
    if flagged:
        qs = qs.exclude(flag="")
    return qs.select_related("station").order_by("passed_at", "id")


def device_state(device: Device, on: dt.date | None = None) -> list[str]:
    return device_problems(device, on or clock.today(), list(device.reviews.all()))


def station_series(station: Station, days: int = 90) -> list[dict[str, Any]]:
    """Per day: passages (duplicates not counted), overloads flagged, and the overload rate."""
    since = clock.today() - dt.timedelta(days=days - 1)
    rows = (
        WimRecord.objects.filter(station=station, passed_on__gte=since)
        .exclude(status=WimRecord.Status.DUPLICATE)
        .values("passed_on")
        .annotate(total=Count("id"), over=Count("id", filter=~Q(flag="")))
        .order_by("passed_on")
    )
    return [
        {
            "day": r["passed_on"],
            "total": r["total"],
            "over": r["over"],
            "rate": round(100 * r["over"] / r["total"], 2) if r["total"] else 0.0,
        }
        for r in rows
    ]


# --- 待办 ---------------------------------------------------------------------------------------


def queue_todo(user: User, role: Role) -> list[TodoItem]:
    """The 超限 records waiting for review, as one item: how many and since when, linking to the
    queue (a station sends thousands; the queue pages and batches them)."""
    if role != Role.HANDLER or user.unit_id is None or not user.has_role(role):
        return []
    # The unit's own stations: a supervisor's subtree is not an officer's queue.
    qs = review_queue(user).filter(station__unit_id=user.unit_id)
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    if not count:
        return []
    oldest = qs.values_list("passed_on", flat=True).first()
    return [
        TodoItem(
            kind="nonsite",
            subject=f"治超非现场检测记录 {count if count <= COUNT_CAP else f'{COUNT_CAP}+'}条",
            asked="审核超限记录（确认立案或排除）",
            url=reverse("nonsite-queue"),
            since=oldest,
            count=count,
        )
    ]


def statements_todo(user: User, role: Role) -> list[TodoItem]:
    """陈述、申辩 a party submitted online through its link (行政处罚法第四十一条) on the cases
    the user handles, not yet followed by a step of the case. The platform's only online
    submission by a party: the general procedure's 陈述申辩 and 听证 requests are recorded by the
    承办人 at step 12 (notice_response)."""
    from cases.models import Case
    from cases.selectors import case_step_codes
    from ledger.models import Entry

    if role != Role.HANDLER or user.unit_id is None or not user.has_role(role):
        return []
    cases = Case.objects.filter(
        unit_id=user.unit_id,
        handler=user,
        status__in=[Case.Status.LEAD, Case.Status.OPEN],
        pk__in=WimRecord.objects.filter(case__isnull=False).values("case_id"),
    )
    by_stream = {c.stream: c for c in cases.order_by("-pk")[:TODO_CAP]}
    if not by_stream:
        return []
    last_step = dict(
        Entry.objects.filter(stream__in=list(by_stream), action__in=case_step_codes())
        .values("stream")
        .annotate(seq=Max("seq"))
        .values_list("stream", "seq")
        .order_by()
    )
    items = []
    for e in Entry.objects.filter(stream__in=list(by_stream), action="party_statement").order_by(
        "seq"
    ):
        if e.seq <= last_step.get(e.stream, 0):
            continue
        case = by_stream[e.stream]
        items.append(
            TodoItem(
                kind="statement",
                subject=f"{case} · {e.actor_name}",
                asked="处理当事人在线提交的陈述、申辩",
                url=reverse("case-detail", args=[case.pk]) + "#record",
                since=timezone.localdate(e.at),
            )
        )
    return items
