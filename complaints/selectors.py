"""Reads on complaints; `get_complaint_for_user` is the one access function for officers and
`status_by_code` the only read the public has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from cases.todo import TODO_CAP, TodoItem
from complaints.models import Complaint, ComplaintPhoto
from law import complaints as rules
from law.personal import mask_phone
from ledger.models import Entry
from orgs.models import Unit, User
from orgs.selectors import unit_scope_q
from procedure.complaint import ENFORCING_KINDS
from procedure.roles import Role
from zhifa import clock

PAGE_SIZE = 30
MAX_PAGE = 10_000


def intake_units() -> QuerySet[Unit]:
    """The units the public may address a complaint to: those that enforce."""
    return Unit.objects.filter(kind__in=ENFORCING_KINDS).order_by("path")


def dispatch_unit() -> Unit | None:
    """Where a complaint goes when its complainant does not know the unit: COMPLAINT_DISPATCH_UNIT,
    else the justice bureau under the top government of the tree (the city's 司法局)."""
    if settings.COMPLAINT_DISPATCH_UNIT:
        return Unit.objects.filter(code=settings.COMPLAINT_DISPATCH_UNIT).first()
    return (
        Unit.objects.filter(kind=Unit.Kind.JUSTICE, parent__parent__isnull=True)
        .order_by("path")
        .first()
    )


def transfer_units(complaint: Complaint) -> QuerySet[Unit]:
    """Where a complaint may be transferred: any enforcing unit, or the dispatcher."""
    dispatcher = dispatch_unit()
    q = Q(kind__in=ENFORCING_KINDS)
    if dispatcher is not None:
        q |= Q(pk=dispatcher.pk)
    return Unit.objects.filter(q).exclude(pk=complaint.unit_id).order_by("path")


def complaints_for_user(user: User) -> QuerySet[Complaint]:
    """A unit's officers see the complaints addressed to it now; a supervisor those of its
    subtree (the dispatcher's included); nobody else any."""
    q = unit_scope_q(user, "unit")
    if q is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(q)


def get_complaint_for_user(user: User, complaint_id: Any) -> Complaint:
    try:
        return complaints_for_user(user).select_related("unit", "case").get(pk=int(complaint_id))
    except (Complaint.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("投诉举报不存在") from None


def get_photo_for_user(user: User, photo_id: int) -> ComplaintPhoto:
    row = ComplaintPhoto.objects.filter(
        pk=photo_id, complaint__in=complaints_for_user(user)
    ).first()
    if row is None:
        raise Http404("照片不存在")
    return row


@dataclass
class QueueFilter:
    status: str = ""
    overdue: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""


@dataclass
class Page:
    rows: list[Complaint]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def queue(user: User, f: QueueFilter) -> QuerySet[Complaint]:
    """The 案源 queue of complaints in the user's scope, newest first, filtered."""
    qs = complaints_for_user(user).select_related("unit")
    if f.status in Complaint.Status.values:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(step="complaint_intake", accept_due_on__lt=clock.today())
    if f.date_from:
        qs = qs.filter(filed_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(filed_on__lte=f.date_to)
    if f.q:
        text = f.q.strip()[:50]
        qs = qs.filter(Q(code=rules.normalize_code(text)) | Q(facts__contains=text))
    return qs.order_by("-filed_at", "-pk")


def queue_page(user: User, f: QueueFilter, page: int, size: int = PAGE_SIZE) -> Page:
    page = min(max(page, 1), MAX_PAGE)
    start = (page - 1) * size
    rows = list(queue(user, f)[start : start + size + 1])
    today = clock.today()
    for c in rows[:size]:
        c.late = c.step == "complaint_intake" and rules.accept_overdue(  # type: ignore[attr-defined]
            c.accept_due_on, today
        )
    return Page(rows=rows[:size], number=page, has_next=len(rows) > size)


@dataclass(frozen=True)
class Waiting:
    complaint: Complaint
    late: bool  # past its 受理 limit without a decision


def waiting(user: User) -> list[Waiting]:
    """The 待办 of the unit: complaints awaiting 受理 or 立案/办结, by their 受理 limit."""
    from procedure.complaint import DECIDERS, HANDLERS

    if user.unit_id is None or not user.role_set & (DECIDERS | HANDLERS):
        return []
    rows = Complaint.objects.filter(
        unit_id=user.unit_id, step__in=("complaint_intake", "complaint_handling")
    ).order_by("accept_due_on", "pk")[:50]
    today = clock.today()
    return [
        Waiting(c, c.step == "complaint_intake" and rules.accept_overdue(c.accept_due_on, today))
        for c in rows
    ]


def timeline(complaint: Complaint) -> list[Entry]:
    return list(Entry.objects.filter(stream=complaint.stream).order_by("seq"))


@dataclass(frozen=True)
class PublicStatus:
    """What the status page shows: no officer, no unit staff, the complainant's own data masked."""

    code: str
    status: str
    status_label: str
    unit: str
    filed_on: dt.date
    happened_on: dt.date
    contact_name: str
    contact_phone: str
    accept_due_on: dt.date
    decided_on: dt.date | None
    reject_reason: str
    result: str
    closed_on: dt.date | None
    lead_no: str


def status_by_code(code: str) -> PublicStatus | None:
    code = rules.normalize_code(code)
    if not rules.is_code(code):
        return None
    c = Complaint.objects.select_related("unit", "case").filter(code=code).first()
    if c is None:
        return None
    return PublicStatus(
        code=c.code,
        status=c.status,
        status_label=c.get_status_display(),
        unit=c.unit.name,
        filed_on=c.filed_on,
        happened_on=c.happened_on,
        contact_name=rules.mask_name(c.contact_name),
        contact_phone=mask_phone(c.contact_phone),
        accept_due_on=c.accept_due_on,
        decided_on=c.decided_on,
        reject_reason=c.reject_reason,
        result=c.result,
        closed_on=c.closed_on,
        lead_no=c.case.lead_no if c.case is not None else "",
    )


def complaints_todo(user: User, role: Role) -> list[TodoItem]:
    """The 待办's 投诉举报: complaints of the unit at a step `role` takes (受理审查 for those who
    decide, 办理 for the officers), by their 受理 limit."""
    from django.urls import reverse

    from procedure.complaint import COMPLAINT

    if user.unit_id is None or not user.has_role(role):
        return []
    steps = [
        s.code
        for s in COMPLAINT.steps
        if role in s.roles and s.code in ("complaint_intake", "complaint_handling")
    ]
    rows = Complaint.objects.filter(unit_id=user.unit_id, step__in=steps).order_by(
        "accept_due_on", "pk"
    )[:TODO_CAP]
    return [
        TodoItem(
            kind="complaint",
            subject=f"{c.code} · {c.facts[:30]}",
            asked="受理审查" if c.step == "complaint_intake" else "立案或办结",
            url=reverse("complaints:detail", args=[c.pk]),
            due=c.accept_due_on if c.step == "complaint_intake" else None,
            since=c.filed_on,
        )
        for c in rows
    ]
