from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from orgs.models import Certificate, Unit, User
from procedure.roles import CASE_ROLES, Role


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
    """The 执法证 valid on `day`: not revoked, and `day` within its validity (`Certificate.
    is_valid_on`, as one query). The one definition every guard's "certified" rests on."""
    return Certificate.objects.filter(revoked=False, valid_from__lte=day, valid_until__gte=day)


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
