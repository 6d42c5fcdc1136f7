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

from django.conf import settings
from django.db.models import QuerySet

from cases.models import Case, Decision, Preservation, Review
from catalog.selectors import HearingThresholdsNotSet, hearing_thresholds_for
from deadlines.models import Deadline
from deadlines.services import working_calendar
from enforcement.models import Deferral, EnforcementRecord
from enforcement.selectors import schedule_of
from law import enforcement as enforcement_law
from law import rules as law_rules
from law.calendar import SHANGHAI, CalendarNotCovered, WorkingCalendar
from law.limits import (
    DECISION_LIMIT,
    DELIVERY,
    DISCLOSURE_PENALTY,
    EVIDENCE_PRESERVATION_DECISION,
    TimeLimit,
    due_date,
)
from law.penalties import PAYABLE_TYPES, PENALTY_LABELS, PenaltyType
from ledger.models import Entry
from orgs.models import Unit
from procedure.vocab import DecisionOutcome
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
    case_id: int | None
    unit_id: int
    party_id: int | None
    detail: str
    # What a finding not about a case is about ("plan:12", "redraw:3"): its item's key.
    subject: str = ""

    @property
    def fingerprint(self) -> str:
        if self.subject:
            return f"{self.rule.code}:{self.subject}"
        return f"{self.rule.code}:{self.case_id}:{self.party_id or 0}"


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


@dataclass(frozen=True, slots=True)
class EnforcementFacts:
    """What the 强制执行 rules read about one served penalty decision of a platform case, as of
    today: its enforcement records, the approved 延期/分期 in force, its 复议/诉讼."""

    decision: Decision
    case: Case
    fine: Decimal  # 罚款 (the surcharge's base, 行政处罚法第七十二条第一款第一项)
    payable: Decimal  # 罚款 and 没收违法所得 (what step 17 collects with the surcharge)
    records: list[EnforcementRecord]
    deferral: Deferral | None
    reviews: list[Review]
    calendar: WorkingCalendar
    today: dt.date


def term_ended(f: EnforcementFacts) -> dt.date | None:
    """The last day of the party's own term: the payment limit, or under an approved plan the
    due date of the first instalment missed (None while the plan holds it back)."""
    if f.deferral is None:
        return f.decision.payment_due
    missed = enforcement_law.first_missed(schedule_of(f.deferral), f.today)
    return missed.due if missed else None


def _notice_late(f: EnforcementFacts) -> str | None:
    ended = term_ended(f)
    if ended is None or any(r.immediate for r in f.records):
        return None
    last = ended + dt.timedelta(days=int(settings.ENFORCEMENT_NOTICE_SERVE_DAYS))
    served = min((r.notice_served_on for r in f.records if r.notice_served_on), default=None)
    performed = f.decision.executed_on
    term = f"履行期限{ended.isoformat()}届满，催告应于{last.isoformat()}前送达"
    if served is not None:
        return f"{term}，{served.isoformat()}才送达催告书" if served > last else None
    if performed is not None and performed <= last:
        return None
    if performed is not None:
        return f"{term}，未送达催告书，当事人{performed.isoformat()}才履行"
    if f.today > last:
        return f"{term}，至今未送达催告书"
    return None


def court_window_state(f: EnforcementFacts) -> tuple[enforcement_law.CourtWindow, bool] | None:
    """The court window still needing an application (行政强制法第五十三条), and whether one was
    made in it by a record of an obligation the court must enforce; None where the rule does not
    apply: a law grants the agency its own power over every obligation the decision holds (a grant
    to demolish leaves the fine to the court, 第十三条), the decision was challenged (not
    'unchallenged' any more), holds nothing to enforce, or the calendar does not cover it."""
    d, c = f.decision, f.case
    # What the decision leaves to enforce (money while payable, the act it orders) and, of it,
    # what the grant does not cover: only that needs the court.
    holds = enforcement_law.decision_obligations(bool(f.payable), [i.type for i in d.items.all()])
    scope = c.matter.power_scope if c.matter is not None else ""
    court = {o for o in holds if not enforcement_law.power_covers(scope, o)}
    if not court or f.reviews or d.delivered_on is None:
        return None
    try:
        window = enforcement_law.court_window(
            d.delivered_on,
            f.calendar,
            review_first=c.procedure == Case.Procedure.SIMPLE,
            review_first_days=int(settings.ENFORCEMENT_REVIEW_FIRST_DAYS),
            deferral_ends=f.deferral.ends_on if f.deferral else None,
        )
    except CalendarNotCovered:
        return None
    closes = window.closes.isoformat()
    execution = d.execution or {}
    applied = False
    if execution.get("kind") == "court":  # step 17 recorded the application
        applied_on = str(execution.get("applied_on") or "")
        applied = bool(applied_on) and applied_on <= closes
    elif d.executed_on is not None and d.executed_on <= window.closes:
        return None  # performed in time: nothing left to apply for
    for r in f.records:
        if r.obligation not in court:
            continue  # enforced under the grant: it applies for nothing the court must enforce
        court_detail = (r.detail or {}).get("court") or {}
        signed = court_detail.get("signed_on")
        if signed and signed <= closes:
            applied = True
        if r.completed_on is not None and r.completed_on <= window.closes:
            applied = True  # enforced by the agency or performed through 代履行
        if r.outcome == "performed" and r.ended_on and r.ended_on <= window.closes:
            applied = True
    return window, applied


def _court_window_closing(f: EnforcementFacts) -> str | None:
    found = court_window_state(f)
    if found is None or found[1]:
        return None
    window = found[0]
    warn = window.closes - dt.timedelta(days=int(settings.ENFORCEMENT_COURT_WARN_DAYS))
    if warn <= f.today <= window.closes:
        return (
            f"申请人民法院强制执行的期限将于{window.closes.isoformat()}届满，尚未申请"
            f"（剩余{(window.closes - f.today).days}日）"
        )
    return None


def _court_window_missed(f: EnforcementFacts) -> str | None:
    found = court_window_state(f)
    if found is None or found[1]:
        return None
    window = found[0]
    if f.today > window.closes:
        return (
            f"法定起诉期限{window.litigation_ends.isoformat()}届满后三个月内未申请人民法院强制执行，"
            f"申请期限已于{window.closes.isoformat()}届满"
        )
    return None


def _carried_out(record: EnforcementRecord) -> Iterator[tuple[str, dict[str, Any]]]:
    detail = record.detail or {}
    if isinstance(detail.get("carried"), dict):
        yield "强制执行", detail["carried"]
    sub = detail.get("substitute") or {}
    if isinstance(sub.get("carried"), dict):
        yield "代履行", sub["carried"]


def _night_or_holiday(f: EnforcementFacts) -> str | None:
    night_from = dt.time.fromisoformat(settings.ENFORCEMENT_NIGHT_FROM)
    night_until = dt.time.fromisoformat(settings.ENFORCEMENT_NIGHT_UNTIL)
    for record in f.records:
        for what, carried in _carried_out(record):
            try:
                at = dt.datetime.fromisoformat(str(carried.get("carried_out_at")))
            except ValueError:
                continue
            if at.tzinfo is None:
                at = at.replace(tzinfo=SHANGHAI)
            try:
                errors = list(
                    enforcement_law.timing_errors(
                        at,
                        f.calendar,
                        urgent_reason=str(carried.get("urgent_reason") or ""),
                        night_from=night_from,
                        night_until=night_until,
                    )
                )
            except CalendarNotCovered:
                continue
            if errors:
                when = at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                return f"{when}实施{what}，未记录情况紧急的理由：{errors[0]}"
    return None


def _surcharge(f: EnforcementFacts, as_of: dt.date, paid_on: dt.date | None) -> Decimal | None:
    d = f.decision
    if not f.fine or d.payment_due is None:
        return None
    schedule = schedule_of(f.deferral)
    if paid_on is not None and schedule:
        schedule = [
            enforcement_law.Instalment(i.due, i.amount, i.paid_on or paid_on) for i in schedule
        ]
    return enforcement_law.surcharge(
        fine=f.fine,
        due=d.payment_due,
        as_of=as_of,
        paid_on=paid_on,
        pauses=[enforcement_law.Interval(r.filed_on, r.decided_on) for r in f.reviews],
        schedule=schedule,
        approved_on=f.deferral.approved_on if f.deferral else None,
        deferral_moves_due=bool(settings.ENFORCEMENT_DEFERRAL_MOVES_DUE),
    ).amount


def _money(raw: Any) -> Decimal | None:
    try:
        value = Decimal(str(raw))
    except (ArithmeticError, ValueError):
        return None
    return value if value.is_finite() else None


def _surcharge_miscomputed(f: EnforcementFacts) -> str | None:
    execution = f.decision.execution or {}
    if execution.get("kind") == "paid" and f.decision.executed_on is not None:
        amount = _money(execution.get("amount"))
        paid_on = f.decision.executed_on
        due = _surcharge(f, paid_on, paid_on)
        # Less than the money owed is short payment, not a surcharge: that is step 17's guard.
        if (
            amount is not None
            and due is not None
            and amount >= f.payable
            and amount - f.payable != due
        ):
            return (
                f"{paid_on.isoformat()}缴纳{amount}元，其中加处罚款{amount - f.payable}元；"
                f"按每日百分之三、不超过罚款数额并扣除复议诉讼期间计算应为{due}元"
            )
    for r in f.records:
        issued = (r.notice or {}).get("issued_on")
        demanded = _money((r.notice or {}).get("amount"))
        if not issued or demanded is None or demanded <= f.payable:
            continue  # no surcharge demanded in this 催告
        due = _surcharge(f, dt.date.fromisoformat(issued), None)
        if due is not None and demanded - f.payable != due:
            return (
                f"{issued}催告书催缴{demanded}元，其中加处罚款{demanded - f.payable}元；"
                f"截至当日按法定标准计算应为{due}元"
            )
    return None


# Rules over each served penalty decision of the platform's own cases and its 强制执行 (imported
# cases carry no enforcement record and no payment limit: platform-only, as the others).
ENFORCEMENT_RULES: tuple[Rule, ...] = (
    Rule(
        "enforcement_notice_late",
        "履行期限届满后未按期催告",
        "行政强制法第三十五条、第五十四条",
        True,
        _notice_late,
    ),
    Rule(
        "court_window_closing",
        "申请法院强制执行期限即将届满",
        "行政强制法第五十三条",
        True,
        _court_window_closing,
    ),
    Rule(
        "court_window_missed",
        "逾期未申请法院强制执行",
        "行政强制法第五十三条",
        True,
        _court_window_missed,
    ),
    Rule(
        "enforcement_night_holiday",
        "夜间或者法定节假日实施强制执行",
        "行政强制法第四十三条第一款",
        True,
        _night_or_holiday,
    ),
    Rule(
        "surcharge_miscomputed",
        "加处罚款计算错误",
        "行政处罚法第七十二条、行政强制法第四十五条",
        True,
        _surcharge_miscomputed,
    ),
)


def _publicity(code: str) -> Callable[[Any], str | None]:
    """A 公示/双随机 rule's check over a row of supervision.publicity: the row's detail when the
    reading found this irregularity in it."""

    def check(row: Any) -> str | None:
        return str(row.detail) if row.code == code else None

    return check


# Rules over 公示 and 双随机 (supervision.publicity reads them): platform records only.
PUBLICITY_RULES: tuple[Rule, ...] = (
    Rule(
        "publication_late",
        "行政处罚决定未在期限内公示",
        _statute(DISCLOSURE_PENALTY),
        True,
        _publicity("publication_late"),
    ),
    Rule(
        "withdrawal_late",
        "被变更、撤销的处罚决定未在三个工作日内撤回公示",
        "行政处罚法第四十八条、第八十五条",
        True,
        _publicity("withdrawal_late"),
    ),
    Rule(
        "random_checks_behind",
        "双随机抽查计划期间届满未完成检查",
        "国务院办公厅关于推广随机抽查规范事中事后监管的通知（国办发〔2015〕58号）",
        True,
        _publicity("random_checks_behind"),
    ),
    Rule(
        "random_publish_late",
        "双随机抽查结果未在期限内公示",
        "企业信息公示暂行条例第十四条",
        True,
        _publicity("random_publish_late"),
    ),
    Rule(
        "random_redraw",
        "双随机抽查重新摇号",
        "企业信息公示暂行条例第十四条（摇号抽取）",
        True,
        _publicity("random_redraw"),
    ),
)
PUBLICITY_BY_CODE = {r.code: r for r in PUBLICITY_RULES}
RULES_BY_CODE = {
    r.code: r for r in (*RULES, *PRESERVATION_RULES, *ENFORCEMENT_RULES, *PUBLICITY_RULES)
}


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
    yield from _detect_enforcement(cases, calendar, today, chunk)
    kept = Preservation.objects.filter(case__in=cases, case__imported=False).exclude(
        carried_out_on=None
    )
    for p in kept.select_related("case").order_by("pk").iterator(chunk_size=chunk):
        for rule in PRESERVATION_RULES:
            detail = rule.check(PreservationFacts(p, today))
            if detail:
                yield Finding(rule, p.case_id, p.case.unit_id, None, detail)
    from supervision import publicity

    rows = [*publicity.publication_rows(cases, today), *publicity.withdrawal_rows(cases, today)]
    yield from _publicity_findings(rows)


def detect_plans(today: dt.date) -> Iterator[Finding]:
    """The 双随机 rules over every plan (a plan is no case: its items carry none)."""
    from django.db.models import Q

    from supervision import publicity

    everything = Q()
    yield from _publicity_findings(
        [*publicity.random_rows(everything, today), *publicity.redraw_rows(everything)]
    )


def _publicity_findings(rows: list[Any]) -> Iterator[Finding]:
    for row in rows:
        rule = PUBLICITY_BY_CODE.get(row.code)
        detail = rule.check(row) if rule is not None else None
        if rule is None or not detail:
            continue
        if row.redraw_id is not None:
            subject = f"redraw:{row.redraw_id}"
        elif row.plan_id is not None:
            subject = f"plan:{row.plan_id}"
        else:
            subject = ""
        yield Finding(rule, row.case_id, row.unit_id, row.party_id, detail, subject)


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


def _detect_enforcement(
    cases: QuerySet[Case], calendar: WorkingCalendar, today: dt.date, chunk: int
) -> Iterator[Finding]:
    decisions = (
        Decision.objects.filter(
            case__in=cases,
            case__imported=False,
            outcome=DecisionOutcome.PENALTY,
            delivered_on__isnull=False,
        )
        .select_related("case__matter", "party")
        .prefetch_related("items", "reviews")
        .order_by("pk")
    )
    batch: list[Decision] = []
    for d in decisions.iterator(chunk_size=chunk):
        batch.append(d)
        if len(batch) >= chunk:
            yield from _enforcement_batch(batch, calendar, today)
            batch = []
    if batch:
        yield from _enforcement_batch(batch, calendar, today)


def enforcement_facts(
    batch: list[Decision], calendar: WorkingCalendar, today: dt.date
) -> Iterator[EnforcementFacts]:
    """The facts of each decision of the batch (its case, items and reviews fetched with it)."""
    ids = [d.pk for d in batch]
    records: dict[int, list[EnforcementRecord]] = {}
    for r in EnforcementRecord.objects.filter(decision_id__in=ids).order_by("pk"):
        records.setdefault(r.decision_id, []).append(r)
    deferrals: dict[int, Deferral] = {}
    for x in Deferral.objects.filter(decision_id__in=ids).order_by("approved_on", "id"):
        deferrals[x.decision_id] = x  # the latest approval is the one in force
    for d in batch:
        items = list(d.items.all())
        yield EnforcementFacts(
            decision=d,
            case=d.case,
            fine=sum(
                (i.amount or Decimal(0) for i in items if i.type == PenaltyType.FINE), Decimal(0)
            ),
            payable=sum(
                (i.amount or Decimal(0) for i in items if i.type in PAYABLE_TYPES), Decimal(0)
            ),
            records=records.get(d.pk, []),
            deferral=deferrals.get(d.pk),
            reviews=sorted(d.reviews.all(), key=lambda r: (r.filed_on, r.pk)),
            calendar=calendar,
            today=today,
        )


def _enforcement_batch(
    batch: list[Decision], calendar: WorkingCalendar, today: dt.date
) -> Iterator[Finding]:
    for facts in enforcement_facts(batch, calendar, today):
        for rule in ENFORCEMENT_RULES:
            detail = rule.check(facts)
            if detail:
                d = facts.decision
                yield Finding(rule, d.case_id, d.case.unit_id, d.party_id, detail)


def rule_label(code: str) -> str:
    rule = RULES_BY_CODE.get(code)
    return f"{rule.title}（{rule.statute}）" if rule else "人工提出"


__all__ = [
    "ENFORCEMENT_RULES",
    "PENALTY_LABELS",
    "PRESERVATION_RULES",
    "PUBLICITY_RULES",
    "RULES",
    "Finding",
    "Rule",
    "detect",
    "detect_plans",
]
