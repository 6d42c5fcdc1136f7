"""What the case services share: the refusal by form field, the own-unit lock, the actor's role."""

from __future__ import annotations

from collections.abc import Mapping

from cases.models import Case
from orgs.models import User
from procedure.engine import Refused
from procedure.roles import Role


class FieldsRefused(Refused):
    """A refusal whose reasons belong to fields of the form (the page shows each by its field)."""

    def __init__(self, fields: Mapping[str, list[str]]) -> None:
        super().__init__([m for messages in fields.values() for m in messages])
        self.fields = dict(fields)


def own_case(case_id: int, actor: User, *, imported: str, other_unit: str) -> Case:
    """The case, locked, for what its own unit records beside the steps (复议诉讼, 回避,
    先行登记保存): never on an imported case, never from another unit (each message says so)."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("handler", "co_handler")
        .get(pk=case_id)
    )
    if case.imported:
        raise Refused([imported])
    if actor.unit_id != case.unit_id:
        raise Refused([other_unit])
    return case


def role_for(user: User, allowed: frozenset[Role]) -> str:
    """The role the actor acts in: the first of the allowed roles they hold, or ''."""
    for role in sorted(allowed):
        if user.has_role(role):
            return role.value
    return ""
