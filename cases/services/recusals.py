"""回避 (行政处罚法第四十三条): declared by an officer or applied for by the party; the agency
head decides, and an officer who withdraws is replaced on the case."""

from __future__ import annotations

from django.db import transaction

from cases.models import Case, Recusal
from cases.services.common import FieldsRefused, own_case, role_for
from ledger.services import ledger_append
from orgs.models import Certificate, User
from procedure.engine import Refused
from procedure.roles import Role
from zhifa import clock

# Who records a party's application (or declares their own recusal): the unit's officers of the
# case and the section chief. Who decides: the agency head (行政机关负责人), here the 分管局长.
RECUSAL_RECORDERS = frozenset({Role.HANDLER, Role.CO_HANDLER, Role.SECTION_CHIEF})
RECUSAL_DECIDERS = frozenset({Role.DEPUTY_DIRECTOR})
RECUSAL_ARTICLE = "《行政处罚法》第四十三条"


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


@transaction.atomic
def recusal_request(
    *, case_id: int, actor: User, officer: str, source: str, reason: str
) -> Recusal:
    """A party applies for the recusal of an officer of the case, or the officer declares it
    (Art. 43 para. 1-2). The investigation does not stop meanwhile (para. 3)."""
    case = _recusal_case(case_id, actor)
    if not any(actor.has_role(r) for r in RECUSAL_RECORDERS):
        raise Refused(["只有本单位的承办人、协办人或业务科长可以登记回避申请"])
    errors: dict[str, list[str]] = {}
    reason = reason.strip()
    officers = {u.username: u.pk for u in (case.handler, case.co_handler) if u is not None}
    officer_id = officers.get(officer, 0)
    if not officer_id:
        errors.setdefault("officer", []).append("只能对本案的承办人或协办人申请回避")
    elif Recusal.objects.filter(case=case, officer_id=officer_id, granted__isnull=True).exists():
        errors.setdefault("officer", []).append("该执法人员已有待决定的回避申请")
    if source not in Recusal.Source.values:
        errors.setdefault("source", []).append("提出方式应为当事人申请或自行回避")
    elif source == Recusal.Source.SELF and officer_id != actor.pk:
        errors.setdefault("source", []).append("自行回避应由该执法人员本人提出")
    if not reason:
        errors.setdefault("reason", []).append(
            "请填写理由：与案件有直接利害关系或者有其他关系可能影响公正执法的情形"
        )
    elif len(reason) > 500:
        errors.setdefault("reason", []).append("理由不能超过500字")
    if errors:
        raise FieldsRefused(errors)
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
    if not any(actor.has_role(r) for r in RECUSAL_DECIDERS):
        raise Refused(["回避由行政机关负责人决定（《行政处罚法》第四十三条第二款）"])
    errors: dict[str, list[str]] = {}
    recusal = Recusal.objects.select_for_update().filter(pk=recusal_id, case=case).first()
    if recusal is None:
        raise Refused(["本案没有该回避申请"])
    if recusal.granted is not None:
        errors.setdefault("form", []).append("该回避申请已经作出决定")
    if recusal.officer_id == actor.pk:
        errors.setdefault("form", []).append("负责人本人的回避不能由其自己决定")
    reason = reason.strip()
    if not reason:
        errors.setdefault("reason", []).append("请填写决定理由")
    elif len(reason) > 500:
        errors.setdefault("reason", []).append("决定理由不能超过500字")
    substitute: User | None = None
    if granted:
        today = clock.today()
        substitute = (
            User.objects.filter(username=replacement, unit_id=case.unit_id, is_active=True).first()
            if replacement
            else None
        )
        if substitute is None:
            errors.setdefault("replacement", []).append("决定回避的，请指定本单位的执法人员接替")
        elif substitute.pk in {case.handler_id, case.co_handler_id}:
            errors.setdefault("replacement", []).append("接替人员不能是本案现有的执法人员")
        elif not (substitute.has_role(Role.HANDLER) or substitute.has_role(Role.CO_HANDLER)):
            errors.setdefault("replacement", []).append("接替人员应为承办人或协办人")
        elif not Certificate.objects.filter(
            user=substitute, revoked=False, valid_from__lte=today, valid_until__gte=today
        ).exists():
            errors.setdefault("replacement", []).append(
                "接替人员没有有效的行政执法证件（《行政处罚法》第四十二条）"
            )
    elif replacement:
        errors.setdefault("replacement", []).append("不予回避的，不指定接替人员")
    if errors:
        raise FieldsRefused(errors)
    recusal.granted = granted
    recusal.decision_reason = reason
    recusal.decided_on = clock.today()
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
