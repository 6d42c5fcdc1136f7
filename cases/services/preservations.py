"""证据先行登记保存 (行政处罚法第五十六条): approved by the agency head, carried out by the two
officers of the case, decided within 7 working days.

Every action runs through the engine with the PRESERVATION step table
(procedure/preservation.py). The record's `status` is where it stands in the table (STEP_AT), so
the step is read from it rather than stored; the outcome of each action sets the next status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from cases.models import Case, Preservation
from cases.services.common import own_case, record_facts, role_for, run
from deadlines.services import deadline_start, deadline_stop
from law.calendar import CalendarNotCovered
from ledger.services import ledger_append
from orgs.models import Certificate, User
from procedure import preservation as table
from procedure.engine import END, Act, Outcome, Refused
from procedure.preservation import PRESERVATION
from procedure.roles import Role
from zhifa import clock

PRESERVATION_ARTICLE = table.ARTICLE
# The 7 working days for the decision (Art. 56): kept starts them, the decision stops them.
PRESERVATION_LIMIT = PRESERVATION.step("preservation_carry_out").starts[0]

# The step of the table each status stands at.
STEP_AT: dict[str, str] = {
    Preservation.Status.REQUESTED: "preservation_approve",
    Preservation.Status.APPROVED: "preservation_carry_out",
    Preservation.Status.IN_FORCE: "preservation_decide",
    Preservation.Status.REFUSED: END,
    Preservation.Status.DECIDED: END,
}


def _status(outcome: Outcome) -> Preservation.Status:
    """The status the record takes after an action: the outcome of an ended one (refused,
    decided), else the status standing at the next step."""
    if outcome.next_step == END:
        return Preservation.Status(str(outcome.case_outcome))
    return next(Preservation.Status(s) for s, at in STEP_AT.items() if at == outcome.next_step)


def _preservation(case_id: int, actor: User, preservation_id: int | None = None) -> Any:
    """The case, locked, and the preservation (when an id is given); the same unit only."""
    case = own_case(
        case_id,
        actor,
        imported="导入的历史案件不能在此办理先行登记保存",
        other_unit="只能办理本单位案件的先行登记保存",
    )
    if preservation_id is None:
        return case, None
    item = Preservation.objects.select_for_update().filter(pk=preservation_id, case=case).first()
    if item is None:
        raise Refused(["本案没有该先行登记保存"])
    return case, item


def _roles(case: Case, actor: User) -> frozenset[Role]:
    """The roles the actor acts in on this case: 承办人 and 协办人 are parts on the case (its
    handler and co-handler), not titles; the other roles are those the actor holds."""
    parts = {Role.HANDLER: case.handler_id, Role.CO_HANDLER: case.co_handler_id}
    held = {r for r in actor.role_set if r not in parts}
    return frozenset(held | {r for r, officer in parts.items() if officer == actor.pk})


def _evaluate(
    case: Case,
    item: Preservation | None,
    actor: User,
    step: str,
    decision: str,
    data: Mapping[str, Any],
    **extra: Any,
) -> Outcome:
    at = STEP_AT[item.status] if item is not None else PRESERVATION.first
    facts = record_facts(PRESERVATION, step, case, extra={"at": at, **extra})
    act = Act(actor.pk, actor.unit_id, _roles(case, actor), decision, data)
    return run(PRESERVATION, facts, act)


def _record(case: Case, actor: User, outcome: Outcome, item: Preservation, **payload: Any) -> None:
    """The action's ledger entry on the case's stream, in the part the actor acted in."""
    roles = outcome.step.roles
    if Role.HANDLER in roles and actor.pk == case.handler_id:
        role = Role.HANDLER.value
    elif Role.CO_HANDLER in roles and actor.pk == case.co_handler_id:
        role = Role.CO_HANDLER.value
    else:
        role = role_for(actor, roles)
    ledger_append(
        stream=case.stream,
        action=outcome.step.code,
        payload={"preservation_id": item.pk, **payload, "basis": PRESERVATION_ARTICLE},
        actor_id=actor.pk,
        actor_name=str(actor),
        role=role,
    )


@transaction.atomic
def preservation_request(
    *, case_id: int, actor: User, items: Sequence[Mapping[str, Any]], reason: str
) -> Preservation:
    """An officer of the case asks the agency head to let evidence be registered and kept."""
    case, _ = _preservation(case_id, actor)
    rows = [
        {
            "name": str(raw.get("name", "")).strip(),
            "quantity": str(raw.get("quantity", "")).strip(),
            "note": str(raw.get("note", "")).strip(),
        }
        for raw in items
    ]
    reason = reason.strip()
    outcome = _evaluate(
        case,
        None,
        actor,
        "preservation_request",
        "submit",
        {"items": rows, "reason": reason},
        case_open=case.status == Case.Status.OPEN,
    )
    item = Preservation.objects.create(
        case=case,
        status=_status(outcome),
        items=rows,
        reason=reason,
        requested_by=actor,
        requested_on=clock.today(),
    )
    _record(case, actor, outcome, item, items=rows, reason=reason)
    return item


@transaction.atomic
def preservation_approve(
    *, case_id: int, actor: User, preservation_id: int, approved: bool, opinion: str
) -> Preservation:
    """The agency head approves or refuses (Art. 56: 经行政机关负责人批准)."""
    case, item = _preservation(case_id, actor, preservation_id)
    opinion = opinion.strip()
    outcome = _evaluate(
        case,
        item,
        actor,
        "preservation_approve",
        "approve" if approved else "refuse",
        {"opinion": opinion},
    )
    item.status = _status(outcome)
    item.approved_by, item.approved_on, item.approval_opinion = actor, clock.today(), opinion
    item.save(update_fields=["status", "approved_by", "approved_on", "approval_opinion"])
    _record(case, actor, outcome, item, approved=approved, opinion=opinion)
    return item


@transaction.atomic
def preservation_carry_out(
    *, case_id: int, actor: User, preservation_id: int, on: dt.date
) -> Preservation:
    """The two officers of the case register and keep the evidence; the 7 working days for the
    decision start (Art. 56, Art. 85)."""
    case, item = _preservation(case_id, actor, preservation_id)
    officers = {case.handler_id, case.co_handler_id} - {None}
    certificates = Certificate.objects.filter(
        user_id__in=officers, revoked=False, valid_from__lte=on, valid_until__gte=on
    ).count()
    outcome = _evaluate(
        case,
        item,
        actor,
        "preservation_carry_out",
        "carry_out",
        {"on": on},
        approved_on=item.approved_on,
        certificates=certificates,
    )
    try:
        limit = deadline_start(case=case, code=PRESERVATION_LIMIT, starts_on=on)
    except CalendarNotCovered as exc:
        raise Refused([str(exc)]) from exc
    item.status, item.carried_out_on, item.decision_due, item.deadline = (
        _status(outcome),
        on,
        limit.due_on,
        limit,
    )
    item.save(update_fields=["status", "carried_out_on", "decision_due", "deadline"])
    _record(case, actor, outcome, item, on=on, decision_due=limit.due_on)
    return item


@transaction.atomic
def preservation_decide(
    *, case_id: int, actor: User, preservation_id: int, disposition: str, note: str
) -> Preservation:
    """The decision on the kept evidence (Art. 56: 七日内及时作出处理决定). A late one is recorded;
    its limit stays overdue, where the supervisor sees it."""
    case, item = _preservation(case_id, actor, preservation_id)
    note = note.strip()
    outcome = _evaluate(
        case,
        item,
        actor,
        "preservation_decide",
        "decide",
        {"disposition": disposition, "note": note},
    )
    today = clock.today()
    if item.deadline_id is not None:  # this preservation's own limit, not another's
        deadline_stop(case=case, code=PRESERVATION_LIMIT, on=today, deadline_id=item.deadline_id)
    item.status, item.disposition, item.disposition_note, item.decided_on = (
        _status(outcome),
        disposition,
        note,
        today,
    )
    item.save(update_fields=["status", "disposition", "disposition_note", "decided_on"])
    _record(
        case,
        actor,
        outcome,
        item,
        disposition=disposition,
        note=note,
        late=item.decision_due is not None and today > item.decision_due,
    )
    return item
