"""行政复议、行政诉讼 against a decision of the case: filed, then concluded once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cases import counts
from cases.models import Case, Decision, Review
from cases.services.common import FieldsRefused, own_case, role_for
from deadlines.services import working_calendar
from law import reviews
from ledger.services import ledger_append
from orgs.models import User
from procedure.engine import Refused
from procedure.roles import Role
from zhifa import clock

# Who records them: the unit's legal reviewer (法制审核, who answers the review organ), the section
# chief and the handlers.
REVIEW_ROLES = frozenset({Role.LEGAL_REVIEWER, Role.SECTION_CHIEF, Role.HANDLER})
REVIEW_KIND_LABELS = {k.value: label for k, label in reviews.KIND_LABELS.items()}


def _review_case(case_id: int, actor: User) -> Case:
    """The case, locked, if the actor may record reviews on it; refused otherwise."""
    case = own_case(
        case_id,
        actor,
        imported="导入的历史案件的复议诉讼情况以数据交换导入为准，不能在此登记",
        other_unit="只能登记本单位案件的复议诉讼情况",
    )
    if not any(actor.has_role(r) for r in REVIEW_ROLES):
        raise Refused(["只有本单位的法制审核员、业务科长或承办人可以登记复议诉讼情况"])
    return case


def _review_decision(case: Case, party: int, errors: dict[str, list[str]]) -> Decision | None:
    decision = Decision.objects.filter(case=case, party__index=party).first()
    if decision is None:
        errors.setdefault("party", []).append("该当事人在本案中没有已作出的处罚决定")
    return decision


def _review_kind(kind: str, errors: dict[str, list[str]]) -> reviews.Kind | None:
    if kind not in reviews.Kind.__members__.values():
        errors.setdefault("kind", []).append(f"类型“{kind}”无效，应为行政复议或行政诉讼")
        return None
    return reviews.Kind(kind)


def _other_review(decision: Decision, kind: reviews.Kind) -> reviews.Other | None:
    other = Review.objects.filter(decision=decision).exclude(kind=kind).first()
    if other is None:
        return None
    return reviews.Other(other.filed_on, reviews.Result(other.result), other.decided_on)


@transaction.atomic
def review_file(
    *,
    case_id: int,
    actor: User,
    party: int,
    kind: str,
    filed_on: dt.date,
    organ: str,
    organ_case_no: str = "",
) -> Review:
    """The party applied for 行政复议 (or sued) against the decision of party `party` (its index).

    Late filings are recorded with a warning, not refused: the review organ decides whether to
    accept them (law.reviews.filing_check)."""
    case = _review_case(case_id, actor)
    errors: dict[str, list[str]] = {}
    k = _review_kind(kind, errors)
    decision = _review_decision(case, party, errors)
    organ, organ_case_no = organ.strip(), organ_case_no.strip()
    if filed_on > clock.today():
        errors.setdefault("filed_on", []).append("申请（起诉）日期不能晚于今天")
    if decision is not None and filed_on < decision.decided_on:
        errors.setdefault("filed_on", []).append(
            f"申请（起诉）日期不能早于决定日期{decision.decided_on.isoformat()}"
        )
    if not organ:
        errors.setdefault("organ", []).append("请填写行政复议机关或人民法院名称")
    elif len(organ) > 100:
        errors.setdefault("organ", []).append("行政复议机关或人民法院名称不能超过100个字")
    if len(organ_case_no) > 60:
        errors.setdefault("organ_case_no", []).append("案号不能超过60个字")
    if k is not None and decision is not None and decision.reviews.filter(kind=k).exists():
        errors.setdefault("kind", []).append(
            f"该决定已登记{reviews.KIND_LABELS[k]}，同一决定每类只登记一次"
        )
    if errors:
        raise FieldsRefused(errors)
    assert k is not None and decision is not None
    check = reviews.filing_check(
        kind=k,
        filed_on=filed_on,
        known_on=decision.delivered_on,
        calendar=working_calendar(),
        other=_other_review(decision, k),
    )
    review = Review.objects.create(
        decision=decision,
        kind=k.value,
        filed_on=filed_on,
        organ=organ,
        organ_case_no=organ_case_no,
        filing_due=check.due_on,
        late=check.late,
        warnings="\n".join(check.warnings),
    )
    counts.review_recorded(case.unit_id, review, filed=True, corrected=False)
    ledger_append(
        stream=case.stream,
        action="review_file",
        payload={
            "review_id": review.pk,
            "party": party,
            "decision": decision.number,
            "kind": k.value,
            "filed_on": filed_on,
            "organ": organ,
            "organ_case_no": organ_case_no,
            "limit": check.limit.citation if check.limit else None,
            "filing_due": check.due_on,
            "late": check.late,
            "warnings": list(check.warnings),
        },
        actor_id=actor.pk,
        actor_name=str(actor),
        role=role_for(actor, REVIEW_ROLES),
    )
    return review


@transaction.atomic
def review_conclude(
    *,
    case_id: int,
    actor: User,
    party: int,
    kind: str,
    ending: str,
    decided_on: dt.date,
) -> Review:
    """The review organ's result (or the withdrawal, or the refusal to accept), once.

    `ending` is one of law.reviews.endings_of(kind); it sets `result` as the forms read it:
    upheld, corrected, or '' for an ending without a result."""
    case = _review_case(case_id, actor)
    errors: dict[str, list[str]] = {}
    k = _review_kind(kind, errors)
    decision = _review_decision(case, party, errors)
    review = None
    if k is not None and decision is not None:
        review = decision.reviews.select_for_update().filter(kind=k).first()
        if review is None:
            errors.setdefault("kind", []).append(f"该决定尚未登记{reviews.KIND_LABELS[k]}")
        elif review.decided_on is not None:
            errors.setdefault("kind", []).append(
                f"该{reviews.KIND_LABELS[k]}已于{review.decided_on.isoformat()}办结，不能重复登记结果"
            )
    end = reviews.ending(k, ending) if k is not None else None
    if k is not None and end is None:
        allowed = "、".join(e.label for e in reviews.endings_of(k))
        errors.setdefault("ending", []).append(f"结果“{ending}”无效，应为：{allowed}")
    if decided_on > clock.today():
        errors.setdefault("decided_on", []).append("结果日期不能晚于今天")
    if review is not None and decided_on < review.filed_on:
        errors.setdefault("decided_on", []).append(
            f"结果日期不能早于申请（起诉）日期{review.filed_on.isoformat()}"
        )
    if errors:
        raise FieldsRefused(errors)
    assert review is not None and end is not None
    review.ending = end.code
    review.result = end.result.value
    review.decided_on = decided_on
    review.save(update_fields=["ending", "result", "decided_on"])
    counts.review_recorded(
        case.unit_id, review, filed=False, corrected=review.result == Review.Result.CORRECTED
    )
    ledger_append(
        stream=case.stream,
        action="review_conclude",
        payload={
            "review_id": review.pk,
            "party": party,
            "kind": review.kind,
            "ending": end.code,
            "label": end.label,
            "basis": end.citation,
            "result": end.result.value,
            "decided_on": decided_on,
        },
        actor_id=actor.pk,
        actor_name=str(actor),
        role=role_for(actor, REVIEW_ROLES),
    )
    return review
