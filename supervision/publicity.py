"""公示 and 双随机 seen by the supervisor (reads): penalty decisions published late or not yet
published past their limit, withdrawals due or late after a revocation, 双随机 plans behind
schedule (the period over with targets unchecked, results not published within their limit),
draws redone with their reason.

One reading serves the page (`/supervision/publicity/`: a supervisor its subtree, an agency's
officers their own unit) and the irregularity rules (supervision.rules.PUBLICITY_RULES, raised by
the scan): each row says whether it is an irregularity (`irregular`) and in what words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from cases.models import Case, Decision, Review
from deadlines.models import Deadline
from disclosure.models import Correction, Publication
from disclosure.services import UNDOING_ENDINGS
from inspections.models import RandomPlan, RandomRedraw, RandomTask
from law.limits import DISCLOSURE_PENALTY, DISCLOSURE_WITHDRAWAL
from orgs.models import Unit, User
from orgs.selectors import unit_scope_q

#: The sections of the page, in order, with their headings.
KINDS = {
    "publication": "处罚决定公示",
    "withdrawal": "撤回公示",
    "random": "双随机抽查进度",
    "redraw": "重新摇号",
}


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # a key of KINDS
    code: str  # the rule's code (supervision.rules.PUBLICITY_RULES) or "" when not irregular
    unit_id: int
    unit_name: str
    subject: str  # 决定书文号 or 计划编号
    url: str
    due_on: dt.date | None
    done_on: dt.date | None
    state: str  # 逾期未公示, 超期公示, 待撤回, …
    detail: str
    case_id: int | None = None
    party_id: int | None = None
    plan_id: int | None = None
    redraw_id: int | None = None

    @property
    def irregular(self) -> bool:
        return bool(self.code)


def publicity_scope(user: User) -> tuple[Q, Q] | None:
    """THE access function of the page: (over a case's unit, over a plan's unit) for the user, or
    None (the page is 404): a supervisor reads its subtree, an agency's officers their unit."""
    cases, plans = unit_scope_q(user, "case__unit"), unit_scope_q(user, "unit")
    if cases is None or plans is None:
        return None
    return cases, plans


def _undone_decisions(decision_ids: Any) -> set[int]:
    reviewed = Review.objects.filter(
        decision_id__in=decision_ids, ending__in=sorted(UNDOING_ENDINGS)
    ).exclude(decided_on=None)
    corrected = Correction.objects.filter(decision_id__in=decision_ids)
    return set(reviewed.values_list("decision_id", flat=True)) | set(
        corrected.values_list("decision_id", flat=True)
    )


def _limit_rows(code: str, cases: Q | QuerySet[Case]) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(code=code, case__imported=False)
    qs = qs.filter(cases) if isinstance(cases, Q) else qs.filter(case__in=cases)
    return qs.select_related("case__unit").order_by("due_on", "pk")


def _publications(limits: QuerySet[Deadline]) -> dict[int, Publication]:
    """The publication of each limit's decision, by party (one query, the limits a subquery)."""
    parties = limits.order_by().values("party_id")
    return {
        p.decision.party_id: p
        for p in Publication.objects.filter(decision__party_id__in=parties).select_related(
            "decision"
        )
    }


def publication_rows(cases: Q | QuerySet[Case], today: dt.date) -> Iterator[Row]:
    """Each decision whose publication limit has passed unpublished, or that was published after
    it (国办发〔2018〕118号: 7 working days by default). A decision undone before it was published
    is rightly never published: not late."""
    qs = _limit_rows(DISCLOSURE_PENALTY.code, cases)
    limits = list(qs)
    pubs = _publications(qs)
    decisions = Decision.objects.filter(party_id__in=qs.order_by().values("party_id"))
    decision_of = dict(decisions.values_list("party_id", "pk"))
    undone = _undone_decisions(decisions.order_by().values("pk"))
    for d in limits:
        pub = pubs.get(d.party_id or 0)
        decision_id = decision_of.get(d.party_id or 0)
        on_site = pub is not None and pub.published_on is not None
        number = pub.number if pub is not None else f"{d.case.case_no or d.case.lead_no}"
        url = f"/disclosure/{decision_id}/" if decision_id else f"/cases/{d.case_id}/"
        base: dict[str, Any] = {
            "kind": "publication",
            "unit_id": d.case.unit_id,
            "unit_name": d.case.unit.name,
            "subject": number,
            "url": url,
            "due_on": d.due_on,
            "case_id": d.case_id,
            "party_id": d.party_id,
        }
        if on_site:
            assert pub is not None and pub.published_on is not None
            if pub.published_on > d.due_on:
                yield Row(
                    **base,
                    code="publication_late",
                    done_on=pub.published_on,
                    state="超期公示",
                    detail=f"公示期限{d.due_on.isoformat()}，{pub.published_on.isoformat()}才公示",
                )
        elif decision_id not in undone and today > d.due_on:
            yield Row(
                **base,
                code="publication_late",
                done_on=None,
                state="逾期未公示",
                detail=f"公示期限{d.due_on.isoformat()}，至今未公示",
            )


def withdrawal_rows(cases: Q | QuerySet[Case], today: dt.date) -> Iterator[Row]:
    """Each withdrawal owed after a decision was changed or undone (处罚法第四十八条, 3 working
    days): still due (not irregular yet), past its last day, or done after it."""
    qs = _limit_rows(DISCLOSURE_WITHDRAWAL.code, cases)
    limits = list(qs)
    pubs = _publications(qs)
    for d in limits:
        pub = pubs.get(d.party_id or 0)
        base: dict[str, Any] = {
            "kind": "withdrawal",
            "unit_id": d.case.unit_id,
            "unit_name": d.case.unit.name,
            "subject": pub.number if pub is not None else d.case.case_no,
            "url": f"/disclosure/{pub.decision_id}/" if pub is not None else f"/cases/{d.case_id}/",
            "due_on": d.due_on,
            "case_id": d.case_id,
            "party_id": d.party_id,
        }
        withdrawn = pub.withdrawn_on if pub is not None else None
        if withdrawn is None and pub is not None and pub.status == Publication.Status.PUBLISHED:
            late = today > d.due_on
            yield Row(
                **base,
                code="withdrawal_late" if late else "",
                done_on=None,
                state="逾期未撤回" if late else "待撤回",
                detail=(
                    f"撤回期限{d.due_on.isoformat()}，" + ("至今仍在公示" if late else "尚未撤回")
                ),
            )
        elif withdrawn is not None and withdrawn > d.due_on:
            yield Row(
                **base,
                code="withdrawal_late",
                done_on=withdrawn,
                state="超期撤回",
                detail=f"撤回期限{d.due_on.isoformat()}，{withdrawn.isoformat()}才撤回",
            )


def random_rows(plans: Q, today: dt.date) -> Iterator[Row]:
    """Each 双随机 plan behind schedule: its period over with targets still unchecked (or not
    even drawn), its results not published within their limit, or published after it."""
    qs = RandomPlan.objects.filter(plans).select_related("unit").order_by("ends_on", "pk")
    open_plans = qs.exclude(status=RandomPlan.Status.PUBLISHED).filter(
        Q(ends_on__lt=today) | Q(publish_due_on__lt=today)
    )
    late_published = qs.filter(
        status=RandomPlan.Status.PUBLISHED, published_on__gt=F("publish_due_on")
    )
    unchecked = dict(
        RandomTask.objects.filter(plan__in=open_plans, result="")
        .values_list("plan_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for plan in [*open_plans, *late_published]:
        base: dict[str, Any] = {
            "kind": "random",
            "unit_id": plan.unit_id,
            "unit_name": plan.unit.name,
            "subject": f"{plan.plan_no} {plan.title}",
            "url": f"/random/plans/{plan.pk}/",
            "plan_id": plan.pk,
        }
        if plan.status == RandomPlan.Status.PUBLISHED:
            assert plan.published_on is not None and plan.publish_due_on is not None
            yield Row(
                **base,
                code="random_publish_late",
                due_on=plan.publish_due_on,
                done_on=plan.published_on,
                state="超期公示结果",
                detail=(
                    f"结果公示期限{plan.publish_due_on.isoformat()}，"
                    f"{plan.published_on.isoformat()}才公示"
                ),
            )
            continue
        left = unchecked.get(plan.pk, 0)
        if plan.status != RandomPlan.Status.DRAWN and plan.ends_on < today:
            yield Row(
                **base,
                code="random_checks_behind",
                due_on=plan.ends_on,
                done_on=None,
                state="逾期未摇号",
                detail=f"检查期间{plan.ends_on.isoformat()}届满，计划仍为“{plan.get_status_display()}”",
            )
        elif left and plan.ends_on < today:
            yield Row(
                **base,
                code="random_checks_behind",
                due_on=plan.ends_on,
                done_on=None,
                state="逾期未检查",
                detail=f"检查期间{plan.ends_on.isoformat()}届满，{left}个抽中对象未检查",
            )
        elif plan.publish_due_on is not None and today > plan.publish_due_on:
            yield Row(
                **base,
                code="random_publish_late",
                due_on=plan.publish_due_on,
                done_on=None,
                state="逾期未公示结果",
                detail=f"结果公示期限{plan.publish_due_on.isoformat()}，至今未公示",
            )


def redraw_rows(plans: Q) -> Iterator[Row]:
    """Every draw redone, with its reason (each one is for the supervisor to look at)."""
    for r in (
        RandomRedraw.objects.filter(plan__in=RandomPlan.objects.filter(plans))
        .select_related("plan__unit", "by")
        .order_by("-at", "-pk")
    ):
        yield Row(
            kind="redraw",
            code="random_redraw",
            unit_id=r.plan.unit_id,
            unit_name=r.plan.unit.name,
            subject=f"{r.plan.plan_no} {r.plan.title}",
            url=f"/random/plans/{r.plan_id}/",
            due_on=None,
            done_on=r.at.date(),
            state=f"第{r.number}次重新摇号",
            detail=f"{r.by}重新摇号，原因：{r.reason}（原摇号种子{r.seed[:16]}…）",
            plan_id=r.plan_id,
            redraw_id=r.pk,
        )


def publicity_rows(user: User, today: dt.date) -> dict[str, list[Row]] | None:
    """The page's sections for the user, or None when out of scope (404)."""
    scope = publicity_scope(user)
    if scope is None:
        return None
    cases, plans = scope
    return {
        "publication": list(publication_rows(cases, today)),
        "withdrawal": list(withdrawal_rows(cases, today)),
        "random": list(random_rows(plans, today)),
        "redraw": list(redraw_rows(plans)),
    }


def publicity_counts(root: Unit, today: dt.date) -> dict[str, int]:
    """The dashboard's figures over a supervisor's subtree."""
    cases = Q(case__unit__path__startswith=root.path)
    plans = Q(unit__path__startswith=root.path)
    withdrawals = list(withdrawal_rows(cases, today))
    return {
        "publication_late": sum(1 for _ in publication_rows(cases, today)),
        "withdrawal_due": sum(1 for r in withdrawals if not r.irregular),
        "withdrawal_late": sum(1 for r in withdrawals if r.irregular),
        "random_behind": sum(1 for _ in random_rows(plans, today)),
        "redraws": RandomRedraw.objects.filter(plan__unit__path__startswith=root.path).count(),
    }
