"""Whom a step of the general and simple procedures tells (notices), in the step's transaction:
the case's 承办人 and 协办人 when it comes back to them, the unit's approvers in the role the next
step needs when it waits for their approval; the actor's own notices that called for this action
are read. The entry's seq is the occasion: a step retried or
replayed never tells anyone twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse

from cases.models import Case
from ledger.models import Entry
from notices.models import Notice
from notices.services import notice_emit, notice_emit_roles, notices_settle
from orgs.models import User
from procedure import procedure_of_step
from procedure.engine import END, Outcome, Procedure
from procedure.roles import Role

# The decisions that send a case back to an earlier step (退回, 补充调查, 修改, 有新事实).
RETURNS = frozenset({"return", "supplement", "modify", "new_facts"})
APPROVERS = frozenset({Role.SECTION_CHIEF, Role.LEGAL_REVIEWER, Role.DEPUTY_DIRECTOR})
# Acting on the case reads these: what sent it back, what waited for approval, what a party
# submitted online for the 承办人 to record.
SETTLED = (Notice.Kind.RETURNED, Notice.Kind.APPROVAL, Notice.Kind.PARTY_RESPONSE)


def approvers(case: Case, roles: frozenset[Role]) -> list[int]:
    """The active officers of the case's unit who hold one of the roles."""
    return list(
        User.objects.filter(
            unit_id=case.unit_id, is_active=True, roles__role__in=[r.value for r in roles]
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def case_step_notify(
    case: Case, outcome: Outcome, actor: User | None, entry: Entry, *, settle: bool = True
) -> None:
    """`settle=False`: the caller knows the actor has no notice of the case to settle."""
    if actor is not None and settle:
        # What told the actor to act here is done: a case back on their desk, an approval.
        notices_settle(user=actor, subject=case.stream, kinds=SETTLED)
    nxt = outcome.next_step
    if nxt == END:
        return
    step = procedure_of_step(nxt).step(nxt)
    returned = outcome.transition.decision in RETURNS
    waiting = step.roles & APPROVERS
    if not returned and not waiting:
        return  # most steps tell no one
    label = str(case)
    url = reverse("case-detail", args=[case.pk])
    occasion = f"entry:{entry.seq}"
    actor_id = actor.pk if actor is not None else None
    who = f"{actor}" if actor is not None else "系统"
    if returned:
        notice_emit(
            users=[u for u in (case.handler_id, case.co_handler_id) if u != actor_id],
            kind=Notice.Kind.RETURNED,
            subject=case.stream,
            occasion=occasion,
            text=f"案件{label}被{who}{outcome.transition.label}，退回至“{step.name}”，请处理",
            url=url,
        )
    if waiting:
        # The unit's active officers in those roles (not the actor), with their SMS wishes: one
        # INSERT … SELECT.
        notice_emit_roles(
            unit_id=case.unit_id,
            roles=[r.value for r in waiting],
            but=actor_id,
            kind=Notice.Kind.APPROVAL,
            subject=case.stream,
            occasion=occasion,
            text=f"案件{label}待您办理“{step.name}”（{who}提交）",
            url=url,
        )


def record_notify(
    proc: Procedure,
    what: str,
    case_of: Callable[[Any], Case],
    subject_of: Callable[[Any], str],
    *,
    section: str = "",
    url_of: Callable[[Any], str] | None = None,
    not_to: Callable[[Any], Iterable[int | None]] | None = None,
) -> Callable[[Any, Outcome, User | None, Entry], None]:
    """The `notify` of a table whose records hang on a case (先行登记保存): when the record's
    next step waits for an approver, the case unit's officers in that role are told (never the
    actor, nor those `not_to` names: who may not act at the step); the actor's own waiting
    notice of the record is read. The notice links to the case page's `section`, open (the
    section folds), or where `url_of` says the action is."""

    def notify(record: Any, outcome: Outcome, actor: User | None, entry: Entry) -> None:
        case, subject = case_of(record), subject_of(record)
        if actor is not None:
            notices_settle(user=actor, subject=subject, kinds=(Notice.Kind.APPROVAL,))
        nxt = outcome.next_step
        if nxt == END:
            return
        step = proc.step(nxt)
        waiting = step.roles & APPROVERS
        if waiting:
            skip = {actor.pk if actor is not None else None, *(not_to(record) if not_to else ())}
            if url_of is not None:
                url = url_of(record)
            else:
                url = reverse("case-detail", args=[case.pk])
                url += f"?open={section}#{section}" if section else ""
            notice_emit(
                users=[u for u in approvers(case, waiting) if u not in skip],
                kind=Notice.Kind.APPROVAL,
                subject=subject,
                occasion=f"entry:{entry.seq}",
                text=f"案件{case}的{what}待您办理“{step.name}”（{actor or '系统'}提交）",
                url=url,
            )

    return notify
