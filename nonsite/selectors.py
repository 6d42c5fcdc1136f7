"""Reads of 非现场执法; one access function per entity (out of scope is 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from nonsite.models import Device, Station, WimRecord
from nonsite.services import device_problems
from orgs.models import User
from orgs.selectors import unit_scope_q
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
