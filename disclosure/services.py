"""事后公示 (writes): a penalty decision's publication is drafted, approved by the unit's legal
reviewer, published and, when the decision is changed, revoked or found unlawful or void,
withdrawn with its reason (行政处罚法第四十八条). Each action is one transaction with its entry on
the case's record.

The limits are deadline rows of the case: `DISCLOSURE_PENALTY_WORKING_DAYS` (7) working days from
the decision to its publication (国办发〔2018〕118号), started when the decision is issued and
stopped by the publication (a late one stays overdue, which the supervisor's view of limits shows);
3 working days from a 复议/诉讼 result that changes or undoes a published decision to its
withdrawal (处罚法第四十八条、第八十五条), stopped by the withdrawal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from cases.models import Case, Decision, Review
from cases.runner import FieldsRefused, role_for
from cases.services.steps import case_parties
from cases.steppath import case_decisions
from deadlines.models import Deadline
from deadlines.services import deadline_start, deadline_stop, working_calendar
from disclosure.models import AgencyProfile, Correction, Publication
from disclosure.selectors import in_scope, items_of, publish_due, publishable
from law import disclosure as rules
from law.limits import DISCLOSURE_PENALTY, DISCLOSURE_WITHDRAWAL
from law.penalties import PENALTY_LABELS, PenaltyType, format_amount
from ledger.services import ledger_append
from orgs.models import Unit, User
from procedure.engine import Outcome, Refused
from procedure.roles import Role
from zhifa import clock

DRAFT_ROLES = frozenset({Role.HANDLER, Role.SECTION_CHIEF, Role.LEGAL_REVIEWER})
APPROVE_ROLES = frozenset({Role.LEGAL_REVIEWER})
PUBLISH_ROLES = frozenset({Role.LEGAL_REVIEWER, Role.SECTION_CHIEF})
WITHDRAW_ROLES = frozenset({Role.LEGAL_REVIEWER})

# 行政处罚法第四十八条: 变更、撤销、确认违法、确认无效 (law.reviews' endings of those kinds).
UNDOING_ENDINGS = frozenset({"changed", "revoked", "unlawful", "void"})
UNDONE = "该决定已被复议、诉讼或本机关自行纠错变更、撤销或确认违法、无效，不予公示"
TEXT_MAX = 5000
REASON_MAX = 300

ACTIONS = {
    "disclosure_draft": "拟写处罚决定公示内容",
    "disclosure_approve": "审核同意处罚决定公示",
    "disclosure_publish": "公示处罚决定",
    "disclosure_withdraw": "撤回已公示的处罚决定",
    "decision_self_correct": "自行纠正处罚决定（变更、撤销）",
    "agency_profile_set": "登记执法主体公示信息",
}


def summary_of(items: list[tuple[PenaltyType, Decimal | None]]) -> str:
    """处罚内容 as published: 警告；罚款5000.00元."""
    parts = []
    for kind, amount in items:
        label = PENALTY_LABELS[kind]
        parts.append(f"{label}{format_amount(amount)}元" if amount is not None else label)
    return "；".join(parts)[:300]


def _party_facts(decision: Decision) -> dict[str, str]:
    p = decision.party
    return {
        "kind": p.kind,
        "name": p.name,
        "id_number": p.id_number,
        "address": p.address,
        "phone": p.phone,
    }


def default_text(decision: Decision) -> str:
    """The draft: what the decision says, with the party masked (law.disclosure.scrub)."""
    case, party = decision.case, decision.party
    today = clock.today()
    facts = _party_facts(decision)
    who = rules.shown_name(party.kind, party.name)
    if party.kind != rules.PERSON and party.id_number:
        who += f"（统一社会信用代码：{party.id_number}）"
    lines = [
        f"行政处罚决定书文号：{decision.number}",
        f"当事人：{who}",
        f"违法事实：{decision.facts or case.facts}",
        f"处罚依据：{decision.basis}",
        f"处罚内容：{summary_of(items_of(decision))}",
        f"履行方式和期限：{decision.performance}",
        f"作出处罚决定的机关：{case.unit.name}",
        f"作出处罚决定的日期：{decision.decided_on.isoformat()}",
    ]
    return rules.scrub("\n".join(lines), today=today, **facts)


def _check_text(decision: Decision, text: str, errors: dict[str, list[str]]) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        errors.setdefault("text", []).append("请填写公示内容")
    elif len(text) > TEXT_MAX:
        errors.setdefault("text", []).append(f"公示内容不能超过{TEXT_MAX}个字")
    else:
        leaks = rules.leaks(text, today=clock.today(), **_party_facts(decision))
        if leaks:
            errors.setdefault("text", []).extend(leaks)
    return text


def _decision(decision_id: int, actor: User, roles: frozenset[Role], doing: str) -> Decision:
    """The decision, its case locked, if the actor may act on it in one of `roles`."""
    case_id = Decision.objects.filter(pk=decision_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Refused(["处罚决定不存在"])
    Case.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
    decision = (
        Decision.objects.select_related("case__unit", "party").prefetch_related("items")
    ).get(pk=decision_id)
    if actor.unit_id != decision.case.unit_id:
        raise Refused([f"只能{doing}本单位作出的处罚决定"])
    if not any(actor.has_role(r) for r in roles):
        names = "、".join(sorted({_ROLE_NAMES[r] for r in roles}))
        raise Refused([f"只有本单位的{names}可以{doing}"])
    return decision


_ROLE_NAMES = {
    Role.HANDLER: "承办人",
    Role.SECTION_CHIEF: "业务科长",
    Role.LEGAL_REVIEWER: "法制审核员",
}


def _undone(decision: Decision) -> Review | Correction | None:
    """A concluded 复议/诉讼 that changed or undid the decision, or the agency's own correction
    (处罚法第四十八条)."""
    return (
        Review.objects.filter(decision=decision, ending__in=sorted(UNDOING_ENDINGS))
        .exclude(decided_on=None)
        .order_by("decided_on")
        .first()
    ) or Correction.objects.filter(decision=decision).first()


def _entry(
    pub: Publication, action: str, actor: User, roles: frozenset[Role], **extra: Any
) -> None:
    ledger_append(
        stream=pub.case.stream,
        action=action,
        payload={
            "publication_id": pub.pk,
            "decision": pub.number,
            "status": pub.status,
            **extra,
        },
        actor_id=actor.pk,
        actor_name=str(actor),
        role=role_for(actor, roles),
    )


@transaction.atomic
def publication_draft(*, decision_id: int, actor: User, text: str = "") -> Publication:
    """Draft (or redraft, before approval) the masked text; empty: the platform's draft."""
    decision = _decision(decision_id, actor, DRAFT_ROLES, "拟写公示内容")
    errors: dict[str, list[str]] = {}
    pub = Publication.objects.filter(decision=decision).first()
    if not in_scope(decision):
        errors.setdefault("decision", []).append(
            "该决定不属于公示范围（仅公示普通程序作出的行政处罚决定，仅给予警告的除外）"
        )
    elif pub is not None and pub.status != Publication.Status.DRAFT:
        errors.setdefault("decision", []).append(
            f"该决定的公示{pub.get_status_display()}，不能重新拟写"
        )
    elif _undone(decision) is not None:
        errors.setdefault("decision", []).append(UNDONE)
    body = _check_text(decision, text, errors) if text.strip() else default_text(decision)
    if errors:
        raise FieldsRefused(errors)
    party = decision.party
    now = clock.now()
    values = {
        "case": decision.case,
        "unit": decision.case.unit,
        "number": decision.number,
        "decided_on": decision.decided_on,
        "party_kind": party.kind,
        "party_name": rules.shown_name(party.kind, party.name)[:200],
        "credit_code": party.id_number if party.kind != rules.PERSON else "",
        "summary": summary_of(items_of(decision)),
        "text": body,
        "drafted_by": actor,
        "drafted_at": now,
        "publish_due": publish_due(decision),
    }
    if pub is None:
        pub = Publication.objects.create(decision=decision, **values)
    else:
        for k, v in values.items():
            setattr(pub, k, v)
        pub.save()
    _entry(pub, "disclosure_draft", actor, DRAFT_ROLES, text=body)
    return pub


def _publication(decision: Decision, errors: dict[str, list[str]]) -> Publication | None:
    pub = Publication.objects.select_for_update().filter(decision=decision).first()
    if pub is None:
        errors.setdefault("decision", []).append("该决定尚未拟写公示内容")
    return pub


@transaction.atomic
def publication_approve(*, decision_id: int, actor: User, text: str = "") -> Publication:
    """The unit's legal reviewer approves the masked text, edited or as drafted; an edit that
    unmasks the party (ID number, full name, address, phone) is refused."""
    decision = _decision(decision_id, actor, APPROVE_ROLES, "审核公示内容")
    errors: dict[str, list[str]] = {}
    pub = _publication(decision, errors)
    if pub is not None and pub.status != Publication.Status.DRAFT:
        errors.setdefault("decision", []).append(
            f"该决定的公示{pub.get_status_display()}，不能再次审核"
        )
    body = _check_text(decision, text, errors) if text.strip() else (pub.text if pub else "")
    if errors:
        raise FieldsRefused(errors)
    assert pub is not None
    edited = body != pub.text
    pub.text = body
    pub.status = Publication.Status.APPROVED
    pub.approved_by = actor
    pub.approved_at = clock.now()
    pub.save(update_fields=["text", "status", "approved_by", "approved_at"])
    _entry(pub, "disclosure_approve", actor, APPROVE_ROLES, edited=edited, text=body)
    return pub


@transaction.atomic
def publication_publish(*, decision_id: int, actor: User) -> Publication:
    """Put the approved text on the public site; stops the publication limit (late: it stays
    overdue) and sets how long the text stays (retention)."""
    decision = _decision(decision_id, actor, PUBLISH_ROLES, "发布公示")
    errors: dict[str, list[str]] = {}
    pub = _publication(decision, errors)
    if pub is not None and pub.status != Publication.Status.APPROVED:
        errors.setdefault("decision", []).append(
            "公示内容须经法制审核员审核同意后才能发布"
            if pub.status == Publication.Status.DRAFT
            else f"该决定的公示{pub.get_status_display()}，不能再次发布"
        )
    if _undone(decision) is not None:
        errors.setdefault("decision", []).append(UNDONE)
    if errors:
        raise FieldsRefused(errors)
    assert pub is not None
    today = clock.today()
    keep = rules.retention(
        published_on=today,
        items=items_of(decision),
        low_fine=Decimal(settings.DISCLOSURE_LOW_FINE_YUAN),
        short_months=settings.DISCLOSURE_RETENTION_SHORT_MONTHS,
        long_years=settings.DISCLOSURE_RETENTION_YEARS,
    )
    due = pub.publish_due or publish_due(decision)
    pub.status = Publication.Status.PUBLISHED
    pub.published_at = clock.now()
    pub.published_on = today
    pub.publish_due = due
    pub.late = due is not None and today > due
    pub.shown_until = keep.until
    pub.save(
        update_fields=[
            "status",
            "published_at",
            "published_on",
            "publish_due",
            "late",
            "shown_until",
        ]
    )
    deadline_stop(case=decision.case, code=DISCLOSURE_PENALTY.code, on=today, party=decision.party)
    _entry(
        pub,
        "disclosure_publish",
        actor,
        PUBLISH_ROLES,
        published_on=today,
        due_on=due,
        late=pub.late,
        shown_until=keep.until,
        retention=keep.label,
    )
    return pub


@transaction.atomic
def publication_withdraw(*, decision_id: int, actor: User, reason: str) -> Publication:
    """Take a published decision's text off the site, with the reason the public reads
    (处罚法第四十八条: 变更、撤销、确认违法、确认无效); stops the withdrawal limit."""
    decision = _decision(decision_id, actor, WITHDRAW_ROLES, "撤回公示")
    errors: dict[str, list[str]] = {}
    pub = _publication(decision, errors)
    if pub is not None and pub.status != Publication.Status.PUBLISHED:
        errors.setdefault("decision", []).append("只能撤回已公示的处罚决定")
    reason = reason.strip()
    if not reason:
        errors.setdefault("reason", []).append("请填写撤回理由（将向社会公开）")
    elif len(reason) > REASON_MAX:
        errors.setdefault("reason", []).append(f"撤回理由不能超过{REASON_MAX}个字")
    elif pub is not None:
        errors.setdefault("reason", []).extend(
            rules.leaks(reason, today=clock.today(), **_party_facts(decision))
        )
        if not errors["reason"]:
            del errors["reason"]
    if errors:
        raise FieldsRefused(errors)
    assert pub is not None
    today = clock.today()
    pub.status = Publication.Status.WITHDRAWN
    pub.withdrawn_at = clock.now()
    pub.withdrawn_on = today
    pub.withdrawal_reason = reason
    pub.save(update_fields=["status", "withdrawn_at", "withdrawn_on", "withdrawal_reason"])
    deadline_stop(
        case=decision.case, code=DISCLOSURE_WITHDRAWAL.code, on=today, party=decision.party
    )
    _entry(pub, "disclosure_withdraw", actor, WITHDRAW_ROLES, withdrawn_on=today, reason=reason)
    return pub


# --- what the module adds to the core ------------------------------------------------------------


def publication_limits_start(
    case: Case, actor: User, data: Mapping[str, Any], outcome: Outcome
) -> None:
    """Effect of 作出处罚决定 (decision_issue): the publication limit of each decision in scope.
    The decisions, items and parties as the step read them (cases.steppath), in order."""
    cal = working_calendar()
    parties = {p.pk: p for p in case_parties(case)}
    for decision, items in case_decisions(case.pk):
        if not publishable(case.procedure, decision, [PenaltyType(i.type) for i in items]):
            continue
        deadline_start(
            case=case,
            code=DISCLOSURE_PENALTY.code,
            starts_on=decision.decided_on,
            party=parties[decision.party_id],
            calendar=cal,
            amount=settings.DISCLOSURE_PENALTY_WORKING_DAYS,
        )


def withdrawal_limit_start(review: Review) -> None:
    """A 复议/诉讼 result that changes, revokes or voids a published decision, or finds it
    unlawful, starts the 3-working-day withdrawal limit (处罚法第四十八条), once."""
    if review.decided_on is None or review.ending not in UNDOING_ENDINGS:
        return
    _withdrawal_start(review.decision_id, review.decided_on)


def _withdrawal_start(decision_id: int, on: dt.date) -> None:
    """The withdrawal limit of a published decision undone on `on`, unless one runs already."""
    pub = Publication.objects.filter(
        decision_id=decision_id, status=Publication.Status.PUBLISHED
    ).first()
    if pub is None:
        return
    decision = Decision.objects.select_related("case", "party").get(pk=decision_id)
    running = Deadline.objects.filter(
        case_id=decision.case_id,
        party_id=decision.party_id,
        code=DISCLOSURE_WITHDRAWAL.code,
        stopped_on=None,
    )
    if running.exists():
        return
    deadline_start(
        case=decision.case, code=DISCLOSURE_WITHDRAWAL.code, starts_on=on, party=decision.party
    )


CORRECT_ROLES = frozenset({Role.LEGAL_REVIEWER})


@transaction.atomic
def decision_correct(
    *, decision_id: int, actor: User, ending: str, corrected_on: dt.date, reason: str
) -> Correction:
    """Record the agency's own correction of a penalty decision (自行纠错: 变更 or 撤销), by the
    unit's legal reviewer, with the reason the public reads. A published decision's withdrawal
    limit (3 working days, 处罚法第四十八条) starts from the day of the correction, with no one
    having to start it; an unpublished one is no longer published."""
    decision = _decision(decision_id, actor, CORRECT_ROLES, "登记自行纠错")
    errors: dict[str, list[str]] = {}
    if ending not in Correction.Ending.values:
        errors.setdefault("ending", []).append("纠错方式应为变更或撤销")
    today = clock.today()
    if corrected_on > today:
        errors.setdefault("corrected_on", []).append("纠错决定日期不能晚于今天")
    elif corrected_on < decision.decided_on:
        errors.setdefault("corrected_on", []).append(
            f"纠错决定日期不能早于处罚决定日期（{decision.decided_on.isoformat()}）"
        )
    reason = reason.strip()
    if not reason or "\x00" in reason:
        errors.setdefault("reason", []).append("请填写纠错理由（撤回公示时向社会公开）")
    elif len(reason) > REASON_MAX:
        errors.setdefault("reason", []).append(f"纠错理由不能超过{REASON_MAX}个字")
    else:
        leaks = rules.leaks(reason, today=today, **_party_facts(decision))
        if leaks:
            errors.setdefault("reason", []).extend(leaks)
    if Correction.objects.filter(decision=decision).exists():
        errors.setdefault("decision", []).append("该决定已登记自行纠错")
    if errors:
        raise FieldsRefused(errors)
    correction = Correction.objects.create(
        decision=decision,
        ending=ending,
        corrected_on=corrected_on,
        reason=reason,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    ledger_append(
        stream=decision.case.stream,
        action="decision_self_correct",
        payload={
            "decision": decision.number,
            "ending": ending,
            "corrected_on": corrected_on,
            "reason": reason,
        },
        actor_id=actor.pk,
        actor_name=str(actor),
        role=role_for(actor, CORRECT_ROLES),
    )
    _withdrawal_start(decision.pk, corrected_on)
    return correction


# --- 事前公示: the agency's own lines ---------------------------------------------------------


@transaction.atomic
def agency_profile_set(
    *,
    unit: Unit,
    basis: str,
    reconsideration_organ: str = "",
    court: str = "",
    address: str = "",
    phone: str = "",
    actor: User | None = None,
    role: str = "",
) -> AgencyProfile:
    """The basis of the agency's 执法主体资格 and where its parties seek redress, as published
    (the demo and the system administrator; an agency's own officers: `agency_profile_edit`)."""
    errors: dict[str, list[str]] = {}
    limits = {"reconsideration_organ": 100, "court": 100, "address": 200, "phone": 30}
    values = {
        "reconsideration_organ": reconsideration_organ.strip(),
        "court": court.strip(),
        "address": address.strip(),
        "phone": phone.strip(),
    }
    basis = basis.strip()
    if not basis:
        errors.setdefault("basis", []).append("请填写执法主体资格依据")
    elif len(basis) > 2000:
        errors.setdefault("basis", []).append("执法主体资格依据不能超过2000个字")
    for name, most in limits.items():
        if len(values[name]) > most:
            errors.setdefault(name, []).append(f"不能超过{most}个字")
    if errors:
        raise FieldsRefused(errors)
    profile, _ = AgencyProfile.objects.update_or_create(
        unit=unit, defaults={"basis": basis, **values}
    )
    ledger_append(
        stream=f"unit:{unit.pk}",
        action="agency_profile_set",
        payload={"unit": unit.code, "basis": basis, **values},
        actor_id=actor.pk if actor is not None else None,
        actor_name=str(actor) if actor is not None else "系统",
        role=role or (Role.SYS_ADMIN.value if actor is not None else "system"),
    )
    return profile


#: Who edits the agency's own 事前公示 lines: its legal reviewer or its 分管局长.
PROFILE_ROLES = frozenset({Role.LEGAL_REVIEWER, Role.DEPUTY_DIRECTOR})


def profile_unit(actor: User) -> Unit | None:
    """The unit whose 事前公示 the actor may edit: its own agency or township, in one of
    PROFILE_ROLES; None for anyone else."""
    unit = actor.unit
    if unit is None or unit.kind not in (Unit.Kind.AGENCY, Unit.Kind.TOWNSHIP):
        return None
    if not any(actor.has_role(r) for r in PROFILE_ROLES):
        return None
    return unit


def agency_profile_edit(
    *,
    actor: User,
    basis: str,
    reconsideration_organ: str = "",
    court: str = "",
    address: str = "",
    phone: str = "",
) -> AgencyProfile:
    """The agency's own officer (法制审核员 or 分管局长) edits its 事前公示 lines."""
    unit = profile_unit(actor)
    if unit is None:
        raise Refused(["只有行政执法机关的法制审核员或分管局长可以维护本机关的事前公示信息"])
    given = {
        "basis": basis,
        "reconsideration_organ": reconsideration_organ,
        "court": court,
        "address": address,
        "phone": phone,
    }
    bad = {name: ["含有不允许的字符"] for name, text in given.items() if "\x00" in text}
    if bad:
        raise FieldsRefused(bad)
    return agency_profile_set(
        unit=unit,
        basis=basis,
        reconsideration_organ=reconsideration_organ,
        court=court,
        address=address,
        phone=phone,
        actor=actor,
        role=role_for(actor, PROFILE_ROLES),
    )
