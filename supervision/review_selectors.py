"""Reads of 案卷评查: who may see which round (THE access function ``review_for_user``), the
results per unit, and the unit ranking of the supervisor's dashboard.

A supervisor reads every round of its subtree; an officer of a unit reads a round once its results
are published, and only its own unit's files and figures (监督条例 Art. 19); nobody else anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from orgs.models import Unit, User
from orgs.selectors import supervised_root
from procedure.roles import CASE_ROLES
from supervision import standards
from supervision.models import FileReview, FileReviewCase
from supervision.selectors import Period

CENT = Decimal("0.01")


def average(total: int, n: int) -> Decimal | None:
    """An exact average to two decimals (half up), the same on every database."""
    if not n:
        return None
    return (Decimal(total) / Decimal(n)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Access:
    review: FileReview
    supervisor: bool  # False: an officer of the unit ``unit_id``, published results only
    unit_id: int | None

    @property
    def standard(self) -> standards.Standard:
        return standards.standard(self.review.standard)


def reviews_for_user(user: User) -> QuerySet[FileReview]:
    if not user.is_authenticated or not user.is_active:
        return FileReview.objects.none()
    q = Q(pk__in=[])
    root = supervised_root(user)
    if root is not None:
        q |= Q(root__path__startswith=root.path)
    unit_id = user.unit_id
    if unit_id is not None and user.role_set & CASE_ROLES:
        mine = FileReviewCase.objects.filter(case__unit_id=unit_id).values("review_id")
        q |= Q(published_at__isnull=False, pk__in=mine)
    return FileReview.objects.filter(q).select_related("root")


def review_for_user(user: User, review_id: int) -> Access:
    """THE access function for a 案卷评查 round: out of scope is 404."""
    review = reviews_for_user(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("案卷评查不存在")
    root = supervised_root(user)
    if root is not None and review.root.path.startswith(root.path):
        return Access(review, True, None)
    return Access(review, False, user.unit_id)


def entries_for(access: Access) -> QuerySet[FileReviewCase]:
    qs = access.review.cases.select_related("case__unit").order_by("case__unit__path", "case_id")
    return qs if access.supervisor else qs.filter(case__unit_id=access.unit_id or 0)


def entry_for_user(user: User, review_id: int, entry_id: int) -> FileReviewCase:
    """A file of a round, for the supervisor who may score it: 404 otherwise."""
    access = review_for_user(user, review_id)
    entry = entries_for(access).filter(pk=entry_id).first() if access.supervisor else None
    if entry is None:
        raise Http404("评查案卷不存在")
    return entry


@dataclass(slots=True)
class UnitResult:
    unit_id: int
    unit_code: str
    unit_name: str
    drawn: int = 0
    scored: int = 0
    points: int = 0
    lowest: int | None = None
    grades: dict[str, int] = field(default_factory=lambda: {g: 0 for g in standards.GRADE_LABELS})
    heading_points: dict[str, int] = field(default_factory=dict)

    @property
    def average(self) -> Decimal | None:
        return average(self.points, self.scored)

    def heading_averages(self, std: standards.Standard) -> list[tuple[str, Decimal | None]]:
        return [
            (h.label, average(self.heading_points.get(h.code, 0), self.scored))
            for h in std.headings
        ]

    @property
    def grade_labels(self) -> list[tuple[str, int]]:
        return [(standards.GRADE_LABELS[g], n) for g, n in self.grades.items()]


def review_results(review: FileReview, unit_id: int | None = None) -> list[UnitResult]:
    """Per unit of a round (or of one unit): files drawn and scored, average, lowest, the count
    of each grade and the heading sums; ordered by the unit tree."""
    std = standards.standard(review.standard)
    qs = review.cases.select_related("case__unit").order_by("case__unit__path", "pk")
    if unit_id is not None:
        qs = qs.filter(case__unit_id=unit_id)
    out: dict[int, UnitResult] = {}
    for e in qs:
        unit = e.case.unit
        r = out.get(unit.pk) or out.setdefault(unit.pk, UnitResult(unit.pk, unit.code, unit.name))
        r.drawn += 1
        if e.total is None:
            continue
        r.scored += 1
        r.points += e.total
        r.lowest = e.total if r.lowest is None else min(r.lowest, e.total)
        if e.grade in r.grades:
            r.grades[e.grade] += 1
        for code, n in standards.heading_totals(std, e.scores or {}).items():
            r.heading_points[code] = r.heading_points.get(code, 0) + n
    return list(out.values())


@dataclass(frozen=True, slots=True)
class RankRow:
    rank: int
    unit: Unit
    cases: int
    average: Decimal


def unit_ranking(root: Unit, period: Period) -> list[RankRow]:
    """排名: the units of the subtree by their average score over the files of the rounds whose
    results were published in the period (ties share a rank, then the unit tree's order)."""
    rows = (
        FileReviewCase.objects.filter(
            review__root__path__startswith=root.path,
            review__published_at__date__gte=period.start,
            review__published_at__date__lte=period.end,
            case__unit__path__startswith=root.path,
        )
        .exclude(total=None)
        .values("case__unit_id")
        .annotate(n=Count("id"), points=Sum("total"))
        .order_by()
    )
    figures = {r["case__unit_id"]: (r["n"], r["points"]) for r in rows}
    units = Unit.objects.in_bulk(list(figures))
    scored = []
    for pk, (n, points) in figures.items():
        avg = average(points, n)
        assert avg is not None
        scored.append((avg, units[pk], n))
    scored.sort(key=lambda t: (-t[0], t[1].path))
    out: list[RankRow] = []
    for i, (avg, unit, n) in enumerate(scored):
        rank = out[-1].rank if out and out[-1].average == avg else i + 1
        out.append(RankRow(rank, unit, n, avg))
    return out
