"""回避 (行政处罚法第四十三条): declared by an officer or applied for by the party; the agency
head decides, and an officer who withdraws is replaced on the case.

Both actions run through the engine with the RECUSAL step table (procedure/recusal.py). An
application waits at `recusal_decide` while `granted` is unset and has ended once it is set, so
the step is read from that field rather than stored.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.models import Case, Recusal
from cases.services.common import own_case, record_facts, role_for, run
from ledger.services import ledger_append
from orgs.models import Certificate, User
from procedure import recusal as table
from procedure.engine import END, Act, Refused
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


def _act(actor: User, decision: str, data: dict[str, Any]) -> Act:
    return Act(actor.pk, actor.unit_id, actor.role_set, decision, data)


@transaction.atomic
def recusal_request(
    *, case_id: int, actor: User, officer: str, source: str, reason: str
) -> Recusal:
    """A party applies for the recusal of an officer of the case, or the officer declares it
    (Art. 43 para. 1-2). The investigation does not stop meanwhile (para. 3)."""
    case = _recusal_case(case_id, actor)
    reason = reason.strip()
    officers = {u.username: u.pk for u in (case.handler, case.co_handler) if u is not None}
    officer_id = officers.get(officer, 0)
    pending = bool(officer_id) and (
        Recusal.objects.filter(case=case, officer_id=officer_id, granted__isnull=True).exists()
    )
    facts = record_facts(
        RECUSAL,
        RECUSAL.first,
        case,
        extra={"at": RECUSAL.first, "officer_id": officer_id, "pending": pending},
    )
    data = {"officer": officer, "source": source, "reason": reason}
    run(RECUSAL, facts, _act(actor, "submit", data))
    recusal = Recusal.objects.create(
        case=case,
        officer_id=officer_id,
        source=source,
        reason=reason,
        requested_on=clock.today(),
        requested_by=actor,
    )
    ledger_append(
        stream=case.stream,
        action="recusal_request",
        payload={
            "recusal_id": recusal.pk,
            "officer": str(recusal.officer),
            "source": source,
            "reason": reason,
            "basis": RECUSAL_ARTICLE,
        },
        actor_id=actor.pk,
        actor_name=str(actor),
        # The actor's part in this case when it has one (a handler may also hold co_handler).
        role=Role.HANDLER.value
        if actor.pk == case.handler_id
        else Role.CO_HANDLER.value
        if actor.pk == case.co_handler_id
        else role_for(actor, RECUSAL_RECORDERS),
    )
    return recusal


@transaction.atomic
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
    case = _recusal_case(case_id, actor)
    recusal = Recusal.objects.select_for_update().filter(pk=recusal_id, case=case).first()
    reason = reason.strip()
    today = clock.today()
    substitute: User | None = None
    certified: frozenset[int] = frozenset()
    if granted and replacement:
        substitute = User.objects.filter(
            username=replacement, unit_id=case.unit_id, is_active=True
        ).first()
        if (
            substitute is not None
            and Certificate.objects.filter(
                user=substitute, revoked=False, valid_from__lte=today, valid_until__gte=today
            ).exists()
        ):
            certified = frozenset({substitute.pk})
    facts = record_facts(
        RECUSAL,
        "recusal_decide",
        case,
        certified=certified,
        extra={
            "found": recusal is not None,
            "at": _step(recusal) if recusal is not None else END,
            "officer_id": recusal.officer_id if recusal is not None else 0,
            "replacement_id": substitute.pk if substitute is not None else None,
            "replacement_roles": substitute.role_set if substitute is not None else frozenset(),
        },
    )
    data = {"reason": reason, "replacement": replacement}
    run(RECUSAL, facts, _act(actor, "grant" if granted else "refuse", data))
    assert recusal is not None
    recusal.granted = granted
    recusal.decision_reason = reason
    recusal.decided_on = today
    recusal.decided_by = actor
    recusal.replacement = substitute
    recusal.save(
        update_fields=["granted", "decision_reason", "decided_on", "decided_by", "replacement"]
    )
    replaced = None
    if substitute is not None:
        replaced = "handler" if case.handler_id == recusal.officer_id else "co_handler"
        setattr(case, f"{replaced}_id", substitute.pk)
        case.save(update_fields=[f"{replaced}_id", "updated_at"])
    ledger_append(
        stream=case.stream,
        action="recusal_decide",
        payload={
            "recusal_id": recusal.pk,
            "officer": str(recusal.officer),
            "granted": granted,
            "reason": reason,
            "replaced": replaced,
            "replacement": str(substitute) if substitute else None,
            "basis": RECUSAL_ARTICLE,
        },
        actor_id=actor.pk,
        actor_name=str(actor),
        role=role_for(actor, RECUSAL_DECIDERS),
    )
    return recusal
