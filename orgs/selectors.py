from __future__ import annotations

from django.db.models import Q

from orgs.models import Unit, User
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
