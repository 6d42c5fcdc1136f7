"""Reads on parking reports; `get_report_for_user` is the one access function."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cases.todo import COUNT_CAP, TodoItem
from joint.models import ParkingPhoto, ParkingReport
from ledger.models import Entry
from orgs.models import User
from orgs.selectors import unit_scope_q
from outbox.models import OutboxMessage
from outbox.selectors import failing_for_streams, messages_for_streams
from procedure.roles import Role


def reports_for_user(user: User) -> QuerySet[ParkingReport]:
    """The reporting unit's officers and its supervisors see its reports; the traffic-police
    reviewers see the reports their unit reviews; nobody else sees any."""
    q = unit_scope_q(user, "unit")
    if user.is_authenticated and user.unit_id and user.has_role(Role.TRAFFIC_REVIEWER):
        own = Q(review_unit_id=user.unit_id)
        q = own if q is None else q | own
    if q is None:
        return ParkingReport.objects.none()
    return ParkingReport.objects.filter(q)


def get_report_for_user(user: User, report_id: int) -> ParkingReport:
    try:
        return (
            reports_for_user(user)
            .select_related("unit", "review_unit", "officer", "reviewer")
            .get(pk=report_id)
        )
    except (ParkingReport.DoesNotExist, ValueError, TypeError):
        raise Http404("违停记录不存在") from None


def get_photo_for_user(user: User, photo_id: int) -> ParkingPhoto:
    """A photo is seen by whoever sees its report; any other is 404."""
    row = ParkingPhoto.objects.filter(pk=photo_id, report__in=reports_for_user(user)).first()
    if row is None:
        raise Http404("照片不存在")
    return row


def review_queue(
    user: User,
    *,
    street: str = "",
    plate: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[ParkingReport]:
    """The reports waiting for the traffic reviewer's unit, oldest window first, filtered."""
    if not user.has_role(Role.TRAFFIC_REVIEWER) or user.unit_id is None:
        return ParkingReport.objects.none()
    qs = ParkingReport.objects.filter(review_unit_id=user.unit_id, step="park_review")
    if street:
        qs = qs.filter(street=street)
    if plate:
        qs = qs.filter(plate__icontains=plate)
    if since:
        qs = qs.filter(reported_on__gte=since)
    if until:
        qs = qs.filter(reported_on__lte=until)
    return qs.select_related("officer", "unit").order_by("window_ends_at", "id")


def review_queued_or_404(user: User, report_id: int) -> None:
    """A batch review acts only on a report waiting in the user's queue: 404 for any other."""
    if not review_queue(user).filter(pk=report_id).exists():
        raise Http404


def failed_uploads(user: User) -> QuerySet[ParkingReport]:
    return reports_for_user(user).filter(upload_status=ParkingReport.Upload.FAILED)


def _rate(penalties: int, reminders: int) -> str:
    return f"{penalties / reminders:.1%}" if reminders else "—"


def dashboard(user: User, day: dt.date) -> dict[str, Any]:
    """Today's reminders, drive-aways, warnings, penalties and the penalty rate, per street and
    per officer (the team lead's view; seed 004 reports 处罚率 24%)."""
    qs = reports_for_user(user).filter(reported_on=day)
    counts = {
        "reminders": Count("id"),
        "drive_aways": Count("id", filter=Q(outcome=ParkingReport.Outcome.NO_PENALTY)),
        "warnings": Count("id", filter=Q(outcome=ParkingReport.Outcome.WARNING)),
        "penalties": Count("id", filter=Q(outcome=ParkingReport.Outcome.PENALTY)),
        "waiting": Count("id", filter=Q(step="park_window")),
        "in_review": Count("id", filter=Q(step__in=["park_review", "park_correct"])),
    }

    def rows(*fields: str) -> list[dict[str, Any]]:
        out = []
        for r in qs.values(*fields).annotate(**counts).order_by("-reminders", *fields):
            r["rate"] = _rate(r["penalties"], r["reminders"])
            out.append(r)
        return out

    total = qs.aggregate(**counts)
    total["rate"] = _rate(total["penalties"], total["reminders"])
    streams = [f"parking:{pk}" for pk in qs.values_list("pk", flat=True)]
    return {
        "failing": failing_for_streams(streams)[:50],
        "day": day,
        "total": total,
        "streets": rows("street"),
        "officers": rows("officer__full_name", "officer__username"),
    }


ACTION_LABELS = {
    "outbox_sent": "消息已发送",
    "outbox_attempt_failed": "发送失败，将自动重试",
    "outbox_given_up": "多次发送失败，已停止重试",
    "notice_print": "打印提示单",
    "upload_retry": "重新上传交管平台",
}


def timeline(report: ParkingReport) -> list[dict[str, Any]]:
    """The report's ledger stream, each entry with a Chinese label of what happened."""
    from procedure.joint import JOINT_PARKING

    names = {s.code: s.name for s in JOINT_PARKING.steps}
    out = []
    for e in Entry.objects.filter(stream=report.stream).order_by("seq"):
        label = ACTION_LABELS.get(e.action, names.get(e.action, e.action))
        if e.action in names:
            label = f"{label}：{e.payload.get('label', '')}"
        out.append({"at": e.at, "who": e.actor_name, "label": label, "payload": e.payload})
    return out


def messages(report: ParkingReport) -> list[OutboxMessage]:
    return list(messages_for_streams([report.stream]))


def review_todo(user: User, role: Role) -> list[TodoItem]:
    """The 违停 reports waiting for the traffic reviewer's unit, as one item linking to the
    review queue: how many, since when."""
    from django.urls import reverse

    if role != Role.TRAFFIC_REVIEWER:
        return []
    qs = review_queue(user)
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    if not count:
        return []
    return [
        TodoItem(
            kind="joint",
            subject=f"城警联动违停取证 {count if count <= COUNT_CAP else f'{COUNT_CAP}+'}条",
            asked="交警审核",
            url=reverse("joint-review-queue"),
            since=qs.values_list("reported_on", flat=True).first(),
            count=count,
        )
    ]
