"""What the 三员 may see: their subtree (one access function per entity: units, accounts, the
record), and for the 审计管理员 the record of the other two and of every login."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from ledger.labels import action_label
from ledger.models import Entry
from orgs.models import Unit, User
from personal.services import STREAM as PERSONAL_STREAM
from procedure.roles import Role

# Each administrator's actions go on a stream of its own.
STREAMS = {
    Role.SYS_ADMIN: "admin:system",
    Role.SECURITY_ADMIN: "admin:security",
    Role.AUDIT_ADMIN: "admin:audit",
}
# What the audit administrator reads: the other two's record, its own exports, and every view of
# a whole ID or phone number (personal.services: reveals and documents).
AUDITED = (
    STREAMS[Role.SYS_ADMIN],
    STREAMS[Role.SECURITY_ADMIN],
    STREAMS[Role.AUDIT_ADMIN],
    PERSONAL_STREAM,
)
STREAM_LABELS = {
    STREAMS[Role.SYS_ADMIN]: "系统管理员",
    STREAMS[Role.SECURITY_ADMIN]: "安全管理员",
    STREAMS[Role.AUDIT_ADMIN]: "审计管理员",
    PERSONAL_STREAM: "个人信息访问",
}
AUDIT_EXPORT_LIMIT = 100_000


def admin_root(user: User, role: Role) -> Unit | None:
    """The subtree an administrator keeps: its own unit's, or for a justice bureau's, that of the
    government above it (as the 执法证 register). None: the user is no such administrator."""
    if not user.is_authenticated or not user.is_active or user.unit is None:
        return None
    if not user.has_role(role):
        return None
    unit = user.unit
    if unit.kind == Unit.Kind.JUSTICE and unit.parent is not None:
        return unit.parent
    return unit


def _root_or_404(user: User, role: Role) -> Unit:
    root = admin_root(user, role)
    if root is None:
        raise Http404
    return root


def units_for_admin(user: User, role: Role) -> QuerySet[Unit]:
    root = admin_root(user, role)
    if root is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=root.path).order_by("path")


def unit_for_admin(user: User, role: Role, unit_id: int, *, lock: bool = False) -> Unit:
    """A unit of the administrator's subtree; any other (or none) is 404."""
    root = _root_or_404(user, role)
    qs = Unit.objects.filter(pk=unit_id, path__startswith=root.path)
    unit = (qs.select_for_update() if lock else qs).first()
    if unit is None:
        raise Http404
    return unit


def users_for_admin(user: User, role: Role, query: str = "") -> QuerySet[User]:
    root = admin_root(user, role)
    if root is None:
        return User.objects.none()
    qs = User.objects.filter(unit__path__startswith=root.path).select_related("unit")
    query = query.replace("\x00", "").strip()[:50]
    if query:
        qs = qs.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(unit__name=query)
        )
    return qs.prefetch_related("roles").order_by("unit__path", "username")


def user_for_admin(user: User, role: Role, user_id: int, *, lock: bool = False) -> User:
    """An account of the administrator's subtree; any other (or none) is 404."""
    root = _root_or_404(user, role)
    qs = User.objects.filter(pk=user_id, unit__path__startswith=root.path)
    found = (qs.select_for_update() if lock else qs).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Lockout:
    username: str
    address: str
    failures: int
    last: dt.datetime


def lockouts(user: User) -> list[Lockout]:
    """Accounts of the subtree whose failed logins reached the limit (django-axes' attempts)."""
    names = set(users_for_admin(user, Role.SECURITY_ADMIN).values_list("username", flat=True))
    if not names:
        return []
    rows = AccessAttempt.objects.filter(
        username__in=names, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    return [
        Lockout(r.username or "", r.ip_address or "", r.failures_since_start, r.attempt_time)
        for r in rows
    ]


def audit_entries(
    user: User,
    *,
    stream: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    actor: str = "",
) -> QuerySet[Entry]:
    """The 三员's record and the personal data accesses for the audit administrator (no one
    else: 404); `actor` narrows to the entries whose actor's name contains it."""
    _root_or_404(user, Role.AUDIT_ADMIN)
    streams = [stream] if stream in AUDITED else list(AUDITED)
    qs = Entry.objects.filter(stream__in=streams)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    actor = actor.replace("\x00", "").strip()[:50]
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    return qs.order_by("-at", "-pk")  # newest first; the same instant in insertion order


@dataclass(frozen=True)
class Login:
    at: dt.datetime
    username: str
    address: str
    channel: str
    ok: bool


def _login(row: Any, *, ok: bool) -> Login:
    channel = "接口" if (row.path_info or "").startswith("/api/") else "网页"
    return Login(row.attempt_time, row.username or "", row.ip_address or "", channel, ok)


def logins(user: User, *, failed_only: bool = False, limit: int = 200) -> list[Login]:
    """Every login, succeeded and failed, of the subtree's accounts (and failures under names
    no account has: a guess at a username is a login to audit too)."""
    _root_or_404(user, Role.AUDIT_ADMIN)
    names = set(users_for_admin(user, Role.AUDIT_ADMIN).values_list("username", flat=True))
    all_names = set(User.objects.values_list("username", flat=True))
    out: list[Login] = []
    failures: Any = AccessFailureLog.objects.order_by("-attempt_time")
    for r in failures[: limit * 2]:
        if r.username in names or r.username not in all_names:
            out.append(_login(r, ok=False))
    if not failed_only:
        for r in AccessLog.objects.filter(username__in=names).order_by("-attempt_time")[:limit]:
            out.append(_login(r, ok=True))
    out.sort(key=lambda login: login.at, reverse=True)
    return out[:limit]


def audit_csv(entries: list[Entry]) -> str:
    """The audit record as the CSV the audit administrator takes out (with a BOM for Excel)."""
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(["时间", "管理员类别", "操作", "操作人", "内容", "哈希"])
    for e in entries:
        out.writerow(
            [
                e.at.isoformat(),
                STREAM_LABELS.get(e.stream, ""),
                action_label(e.action),
                e.actor_name,
                e.payload,
                e.hash,
            ]
        )
    return "\ufeff" + buffer.getvalue()
