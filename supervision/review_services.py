"""Writes of 案卷评查 (行政执法监督条例 Arts. 18-19): draw a round, score its files against the
round's published standard, publish the results to the units reviewed, raise a finding as a
supervision item.

Each service is one transaction with its entry on the round's ledger stream. Refusals raise
procedure.engine.Refused with Chinese reasons and change nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction

from cases.models import Case
from law.calendar import SHANGHAI
from ledger.services import ledger_append
from orgs.models import User
from orgs.selectors import supervised_root
from procedure.engine import Refused
from procedure.roles import Role
from supervision import standards
from supervision.models import FileReview, FileReviewCase, Item
from supervision.review_selectors import review_results
from supervision.services import item_raise
from zhifa import clock

NAME_MAX = 100
REMARKS_MAX = 2000
# The statute a finding of a 案卷评查 is raised under.
FINDING_STATUTE = "行政执法监督条例第十八条"


def _name(user: User) -> str:
    return user.full_name or user.username


def _entry(review: FileReview, action: str, actor: User, **payload: Any) -> None:
    ledger_append(
        stream=review.stream,
        action=action,
        payload=payload,
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=Role.SUPERVISOR.value,
    )


def _in_scope(actor: User, review: FileReview) -> bool:
    root = supervised_root(actor)
    return root is not None and review.root.path.startswith(root.path)


def grade_of(points: int) -> str:
    return standards.grade(
        points,
        excellent=settings.FILE_REVIEW_GRADE_EXCELLENT,
        passing=settings.FILE_REVIEW_GRADE_PASS,
    )


@transaction.atomic
def file_review_create(
    *,
    actor: User,
    name: str,
    method: str,
    period_start: dt.date,
    period_end: dt.date,
    per_unit: int = 3,
    seed: str = "",
) -> FileReview:
    """Draw closed cases of the supervisor's subtree: at random (seeded, reproducible, the same
    number per unit) or every case with a supervision item. The round is scored against the
    standard in force (settings.FILE_REVIEW_STANDARD) and keeps it."""
    root = supervised_root(actor)
    if root is None:
        raise Refused(["只有执法监督员可以组织案卷评查"])
    if method not in FileReview.Method.values:
        raise Refused(["抽取方式无效"])
    if method == FileReview.Method.RANDOM and not 1 <= per_unit <= 1000:
        raise Refused(["每单位抽取件数应在1至1000之间"])
    if period_end < period_start:
        raise Refused(["结案日期止不能早于结案日期起"])
    if len(name) > NAME_MAX or "\x00" in name or len(seed) > 40 or "\x00" in seed:
        raise Refused([f"评查名称不能超过{NAME_MAX}字，随机种子不能超过40字，且不能含有控制字符"])
    closed = Case.objects.filter(
        unit__path__startswith=root.path,
        status=Case.Status.CLOSED,
        closed_on__gte=period_start,
        closed_on__lte=period_end,
    )
    seed = seed or clock.now().astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S")
    if method == FileReview.Method.RANDOM:
        by_unit: dict[int, list[int]] = defaultdict(list)
        for pk, unit_id in closed.order_by("pk").values_list("pk", "unit_id"):
            by_unit[unit_id].append(pk)
        picked: list[int] = []
        for unit_id in sorted(by_unit):
            rng = random.Random(f"{seed}:{unit_id}")
            pool = by_unit[unit_id]
            picked.extend(sorted(rng.sample(pool, min(per_unit, len(pool)))))
    else:
        picked = list(
            closed.filter(supervision_items__isnull=False)
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if not picked:
        raise Refused(["没有符合条件的已结案件"])
    review = FileReview.objects.create(
        name=name.strip() or "案卷评查",
        root=root,
        method=method,
        seed=seed if method == FileReview.Method.RANDOM else "",
        per_unit=per_unit if method == FileReview.Method.RANDOM else 0,
        period_start=period_start,
        period_end=period_end,
        standard=settings.FILE_REVIEW_STANDARD,
        created_by=actor,
        created_at=clock.now(),
    )
    FileReviewCase.objects.bulk_create(FileReviewCase(review=review, case_id=pk) for pk in picked)
    _entry(
        review,
        "file_review_create",
        actor,
        method=method,
        seed=review.seed,
        standard=review.standard,
        cases=picked,
    )
    return review


@transaction.atomic
def file_review_score(
    *,
    actor: User,
    entry_id: int,
    scores: dict[str, Any],
    reasons: dict[str, Any] | None = None,
    remarks: str = "",
) -> FileReviewCase:
    """Score one drawn file against its round's standard: every item 0 … its points, a reason
    for every deduction; the heading totals, the total and the grade are computed."""
    entry = (
        FileReviewCase.objects.select_for_update().select_related("review__root").get(pk=entry_id)
    )
    review = entry.review
    if not _in_scope(actor, review):
        raise Refused(["无权评查该案卷"])
    if review.published_at is not None:
        raise Refused(["本次评查结果已公布，不能再修改评分"])
    std = standards.standard(review.standard)
    reasons = reasons or {}
    errors = standards.sheet_errors(std, scores, reasons)
    if not isinstance(remarks, str) or len(remarks) > REMARKS_MAX or "\x00" in remarks:
        errors.append(f"评查意见不能超过{REMARKS_MAX}字或含有控制字符")
    if errors:
        raise Refused(errors)
    points, why = standards.clean_sheet(std, scores, reasons)
    entry.scores, entry.reasons = points, why
    entry.total = standards.total(std, points)
    entry.grade = grade_of(entry.total)
    entry.remarks = remarks.strip()
    entry.scored_by = actor
    entry.scored_at = clock.now()
    entry.save()
    _entry(
        review,
        "file_review_score",
        actor,
        case=entry.case_id,
        scores=points,
        reasons=why,
        total=entry.total,
        grade=entry.grade,
    )
    return entry


@transaction.atomic
def file_review_publish(*, actor: User, review_id: int) -> FileReview:
    """Finish a round and publish its results to the units reviewed (监督条例 Art. 19): only
    when every drawn file is scored; after it the scores are final."""
    review = FileReview.objects.select_for_update().select_related("root").get(pk=review_id)
    if not _in_scope(actor, review):
        raise Refused(["无权公布该评查结果"])
    if review.published_at is not None:
        raise Refused(["本次评查结果已经公布"])
    unscored = review.cases.filter(total=None).count()
    if unscored:
        raise Refused([f"尚有{unscored}件案卷未评分，评分完毕后才能公布结果"])
    review.published_at, review.published_by = clock.now(), actor
    review.save(update_fields=["published_at", "published_by"])
    _entry(
        review,
        "file_review_publish",
        actor,
        units=[
            {
                "unit": r.unit_code,
                "cases": r.scored,
                "average": str(r.average),
                "grades": r.grades,
            }
            for r in review_results(review)
        ],
    )
    return review


@transaction.atomic
def file_review_raise_item(*, actor: User, entry_id: int, title: str, detail: str = "") -> Item:
    """A finding on a reviewed file becomes a supervision item (through item_raise, which sends
    it on like any other), recorded on the round's stream too."""
    entry = FileReviewCase.objects.select_related("review__root", "case__unit").get(pk=entry_id)
    if not _in_scope(actor, entry.review):
        raise Refused(["无权处理该评查案卷"])
    if len(title) > 200 or len(detail) > 5000 or "\x00" in title + detail:
        raise Refused(["监督事项不能超过200字、情况说明不能超过5000字，且不能含有控制字符"])
    item = item_raise(
        actor=actor,
        case=entry.case,
        title=title,
        detail=f"{detail.strip()}\n（案卷评查“{entry.review.name}”发现）".strip(),
        statute=FINDING_STATUTE,
    )
    _entry(entry.review, "file_review_item", actor, case=entry.case_id, item=item.pk)
    return item


def grade_bands() -> list[tuple[str, str]]:
    """The grade bands as published with the standard."""
    excellent = settings.FILE_REVIEW_GRADE_EXCELLENT
    passing = settings.FILE_REVIEW_GRADE_PASS
    return [
        (standards.GRADE_LABELS[standards.EXCELLENT], f"{excellent}分及以上"),
        (standards.GRADE_LABELS[standards.PASS], f"{passing}分至{excellent - 1}分"),
        (standards.GRADE_LABELS[standards.FAIL], f"{passing}分以下"),
    ]
