"""Reads of 行政检查: the same data scope as cases (orgs.selectors.unit_scope_q)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from inspections.models import Inspection
from orgs.models import User
from orgs.selectors import unit_scope_q


def inspections_for_user(user: User) -> QuerySet[Inspection]:
    q = unit_scope_q(user)
    if q is None:
        return Inspection.objects.none()
    return Inspection.objects.filter(q).select_related("unit").order_by("-on", "-pk")


def get_inspection_for_user(user: User, inspection_id: int) -> Inspection:
    """THE access function for inspections: out of scope is 404."""
    found = inspections_for_user(user).filter(pk=inspection_id).first()
    if found is None:
        raise Http404("行政检查不存在")
    return found


def tally_rows(inspection_ids: Sequence[int] | None = None) -> Iterable[tuple[Any, ...]]:
    """The statistics summary's rows for inspections (cases.counts), of the given ones or all."""
    from django.db import connection

    from cases.counts import INSPECTION, ids_filter

    where, params = ids_filter(inspection_ids, "i.id")
    on = connection.ops.quote_name("on")
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT i.unit_id, i.{on}, '{INSPECTION}', '', COUNT(*), 0"
            f" FROM {Inspection._meta.db_table} i WHERE 1 = 1 {where} GROUP BY i.unit_id, i.{on}",
            params,
        )
        yield from cur.fetchall()
