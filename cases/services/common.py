"""What the case services share: the own-unit lock and the facts of a step table run on a record
of the case (回避, 先行登记保存). The refusal by form field and the actor's role are the
runner's, named here for the services and pages that import them from here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cases.models import Case
from cases.runner import FieldsRefused, role_for
from orgs.models import User
from procedure.engine import CaseFacts, Procedure, Refused
from zhifa import clock

__all__ = ["FieldsRefused", "own_case", "record_facts", "role_for"]


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


def record_facts(
    procedure: Procedure,
    step: str,
    case: Case,
    *,
    certified: frozenset[int] = frozenset(),
    extra: Mapping[str, Any],
) -> CaseFacts:
    """The facts for a step of a table run on a record of the case (回避, 先行登记保存): the case's
    unit and officers, the certified among those the step looks at, and the record's own facts."""
    return CaseFacts(
        procedure=procedure.code,
        step=step,
        unit_id=case.unit_id,
        handler_id=case.handler_id,
        co_handler_id=case.co_handler_id,
        certified=certified,
        qualified_reviewers=frozenset(),
        evidence_count=0,
        matter=None,
        parties=(),
        complex=False,
        today=clock.today(),
        act_on=None,
        discovered_on=case.discovered_on,
        filed_on=case.filed_on,
        decision_due=None,
        response_window_end=None,
        extra=extra,
    )
