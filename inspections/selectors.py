"""Reads of 行政检查: the same data scope as cases (orgs.selectors.unit_scope_q)."""

from __future__ import annotations

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
