"""回避 (行政处罚法第四十三条): declared by an officer or applied for by the party; the agency
head decides, and an officer who withdraws is replaced on the case.

Both actions run through the engine with the RECUSAL step table (procedure/recusal.py). An
application waits at `recusal_decide` while `granted` is unset and has ended once it is set, so
the step is read from that field rather than stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cases import runner
from cases.models import Case, Recusal
from cases.notify import record_notify
from cases.runner import Ask, Table
from cases.services.common import own_case, record_facts
from orgs.models import User
from orgs.selectors import certified_on
from procedure import recusal as table
from procedure.engine import END, CaseFacts, Outcome, Refused
from procedure.recusal import RECUSAL
from procedure.roles import Role
from zhifa import clock

RECUSAL_RECORDERS = table.RECORDERS
RECUSAL_DECIDERS = table.DECIDERS
RECUSAL_ARTICLE = table.ARTICLE


def _step(recusal: Recusal) -> str:
    """Where an application stands in the table: awaiting the decision, or ended."""
    return "recusal_decide" if recusal.granted is None else END


def _recusal_case(case_id: int, actor: User) -> Case:
    case = own_case(
        case_id,
        actor,
        imported="导入的历史案件不能在此办理回避",
        other_unit="只能办理本单位案件的回避",
    )
    if case.status == Case.Status.CLOSED:
        raise Refused(["案件已办结，不能再申请回避"])
    return case


def _parts(case: Case) -> dict[Role, int | None]:
    """The actor's part in this case names their role when they have one (a handler may also
    hold co_handler)."""
    return {Role.HANDLER: case.handler_id, Role.CO_HANDLER: case.co_handler_id}


def _table(
    read: Callable[[Case, Ask], CaseFacts],
    entry: Callable[[Case, Outcome, Mapping[str, Any], dict[str, Any]], dict[str, Any]],
) -> Table[Case]:
    return Table(
        procedure=RECUSAL,
        read=read,
        stream=lambda case: case.stream,
        entry=entry,
        parts=_parts,
        by_field=True,
        notify=record_notify(
            RECUSAL,
            "回避申请",
            lambda case: case,
            lambda case: f"{case.stream}/recusal",
            section="recusals",
        ),
    )


def recusal_request(
    *, case_id: int, actor: User, officer: str, source: str, reason: str
) -> Recusal:
    """A party applies for the recusal of an officer of the case, or the officer declares it
    (Art. 43 para. 1-2). The investigation does not stop meanwhile (para. 3)."""
    reason = reason.strip()
    made: dict[str, Any] = {}

    def read(case: Case, ask: Ask) -> CaseFacts:
        officers = {u.username: u.pk for u in (case.handler, case.co_handler) if u is not None}
        officer_id = made["officer_id"] = officers.get(officer, 0)
        pending = bool(officer_id) and (
            Recusal.objects.filter(case=case, officer_id=officer_id, granted__isnull=True).exists()
        )
        extra = {"at": RECUSAL.first, "officer_id": officer_id, "pending": pending}
        return record_facts(RECUSAL, ask.step, case, extra=extra)

    def apply(case: Case, outcome: Outcome) -> None:
        made["recusal"] = Recusal.objects.create(
            case=case,
            officer_id=made["officer_id"],
            source=source,
            reason=reason,
            requested_on=clock.today(),
            requested_by=actor,
        )

    def entry(case: Case, o: Outcome, data: Mapping[str, Any], r: dict[str, Any]) -> dict[str, Any]:
        recusal: Recusal = made["recusal"]
        return {
            "recusal_id": recusal.pk,
            "officer": str(recusal.officer),
            "source": source,
            "reason": reason,
            "basis": RECUSAL_ARTICLE,
        }

    runner.run(
        _table(read, entry),
        lambda: _recusal_case(case_id, actor),
        actor=actor,
        decision="submit",
        data={"officer": officer, "source": source, "reason": reason},
        step=RECUSAL.first,
        apply=apply,
    )
    recusal: Recusal = made["recusal"]
    return recusal


def recusal_decide(
    *,
    case_id: int,
    actor: User,
    recusal_id: int,
    granted: bool,
    reason: str,
    replacement: str = "",
) -> Recusal:
    """The agency head decides (Art. 43 para. 2); an officer who withdraws is replaced on the case
    by another certified officer of the unit."""
    reason = reason.strip()
    today = clock.today()
    held: dict[str, Any] = {"replaced": None}

    def lock() -> Case:
        case = _recusal_case(case_id, actor)
        held["recusal"] = (
            Recusal.objects.select_for_update().filter(pk=recusal_id, case=case).first()
        )
        return case

    def read(case: Case, ask: Ask) -> CaseFacts:
        recusal: Recusal | None = held["recusal"]
        substitute: User | None = None
        if granted and replacement:
            substitute = User.objects.filter(
                username=replacement, unit_id=case.unit_id, is_active=True
            ).first()
        held["substitute"] = substitute
        certified = certified_on((substitute.pk,), today) if substitute is not None else frozenset()
        return record_facts(
            RECUSAL,
            ask.step,
            case,
            certified=certified,
            extra={
                "found": recusal is not None,
                "at": _step(recusal) if recusal is not None else END,
                "officer_id": recusal.officer_id if recusal is not None else 0,
                "replacement_named": bool(granted and replacement),
                "replacement_id": substitute.pk if substitute is not None else None,
                "replacement_roles": substitute.role_set if substitute is not None else frozenset(),
            },
        )

    def apply(case: Case, outcome: Outcome) -> None:
        recusal: Recusal = held["recusal"]
        substitute: User | None = held["substitute"]
        recusal.granted = granted
        recusal.decision_reason = reason
        recusal.decided_on = today
        recusal.decided_by = actor
        recusal.replacement = substitute
        recusal.save(
            update_fields=["granted", "decision_reason", "decided_on", "decided_by", "replacement"]
        )
        if substitute is not None:
            replaced = "handler" if case.handler_id == recusal.officer_id else "co_handler"
            setattr(case, f"{replaced}_id", substitute.pk)
            case.save(update_fields=[f"{replaced}_id", "updated_at"])
            held["replaced"] = replaced

    def entry(case: Case, o: Outcome, data: Mapping[str, Any], r: dict[str, Any]) -> dict[str, Any]:
        recusal: Recusal = held["recusal"]
        substitute: User | None = held["substitute"]
        return {
            "recusal_id": recusal.pk,
            "officer": str(recusal.officer),
            "granted": granted,
            "reason": reason,
            "replaced": held["replaced"],
            "replacement": str(substitute) if substitute else None,
            "basis": RECUSAL_ARTICLE,
        }

    runner.run(
        _table(read, entry),
        lock,
        actor=actor,
        decision="grant" if granted else "refuse",
        data={"reason": reason, "replacement": replacement},
        step="recusal_decide",
        apply=apply,
    )
    recusal: Recusal = held["recusal"]
    return recusal
