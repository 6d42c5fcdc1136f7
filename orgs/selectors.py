from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from law.certificates import ENFORCING, Status, Stored
from orgs.models import Certificate, Unit, User
from procedure.roles import CASE_ROLES, Role
from zhifa import clock


def supervised_root(user: User) -> Unit | None:
    """A 执法监督员 of a justice bureau supervises the subtree of the government above it."""
    if not user.has_role(Role.SUPERVISOR) or user.unit is None:
        return None
    unit = user.unit
    if unit.kind == Unit.Kind.JUSTICE and unit.parent is not None:
        return unit.parent
    return unit


def unit_scope_q(user: User, field: str = "unit") -> Q | None:
    """The Q restricting `field` (a FK to Unit) to what the user may read, or None for nothing.

    Officers read their own unit; a supervisor reads its subtree; nobody else reads cases.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    parts = Q(pk__in=[])
    granted = False
    if user.unit_id is not None and user.role_set & CASE_ROLES:
        parts |= Q(**{f"{field}_id": user.unit_id})
        granted = True
    root = supervised_root(user)
    if root is not None:
        parts |= Q(**{f"{field}__path__startswith": root.path})
        granted = True
    return parts if granted else None


def unit_path(parent: Unit | None, code: str) -> str:
    """Materialised path of unit codes, e.g. "/371500-GOV/371500-SFJ/"."""
    return f"{parent.path if parent else '/'}{code}/"


def valid_certificates(day: dt.date) -> QuerySet[Certificate]:
    """The 执法证 valid on `day` (`Certificate.is_valid_on`, as one query): neither suspended nor
    revoked by `day`, `day` within its validity, and held by an officer whose employment allows
    enforcement (山东监督条例 Art. 10). The one definition every guard's "certified" rests on."""
    return Certificate.objects.filter(_valid_q(day))


def _valid_q(day: dt.date | OuterRef | F) -> Q:
    return (
        (Q(status=Stored.VALID) | Q(status_on__gt=day))
        & Q(valid_from__lte=day, valid_until__gte=day)
        & Q(user__employment__in=sorted(ENFORCING))
    )


def certified_then(user_field: str, day_field: str) -> Exists:
    """For a query over another table: whether the user its `user_field` names held a valid
    执法证 on the date its `day_field` holds (`valid_certificates`, correlated)."""
    return Exists(
        Certificate.objects.filter(_valid_q(OuterRef(day_field)), user_id=OuterRef(user_field))
    )


_SENTINEL_DAY = dt.date(1900, 1, 2)


def valid_certificates_sql() -> tuple[str, Callable[[dt.date], list[Any]]]:
    """`valid_certificates(day).values("user_id")` as SQL for the default connection, compiled
    once, and the parameters it takes for a day: for the statements of the step path, which
    embed it rather than restate "valid today" (cases.steppath)."""
    sql, params = valid_certificates(_SENTINEL_DAY).values("user_id").query.sql_with_params()
    sentinels = (_SENTINEL_DAY, connection.ops.adapt_datefield_value(_SENTINEL_DAY))
    days = [i for i, p in enumerate(params) if p in sentinels]
    if not days:
        raise RuntimeError("valid_certificates no longer takes its day as a parameter")

    def params_for(day: dt.date) -> list[Any]:
        out = list(params)
        adapted = connection.ops.adapt_datefield_value(day)
        for i in days:
            out[i] = adapted
        return out

    return sql, params_for


def certified_on(
    user_ids: Iterable[int | None], day: dt.date, *, unit_id: int | None = None
) -> frozenset[int]:
    """Those of these users (None: no one) holding a valid 执法证 on `day`, of the unit when given,
    in one query: what `CaseFacts.certified` holds."""
    qs = valid_certificates(day).filter(user_id__in={u for u in user_ids if u is not None})
    if unit_id is not None:
        qs = qs.filter(user__unit_id=unit_id)
    return frozenset(qs.values_list("user_id", flat=True))


# --- the register of 执法证 -------------------------------------------------------------------


def certificate_admin_root(user: User) -> Unit | None:
    """The subtree a 执法证管理员 keeps: an agency's its own unit's; a justice bureau's the units of
    the government above it (as `supervised_root`). None: the user keeps no register."""
    if not user.is_authenticated or not user.is_active or user.unit is None:
        return None
    if not user.has_role(Role.CERT_ADMIN):
        return None
    unit = user.unit
    if unit.kind == Unit.Kind.JUSTICE and unit.parent is not None:
        return unit.parent
    return unit


def _register_roots(user: User) -> list[Unit]:
    """Where the user reads the register: the subtree it keeps, and the one it supervises."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [r for r in (certificate_admin_root(user), supervised_root(user)) if r is not None]


def _in_roots(roots: list[Unit], field: str) -> Q:
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{f"{field}__path__startswith": root.path})
    return q


def certificates_for_user(user: User) -> QuerySet[Certificate]:
    """The certificates of the officers of the units the user keeps or supervises; none else."""
    roots = _register_roots(user)
    if not roots:
        return Certificate.objects.none()
    return Certificate.objects.filter(_in_roots(roots, "user__unit")).select_related(
        "user", "user__unit", "region"
    )


def certificate_for_user(user: User, certificate_id: int, *, manage: bool = False) -> Certificate:
    """The one access function for certificates: out of scope is 404. With `manage`, only the
    subtree the user keeps as 执法证管理员 (a supervisor reads but does not manage)."""
    if not isinstance(certificate_id, int) or not 0 < certificate_id < 2**63:
        raise Http404("执法证不存在")
    if manage:
        root = certificate_admin_root(user)
        roots = [root] if root is not None else []
        qs = Certificate.objects.filter(_in_roots(roots, "user__unit")).select_related(
            "user", "user__unit", "region"
        )
    else:
        qs = certificates_for_user(user)
    try:
        return qs.get(pk=certificate_id)
    except (Certificate.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("执法证不存在") from None


def officers_for_admin(user: User) -> QuerySet[User]:
    """The people a 执法证管理员 may issue a certificate to: active users of its subtree."""
    root = certificate_admin_root(user)
    if root is None:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True, unit__path__startswith=root.path)
        .select_related("unit")
        .order_by("unit__path", "username")
    )


def expiring_certificates(user: User, day: dt.date, days: int) -> QuerySet[Certificate]:
    """Certificates of the user's register still valid on `day` whose last day falls within the
    next `days` days, soonest first."""
    return (
        certificates_for_user(user)
        .filter(
            Q(status=Stored.VALID) | Q(status_on__gt=day),
            valid_from__lte=day,
            valid_until__gte=day,
            valid_until__lte=day + dt.timedelta(days=days),
        )
        .order_by("valid_until", "number")
    )


def non_enforcing_staff(user: User) -> QuerySet[User]:
    """People of the user's register subtree whose employment excludes them from enforcement
    (山东监督条例 Art. 10): 合同制, 劳务派遣, 借调, 其他."""
    roots = _register_roots(user)
    if not roots:
        return User.objects.none()
    return (
        User.objects.filter(_in_roots(roots, "unit"), is_active=True)
        .exclude(employment__in=sorted(ENFORCING))
        .select_related("unit")
        .order_by("unit__path", "username")
    )


@dataclass(frozen=True)
class PublishedOfficer:
    """What the public portal may show of an officer (监督条例 Art. 17; 司办通〔2020〕78号):
    no login, phone or identity number."""

    name: str
    unit: str
    number: str
    scope: str
    region: str
    status: str


def published_officers(unit: Unit, day: dt.date | None = None) -> list[PublishedOfficer]:
    """The certificates of a unit's officers with their status on `day` (today unless given),
    public-safe: for the public portal (监督条例 Art. 17: 执法主体 and officers published)."""
    day = day or clock.today()
    rows = (
        Certificate.objects.filter(user__unit=unit, user__is_active=True)
        .select_related("user", "region")
        .order_by("user__full_name", "number")
    )
    return [
        PublishedOfficer(
            name=c.user.full_name or "",
            unit=unit.name,
            number=c.number,
            scope=c.scope,
            region=c.region.name if c.region is not None else "",
            status=c.status_label(day),
        )
        for c in rows
    ]


def status_q(status: str, day: dt.date) -> Q:
    """The certificates whose status on `day` is `status` (law.certificates.status_on, as a Q)."""
    in_effect = Q(status_on__isnull=True) | Q(status_on__lte=day)
    standing = Q(status=Stored.VALID) | Q(status_on__gt=day)
    if status in (Status.SUSPENDED, Status.REVOKED):
        return Q(status=status) & in_effect
    if status == Status.EXPIRED:
        return standing & Q(valid_until__lt=day)
    if status == Status.PENDING:
        return standing & Q(valid_from__gt=day)
    if status == Status.VALID:
        return standing & Q(valid_from__lte=day, valid_until__gte=day)
    return Q()


def certificate_rows(
    user: User, day: dt.date, *, status: str = "", query: str = ""
) -> QuerySet[Certificate]:
    """The register as the user may read it, filtered by status on `day` and by a name, login
    or number fragment; ordered by unit and number."""
    qs = certificates_for_user(user)
    if status:
        qs = qs.filter(status_q(status, day))
    query = query.replace("\x00", "").strip()[:50]
    if query:
        qs = qs.filter(
            Q(number__icontains=query)
            | Q(user__full_name__icontains=query)
            | Q(user__username__icontains=query)
        )
    return qs.order_by("user__unit__path", "number")
