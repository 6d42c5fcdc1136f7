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

from cases import runner
from cases.models import Case, Preservation
from cases.notify import record_notify
from cases.runner import Ask, Result, Table
from cases.services.common import own_case, record_facts
from deadlines.services import deadline_start
from orgs.models import User
from orgs.selectors import valid_certificates
from procedure import preservation as table
from procedure.engine import END, CaseFacts, Outcome, Refused
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


def _preservation(case_id: int, actor: User, preservation_id: int) -> Preservation:
    """The preservation, locked with its case (locked first); the same unit only."""
    case = _case(case_id, actor)
    item = Preservation.objects.select_for_update().filter(pk=preservation_id, case=case).first()
    if item is None:
        raise Refused(["本案没有该先行登记保存"])
    item.case = case
    return item


def _case(case_id: int, actor: User) -> Case:
    return own_case(
        case_id,
        actor,
        imported="导入的历史案件不能在此办理先行登记保存",
        other_unit="只能办理本单位案件的先行登记保存",
    )


def _roles(item: Preservation, actor: User) -> frozenset[Role]:
    """The roles the actor acts in on this case: 承办人 and 协办人 are parts on the case (its
    handler and co-handler), not titles; the other roles are those the actor holds."""
    parts = _parts(item)
    held = {r for r in actor.role_set if r not in parts}
    return frozenset(held | {r for r, officer in parts.items() if officer == actor.pk})


def _parts(item: Preservation) -> dict[Role, int | None]:
    return {Role.HANDLER: item.case.handler_id, Role.CO_HANDLER: item.case.co_handler_id}


def _read(item: Preservation, ask: Ask) -> CaseFacts:
    """Where the record stands (a new one: at the first step) and what the action read."""
    at = STEP_AT[item.status] if item.pk is not None else PRESERVATION.first
    return record_facts(PRESERVATION, ask.step, item.case, extra={"at": at, **ask.extra})


def _entry(
    item: Preservation, outcome: Outcome, data: Mapping[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    """The action's entry on the case's stream: the preservation, what the action recorded."""
    return {"preservation_id": item.pk, **result, "basis": PRESERVATION_ARTICLE}


def _limit(item: Preservation) -> dict[str, Any] | None:
    """The decision stops this preservation's own limit, not another's."""
    if item.deadline_id is None:
        return None
    return {"case": item.case, "deadline_id": item.deadline_id}


TABLE = Table[Preservation](
    procedure=PRESERVATION,
    read=_read,
    stream=lambda item: item.case.stream,
    entry=_entry,
    limits=_limit,
    roles=_roles,
    parts=_parts,
    by_field=True,
    notify=record_notify(
        PRESERVATION,
        "证据先行登记保存申请",
        lambda item: item.case,
        lambda item: f"{item.case.stream}/preservation:{item.pk}",
        section="preservations",
    ),
)


def preservation_request(
    *, case_id: int, actor: User, items: Sequence[Mapping[str, Any]], reason: str
) -> Preservation:
    """An officer of the case asks the agency head to let evidence be registered and kept."""
    rows = [
        {
            "name": str(raw.get("name", "")).strip(),
            "quantity": str(raw.get("quantity", "")).strip(),
            "note": str(raw.get("note", "")).strip(),
        }
        for raw in items
    ]
    reason = reason.strip()

    def new() -> Preservation:
        case = _case(case_id, actor)
        return Preservation(
            case=case, items=rows, reason=reason, requested_by=actor, requested_on=clock.today()
        )

    def apply(item: Preservation, outcome: Outcome) -> Result:
        item.status = _status(outcome)
        item.save()
        return {"items": rows, "reason": reason}

    item, _ = runner.run(
        TABLE,
        new,
        actor=actor,
        decision="submit",
        data={"items": rows, "reason": reason},
        step="preservation_request",
        extra=lambda item: {"case_open": item.case.status == Case.Status.OPEN},
        apply=apply,
    )
    return item


def preservation_approve(
    *, case_id: int, actor: User, preservation_id: int, approved: bool, opinion: str
) -> Preservation:
    """The agency head approves or refuses (Art. 56: 经行政机关负责人批准)."""
    opinion = opinion.strip()

    def apply(item: Preservation, outcome: Outcome) -> Result:
        item.status = _status(outcome)
        item.approved_by, item.approved_on, item.approval_opinion = actor, clock.today(), opinion
        item.save(update_fields=["status", "approved_by", "approved_on", "approval_opinion"])
        return {"approved": approved, "opinion": opinion}

    item, _ = runner.run(
        TABLE,
        lambda: _preservation(case_id, actor, preservation_id),
        actor=actor,
        decision="approve" if approved else "refuse",
        data={"opinion": opinion},
        step="preservation_approve",
        apply=apply,
    )
    return item


def preservation_carry_out(
    *, case_id: int, actor: User, preservation_id: int, on: dt.date
) -> Preservation:
    """The two officers of the case register and keep the evidence; the 7 working days for the
    decision start (Art. 56, Art. 85)."""

    def read(item: Preservation) -> dict[str, Any]:
        case = item.case
        officers = {case.handler_id, case.co_handler_id} - {None}
        certificates = valid_certificates(on).filter(user_id__in=officers).count()
        return {"approved_on": item.approved_on, "certificates": certificates}

    def apply(item: Preservation, outcome: Outcome) -> Result:
        limit = deadline_start(case=item.case, code=PRESERVATION_LIMIT, starts_on=on)
        item.status, item.carried_out_on, item.decision_due, item.deadline = (
            _status(outcome),
            on,
            limit.due_on,
            limit,
        )
        item.save(update_fields=["status", "carried_out_on", "decision_due", "deadline"])
        return {"on": on, "decision_due": limit.due_on}

    item, _ = runner.run(
        TABLE,
        lambda: _preservation(case_id, actor, preservation_id),
        actor=actor,
        decision="carry_out",
        data={"on": on},
        step="preservation_carry_out",
        extra=read,
        apply=apply,
    )
    return item


def preservation_decide(
    *, case_id: int, actor: User, preservation_id: int, disposition: str, note: str
) -> Preservation:
    """The decision on the kept evidence (Art. 56: 七日内及时作出处理决定). A late one is recorded;
    its limit stays overdue, where the supervisor sees it."""
    note = note.strip()
    today = clock.today()

    def apply(item: Preservation, outcome: Outcome) -> Result:
        item.status, item.disposition, item.disposition_note, item.decided_on = (
            _status(outcome),
            disposition,
            note,
            today,
        )
        item.save(update_fields=["status", "disposition", "disposition_note", "decided_on"])
        late = item.decision_due is not None and today > item.decision_due
        return {"disposition": disposition, "note": note, "late": late}

    item, _ = runner.run(
        TABLE,
        lambda: _preservation(case_id, actor, preservation_id),
        actor=actor,
        decision="decide",
        data={"disposition": disposition, "note": note},
        step="preservation_decide",
        apply=apply,
    )
    return item
