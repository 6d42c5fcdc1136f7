"""Irregularity rules (as data, each naming the statute it protects), the detector that evaluates
them over decisions (the 案卷评查 standard is supervision.standards).

A rule is a code, a title, the statute and a check over one decision's facts returning the detail
of the finding or None. Rules needing the platform's own record (notice, delivery, legal review)
are skipped for imported cases, whose record does not carry those facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from cases.models import Case, Decision, Preservation
from catalog.selectors import HearingThresholdsNotSet, hearing_thresholds_for
from deadlines.models import Deadline
from deadlines.services import working_calendar
from law import rules as law_rules
from law.calendar import CalendarNotCovered, WorkingCalendar
from law.limits import DECISION_LIMIT, DELIVERY, EVIDENCE_PRESERVATION_DECISION, TimeLimit, due_date
from law.penalties import PENALTY_LABELS, PenaltyType
from ledger.models import Entry
from orgs.models import Unit
from zhifa import clock


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read about one decision (built once per decision by the detector)."""

    decision: Decision
    case: Case
    items: list[tuple[PenaltyType, Decimal | None]]
    decision_due: dt.date | None  # the decision_limit deadline's due date (extensions included)
    legal_reviewers: list[int]  # actors of the case's legal_review entries
    calendar: WorkingCalendar
    # 较大数额 configured for the case's unit (行政处罚法第六十三条); None when none is set
    thresholds: law_rules.HearingThresholds | None


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    title: str
    statute: str
    platform_only: bool
    check: Callable[[Any], str | None]  # over a decision's Facts, or a PreservationFacts


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    case_id: int
    unit_id: int
    party_id: int | None
    detail: str


def _decided_late(f: Facts) -> str | None:
    c, d = f.case, f.decision
    if c.procedure != "general" or c.filed_on is None:
        return None
    due = f.decision_due or due_date(DECISION_LIMIT, c.filed_on, f.calendar)
    if d.decided_on > due:
        return f"{c.filed_on}立案，{d.decided_on}作出决定，超过期限{due}"
    return None


def _no_legal_review(f: Facts) -> str | None:
    c = f.case
    required = law_rules.legal_review_required(
        major_public_interest=bool(c.matter and c.matter.major),
        hearing_held=f.decision.party.hearing_right,
        complex_case=c.complex,
        other_by_law=False,
    )
    if c.procedure == "general" and required and not f.legal_reviewers:
        return "重大执法决定未经法制审核即作出决定"
    return None


def _outside_band(f: Facts) -> str | None:
    matter = f.case.matter
    fines = [a for t, a in f.items if t is PenaltyType.FINE and a is not None]
    if matter is None or not fines:
        return None
    bands = matter.discretion_bands()
    low, high = matter.legal_min, matter.legal_max
    if bands:
        low = min(b.min for b in bands.values())
        high = max(b.max for b in bands.values())
    if low is None or high is None:
        return None
    amount = sum(fines, Decimal(0))
    if amount < low or amount > high:
        return f"罚款{amount}元，超出“{matter.name}”的裁量幅度{low}元至{high}元"
    return None


def _late_delivery(f: Facts) -> str | None:
    d = f.decision
    if f.case.procedure != "general" or d.delivered_on is None:
        return None
    try:
        due = due_date(DELIVERY, d.decided_on, f.calendar)
    except CalendarNotCovered:
        return None
    if d.delivered_on > due:
        return (
            f"{d.decided_on}作出决定，{d.delivered_on}送达，超过{DELIVERY.duration_label}（{due}）"
        )
    return None


def _hearing_not_told(f: Facts) -> str | None:
    party = f.decision.party
    if f.case.procedure != "general" or f.decision.outcome != "penalty" or party.hearing_right:
        return None
    if f.thresholds is None:
        return None
    right, reasons = law_rules.hearing_right(
        party_kind=party.kind, penalties=f.items, thresholds=f.thresholds
    )
    if right and party.notified is not None:
        return f"当事人{party.name}享有听证权利但告知书未告知：{reasons[0]}"
    return None


def _same_reviewer(f: Facts) -> str | None:
    c = f.case
    if c.handler_id in f.legal_reviewers or (
        c.co_handler_id and c.co_handler_id in f.legal_reviewers
    ):
        return "法制审核人员同时是本案承办人员"
    return None


def _onsite_over_limit(f: Facts) -> str | None:
    if f.case.procedure != "simple" or f.decision.outcome != "penalty":
        return None
    errors = law_rules.simple_procedure_errors(party_kind=f.decision.party.kind, penalties=f.items)
    return errors[0] if errors else None


def _heavier_than_notified(f: Facts) -> str | None:
    party = f.decision.party
    if party.notified is None or f.decision.outcome != "penalty":
        return None
    notified: list[tuple[PenaltyType, Decimal | None]] = [
        (PenaltyType(p["type"]), Decimal(str(p["amount"])) if p.get("amount") else None)
        for p in party.notified
    ]
    errors = law_rules.heavier_than_notified(f.items, notified)
    return errors[0] if errors else None


def _statute(limit: TimeLimit) -> str:
    """The article a time limit comes from, as rules cite it (``行政处罚法第六十条``)."""
    return f"{limit.law}{limit.article}"


RULES: tuple[Rule, ...] = (
    Rule(
        "decided_late",
        "超过法定期限作出处罚决定",
        _statute(DECISION_LIMIT),
        False,
        _decided_late,
    ),
    Rule("no_legal_review", "应当法制审核而未审核", "行政处罚法第五十八条", True, _no_legal_review),
    Rule("outside_band", "罚款超出裁量基准幅度", "行政处罚法第三十四条", False, _outside_band),
    Rule("late_delivery", "处罚决定书送达超过七日", _statute(DELIVERY), True, _late_delivery),
    Rule(
        "hearing_not_told",
        "未告知当事人听证权利",
        "行政处罚法第六十三条、第六十四条",
        True,
        _hearing_not_told,
    ),
    Rule(
        "same_reviewer",
        "承办人与法制审核人员为同一人",
        "行政处罚法第五十八条",
        True,
        _same_reviewer,
    ),
    Rule(
        "onsite_over_limit",
        "简易程序超出当场处罚限额",
        "行政处罚法第五十一条",
        False,
        _onsite_over_limit,
    ),
    Rule(
        "heavier_than_notified",
        "决定重于事先告知的处罚",
        "行政处罚法第四十五条",
        True,
        _heavier_than_notified,
    ),
)


@dataclass(frozen=True, slots=True)
class PreservationFacts:
    """One 证据先行登记保存 of a platform case, as of today."""

    preservation: Preservation
    today: dt.date


def _preservation_late(f: PreservationFacts) -> str | None:
    p, due = f.preservation, f.preservation.decision_due
    if due is None or p.carried_out_on is None:
        return None
    kept = f"{p.carried_out_on.isoformat()}先行登记保存，处理决定期限{due.isoformat()}"
    if p.decided_on is not None and p.decided_on > due:
        return f"{kept}，{p.decided_on.isoformat()}才作出处理决定"
    if p.decided_on is None and f.today > due:
        return f"{kept}，逾期仍未作出处理决定"
    return None


# Rules over each 先行登记保存 of the platform's own cases (imported cases carry none).
PRESERVATION_RULES: tuple[Rule, ...] = (
    Rule(
        "preservation_late",
        "先行登记保存未在七日内作出处理决定",
        _statute(EVIDENCE_PRESERVATION_DECISION),
        True,
        _preservation_late,
    ),
)
RULES_BY_CODE = {r.code: r for r in (*RULES, *PRESERVATION_RULES)}


def detect(cases: QuerySet[Case], chunk: int = 2000) -> Iterator[Finding]:
    """Every finding of every rule over the decisions of ``cases``."""
    calendar = working_calendar()
    thresholds = _UnitThresholds()
    decisions = (
        Decision.objects.filter(case__in=cases)
        .select_related("case__matter", "case__unit__region", "party")
        .prefetch_related("items")
        .order_by("pk")
    )
    batch: list[Decision] = []
    for d in decisions.iterator(chunk_size=chunk):
        batch.append(d)
        if len(batch) >= chunk:
            yield from _detect_batch(batch, calendar, thresholds)
            batch = []
    if batch:
        yield from _detect_batch(batch, calendar, thresholds)
    today = clock.today()
    kept = Preservation.objects.filter(case__in=cases, case__imported=False).exclude(
        carried_out_on=None
    )
    for p in kept.select_related("case").order_by("pk").iterator(chunk_size=chunk):
        for rule in PRESERVATION_RULES:
            detail = rule.check(PreservationFacts(p, today))
            if detail:
                yield Finding(rule, p.case_id, p.case.unit_id, None, detail)


class _UnitThresholds:
    """Each unit's configured 较大数额, read once per scan (None: the unit has none set)."""

    def __init__(self) -> None:
        self._by_unit: dict[int, law_rules.HearingThresholds | None] = {}

    def __call__(self, unit: Unit) -> law_rules.HearingThresholds | None:
        if unit.pk not in self._by_unit:
            try:
                self._by_unit[unit.pk] = hearing_thresholds_for(unit)
            except HearingThresholdsNotSet:
                self._by_unit[unit.pk] = None
        return self._by_unit[unit.pk]


def _detect_batch(
    batch: list[Decision], calendar: WorkingCalendar, thresholds: _UnitThresholds
) -> Iterator[Finding]:
    case_ids = {d.case_id for d in batch}
    own = {d.case_id for d in batch if not d.case.imported}
    due = dict(
        Deadline.objects.filter(case_id__in=case_ids, code=DECISION_LIMIT.code).values_list(
            "case_id", "due_on"
        )
    )
    reviewers: dict[int, list[int]] = {}
    streams = {f"case:{pk}": pk for pk in own}
    for stream, actor in Entry.objects.filter(
        stream__in=list(streams), action="legal_review"
    ).values_list("stream", "actor_id"):
        reviewers.setdefault(streams[stream], []).append(int(actor or 0))
    for d in batch:
        facts = Facts(
            decision=d,
            case=d.case,
            items=[(PenaltyType(i.type), i.amount) for i in d.items.all()],
            decision_due=due.get(d.case_id),
            legal_reviewers=reviewers.get(d.case_id, []),
            calendar=calendar,
            thresholds=thresholds(d.case.unit),
        )
        for rule in RULES:
            if rule.platform_only and d.case.imported:
                continue
            detail = rule.check(facts)
            if detail:
                yield Finding(rule, d.case_id, d.case.unit_id, d.party_id, detail)


def rule_label(code: str) -> str:
    rule = RULES_BY_CODE.get(code)
    return f"{rule.title}（{rule.statute}）" if rule else "人工提出"


__all__ = [
    "PENALTY_LABELS",
    "PRESERVATION_RULES",
    "RULES",
    "Finding",
    "Rule",
    "detect",
]
