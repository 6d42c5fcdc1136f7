"""证据先行登记保存 (行政处罚法第五十六条): approved by the agency head, carried out by the two
officers of the case, decided within 7 working days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from cases.models import Case, Preservation
from cases.services.common import FieldsRefused, own_case
from deadlines.services import deadline_start, deadline_stop
from law.calendar import CalendarNotCovered
from ledger.services import ledger_append
from orgs.models import Certificate, User
from procedure.engine import Refused
from procedure.roles import Role
from zhifa import clock

PRESERVATION_ARTICLE = "《行政处罚法》第五十六条"
PRESERVATION_LIMIT = "evidence_preservation_decision"


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


def _preservation_ledger(
    case: Case, actor: User, role: str, action: str, item: Preservation, **payload: Any
) -> None:
    ledger_append(
        stream=case.stream,
        action=action,
        payload={"preservation_id": item.pk, **payload, "basis": PRESERVATION_ARTICLE},
        actor_id=actor.pk,
        actor_name=str(actor),
        role=role,
    )


def _case_officer_role(case: Case, actor: User) -> str:
    if actor.pk == case.handler_id:
        return Role.HANDLER.value
    if actor.pk == case.co_handler_id:
        return Role.CO_HANDLER.value
    raise Refused(["只有本案的承办人或协办人可以办理先行登记保存"])


@transaction.atomic
def preservation_request(
    *, case_id: int, actor: User, items: Sequence[Mapping[str, Any]], reason: str
) -> Preservation:
    """An officer of the case asks the agency head to let evidence be registered and kept."""
    case, _ = _preservation(case_id, actor)
    role = _case_officer_role(case, actor)
    if case.status != Case.Status.OPEN:
        raise Refused(["先行登记保存用于立案后的调查取证"])
    errors: dict[str, list[str]] = {}
    rows = []
    for i, raw in enumerate(items):
        name = str(raw.get("name", "")).strip()
        quantity = str(raw.get("quantity", "")).strip()
        if not name or not quantity:
            errors.setdefault("items", []).append(f"第{i + 1}项物品应写明名称和数量")
        rows.append({"name": name, "quantity": quantity, "note": str(raw.get("note", "")).strip()})
    if not rows:
        errors.setdefault("items", []).append("请列明先行登记保存的物品")
    reason = reason.strip()
    if not reason:
        errors.setdefault("reason", []).append("请写明证据可能灭失或者以后难以取得的情形")
    if errors:
        raise FieldsRefused(errors)
    item = Preservation.objects.create(
        case=case,
        status=Preservation.Status.REQUESTED,
        items=rows,
        reason=reason,
        requested_by=actor,
        requested_on=clock.today(),
    )
    _preservation_ledger(case, actor, role, "preservation_request", item, items=rows, reason=reason)
    return item


@transaction.atomic
def preservation_approve(
    *, case_id: int, actor: User, preservation_id: int, approved: bool, opinion: str
) -> Preservation:
    """The agency head approves or refuses (Art. 56: 经行政机关负责人批准)."""
    case, item = _preservation(case_id, actor, preservation_id)
    if not actor.has_role(Role.DEPUTY_DIRECTOR):
        raise Refused(["先行登记保存须经行政机关负责人批准（《行政处罚法》第五十六条）"])
    if item.status != Preservation.Status.REQUESTED:
        raise Refused(["该先行登记保存已经审批"])
    opinion = opinion.strip()
    if not opinion:
        raise FieldsRefused({"opinion": ["请填写审批意见"]})
    item.status = Preservation.Status.APPROVED if approved else Preservation.Status.REFUSED
    item.approved_by, item.approved_on, item.approval_opinion = actor, clock.today(), opinion
    item.save(update_fields=["status", "approved_by", "approved_on", "approval_opinion"])
    _preservation_ledger(
        case,
        actor,
        Role.DEPUTY_DIRECTOR.value,
        "preservation_approve",
        item,
        approved=approved,
        opinion=opinion,
    )
    return item


@transaction.atomic
def preservation_carry_out(
    *, case_id: int, actor: User, preservation_id: int, on: dt.date
) -> Preservation:
    """The two officers of the case register and keep the evidence; the 7 working days for the
    decision start (Art. 56, Art. 85)."""
    case, item = _preservation(case_id, actor, preservation_id)
    role = _case_officer_role(case, actor)
    if item.status != Preservation.Status.APPROVED:
        raise Refused(["先行登记保存须经负责人批准后实施"])
    today = clock.today()
    officers = {case.handler_id, case.co_handler_id} - {None}
    certified = Certificate.objects.filter(
        user_id__in=officers, revoked=False, valid_from__lte=on, valid_until__gte=on
    ).count()
    errors: dict[str, list[str]] = {}
    if on > today:
        errors.setdefault("on", []).append("登记保存日期不能晚于今天")
    elif item.approved_on is not None and on < item.approved_on:
        errors.setdefault("on", []).append(
            f"登记保存日期不能早于批准日期{item.approved_on.isoformat()}"
        )
    if len(officers) < 2 or certified < 2:
        errors.setdefault("form", []).append(
            "应当由两名以上持有效执法证件的执法人员实施（《行政处罚法》第四十二条）"
        )
    if errors:
        raise FieldsRefused(errors)
    try:
        limit = deadline_start(case=case, code=PRESERVATION_LIMIT, starts_on=on)
    except CalendarNotCovered as exc:
        raise Refused([str(exc)]) from exc
    item.status, item.carried_out_on, item.decision_due, item.deadline = (
        Preservation.Status.IN_FORCE,
        on,
        limit.due_on,
        limit,
    )
    item.save(update_fields=["status", "carried_out_on", "decision_due", "deadline"])
    _preservation_ledger(
        case, actor, role, "preservation_carry_out", item, on=on, decision_due=limit.due_on
    )
    return item


@transaction.atomic
def preservation_decide(
    *, case_id: int, actor: User, preservation_id: int, disposition: str, note: str
) -> Preservation:
    """The decision on the kept evidence (Art. 56: 七日内及时作出处理决定). A late one is recorded;
    its limit stays overdue, where the supervisor sees it."""
    case, item = _preservation(case_id, actor, preservation_id)
    role = _case_officer_role(case, actor)
    if item.status != Preservation.Status.IN_FORCE:
        raise Refused(["只能对登记保存中的证据作出处理决定"])
    errors: dict[str, list[str]] = {}
    if disposition not in Preservation.Disposition.values:
        errors.setdefault("disposition", []).append("请选择处理决定")
    note = note.strip()
    if len(note) > 500:
        errors.setdefault("note", []).append("处理说明不能超过500字")
    if errors:
        raise FieldsRefused(errors)
    today = clock.today()
    if item.deadline_id is not None:  # this preservation's own limit, not another's
        deadline_stop(case=case, code=PRESERVATION_LIMIT, on=today, deadline_id=item.deadline_id)
    item.status, item.disposition, item.disposition_note, item.decided_on = (
        Preservation.Status.DECIDED,
        disposition,
        note,
        today,
    )
    item.save(update_fields=["status", "disposition", "disposition_note", "decided_on"])
    _preservation_ledger(
        case,
        actor,
        role,
        "preservation_decide",
        item,
        disposition=disposition,
        note=note,
        late=item.decision_due is not None and today > item.decision_due,
    )
    return item
