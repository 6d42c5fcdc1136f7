"""Reads of 强制执行: the one access function, the surcharge and court window of a decision,
the records of a case, and the 待办 (decisions overdue unpaid; steps awaiting a role)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from cases.models import Case, Decision, Party, PenaltyItem, Review
from cases.selectors import cases_for_user
from cases.todo import TODO_CAP, TodoItem
from deadlines.services import working_calendar
from enforcement.models import Deferral, EnforcementRecord
from law import enforcement as rules
from law.calendar import CalendarNotCovered
from law.penalties import PenaltyType
from orgs.models import User
from procedure.enforcement import ENFORCEMENT, OUTCOMES
from procedure.engine import END
from procedure.roles import Role
from procedure.vocab import DecisionOutcome, ExecutionKind
from zhifa import clock
from zhifa.rows import Columns

OPEN_STEPS = [s.code for s in ENFORCEMENT.steps if s.code != "en_done"]
# Ended enforcements after which the obligation may be enforced again (a new 催告).
REOPENABLE = ("adopted", "rejected", "ended", "court_refused")


def enforcement_for_user(user: User, pk: int) -> EnforcementRecord:
    """The one access function: a record of a case the user may read, else 404."""
    try:
        return EnforcementRecord.objects.select_related("case", "decision__party").get(
            pk=pk, case__in=cases_for_user(user)
        )
    except (EnforcementRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("强制执行记录不存在") from None


def obligation_of(record: EnforcementRecord) -> rules.Obligation:
    """What the record enforces: the obligation its 催告 named (行政强制法第三十五条); an
    immediate 代履行 removes an obstacle (第五十二条)."""
    return rules.Obligation(record.obligation or rules.Obligation.PERFORMANCE)


def holds_of(decision: Decision) -> frozenset[str]:
    """The obligations the decision leaves to enforce: money while its 罚款 is unpaid, an act
    when it orders one (law.enforcement.decision_obligations)."""
    types = PenaltyItem.objects.filter(decision=decision).values_list("type", flat=True)
    outstanding = decision.executed_on is None and fine_of(decision) > 0
    return rules.decision_obligations(outstanding, list(types))


def open_obligations(decision: Decision) -> set[str]:
    """The obligations of the decision with an enforcement open or completed (not reopenable)."""
    busy = EnforcementRecord.objects.filter(decision=decision).exclude(
        step=END, outcome__in=REOPENABLE
    )
    return set(busy.values_list("obligation", flat=True))


def court_bound(record: EnforcementRecord) -> bool:
    """Whether the record's obligation can only be enforced by the court (第十三条): the matter
    grants no power, or not for this obligation."""
    matter = record.case.matter
    scope = matter.power_scope if matter else ""
    return not rules.power_covers(scope, obligation_of(record))


def fine_of(decision: Decision) -> Decimal:
    """The 罚款 the surcharge is counted on (行政处罚法第七十二条第一款第一项: 罚款数额)."""
    items = PenaltyItem.objects.filter(decision=decision, type=PenaltyType.FINE)
    return sum((i.amount or Decimal("0") for i in items), Decimal("0"))


def pauses_of(decision: Decision) -> list[rules.Interval]:
    """行政处罚法第七十三条第三款: the 复议/诉讼 recorded on the decision, filing to result."""
    return [
        rules.Interval(r.filed_on, r.decided_on)
        for r in Review.objects.filter(decision=decision).order_by("filed_on")
    ]


def review_pending(decision: Decision) -> bool:
    return Review.objects.filter(decision=decision, decided_on__isnull=True).exists()


def deferral_of(decision: Decision) -> Deferral | None:
    """The approved 延期/分期 in force (the latest approval)."""
    return Deferral.objects.filter(decision=decision).order_by("-approved_on", "-id").first()


def schedule_of(deferral: Deferral | None) -> list[rules.Instalment]:
    return schedule_rows(deferral.schedule if deferral else None)


def schedule_rows(schedule: Any) -> list[rules.Instalment]:
    """The instalments of a plan's stored schedule ([{"due", "amount", "paid_on"?}])."""
    rows = schedule or []
    return [
        rules.Instalment(
            dt.date.fromisoformat(r["due"]),
            Decimal(r["amount"]),
            dt.date.fromisoformat(r["paid_on"]) if r.get("paid_on") else None,
        )
        for r in rows
    ]


def missed_of(deferral: Deferral | None, today: dt.date) -> rules.Instalment | None:
    """The first instalment of the plan whose due date passed unpaid (行政处罚法第六十六条): from
    the day after it the decision is open to enforcement, not only after the plan's end."""
    return rules.first_missed(schedule_of(deferral), today) if deferral else None


def held_by_deferral(decision_ids: Any, today: dt.date) -> set[int]:
    """Of these decisions, those an approved 延期/分期 still holds back from enforcement today:
    its latest approval runs on and no instalment of it is missed."""
    latest: dict[int, Deferral] = {}
    for d in Deferral.objects.filter(decision_id__in=decision_ids).order_by(
        "decision_id", "approved_on", "id"
    ):
        latest[d.decision_id] = d
    return {pk for pk, d in latest.items() if d.ends_on >= today and missed_of(d, today) is None}


def case_deferrals(case: Case) -> list[dict[str, Any]]:
    """The approved 延期/分期 in force of each decision of the case, with its instalments (number
    from 1, due date, amount, the day paid), for the page's 分期缴款 form."""
    out: list[dict[str, Any]] = []
    decisions = Decision.objects.filter(case=case).select_related("party")
    for d in decisions.order_by("party__index"):
        deferral = deferral_of(d)
        if deferral is None:
            continue
        rows = [
            {"n": n, "due": i.due, "amount": i.amount, "paid_on": i.paid_on}
            for n, i in enumerate(schedule_of(deferral), 1)
        ]
        out.append(
            {
                "party": d.party.name,
                "party_index": d.party.index,
                "decision_no": d.number,
                "approved_on": deferral.approved_on,
                "rows": rows,
                "unpaid": [r for r in rows if r["paid_on"] is None],
            }
        )
    return out


def surcharge_of(decision: Decision, as_of: dt.date) -> rules.Surcharge | None:
    """加处罚款 on the decision's fine up to `as_of` (None when it has no fine or no due date)."""
    fine = fine_of(decision)
    if not fine or decision.payment_due is None:
        return None
    paid = None
    if (decision.execution or {}).get("kind") == ExecutionKind.PAID:
        paid = decision.executed_on
    deferral = deferral_of(decision)
    schedule = schedule_of(deferral)
    if paid is not None and schedule:
        schedule = [rules.Instalment(i.due, i.amount, paid) for i in schedule]
    return rules.surcharge(
        fine=fine,
        due=decision.payment_due,
        as_of=as_of,
        paid_on=paid,
        pauses=pauses_of(decision),
        schedule=schedule,
        approved_on=deferral.approved_on if deferral else None,
        deferral_moves_due=settings.ENFORCEMENT_DEFERRAL_MOVES_DUE,
    )


def window_of(decision: Decision, case: Case) -> rules.CourtWindow | None:
    """行政强制法第五十三条: the court window of a served decision (None: not served, or the
    calendar does not cover it). A simple-procedure (当场) decision needs 复议 first."""
    if decision.delivered_on is None:
        return None
    deferral = deferral_of(decision)
    try:
        return rules.court_window(
            decision.delivered_on,
            working_calendar(),
            review_first=case.procedure == Case.Procedure.SIMPLE,
            review_first_days=settings.ENFORCEMENT_REVIEW_FIRST_DAYS,
            deferral_ends=deferral.ends_on if deferral else None,
        )
    except CalendarNotCovered:
        return None


def record_row(record: EnforcementRecord) -> dict[str, Any]:
    step = record.step
    name = "已结束" if step == END else ENFORCEMENT.step(step).name
    actions = [] if step == END else [t.decision for t in ENFORCEMENT.step(step).transitions]
    decision = record.decision
    s = surcharge_of(decision, clock.today())
    w = window_of(decision, record.case)
    return {
        "id": record.pk,
        "case_id": record.case_id,
        "party": decision.party.name,
        "party_index": decision.party.index,
        "decision_no": decision.number,
        "obligation": record.obligation,
        "obligation_name": rules.OBLIGATIONS.get(rules.Obligation(record.obligation), "")
        if record.obligation
        else "",
        "step": step,
        "step_name": name,
        "outcome": record.outcome,
        "outcome_name": OUTCOMES.get(record.outcome, ""),
        "actions": actions,
        "notice_term_ends": record.notice_term_ends,
        "notice_served_on": record.notice_served_on,
        "route": record.route,
        "suspended_on": record.suspended_on,
        "completed_on": record.completed_on,
        "ended_on": record.ended_on,
        "surcharge": s.amount if s else Decimal("0"),
        "surcharge_days": s.days if s else 0,
        "window_opens": w.opens if w else None,
        "window_closes": w.closes if w else None,
    }


def case_enforcements(case: Case) -> list[dict[str, Any]]:
    records = (
        EnforcementRecord.objects.filter(case=case)
        .select_related("case", "decision__party")
        .order_by("id")
    )
    return [record_row(r) for r in records]


# --- 待办 ---------------------------------------------------------------------------------------


def unpaid_overdue(user: User) -> QuerySet[Decision]:
    """Penalty decisions of the user's cases (as 承办人) whose payment limit has passed with
    nothing executed and no enforcement of the money open (行政强制法第三十四条、第三十五条). An
    approved 延期/分期 holds a decision back until its end, or until the day after an
    instalment's due date passed unpaid (行政处罚法第六十六条)."""
    if user.unit_id is None or not user.has_role(Role.HANDLER):
        return Decision.objects.none()
    today = clock.today()
    # The fine's own enforcement: a demolition 催告 on the decision leaves the fine waiting.
    open_record = EnforcementRecord.objects.filter(
        decision=OuterRef("pk"), obligation=rules.Obligation.MONEY
    ).filter(
        ~Q(step=END) | Q(outcome__in=["enforced", "substituted", "court_enforced", "performed"])
    )
    qs = Decision.objects.filter(
        case__unit_id=user.unit_id,
        case__handler_id=user.pk,
        case__imported=False,
        outcome=DecisionOutcome.PENALTY,
        payment_due__lt=today,
        executed_on__isnull=True,
    ).exclude(Exists(open_record))
    held = held_by_deferral(qs.values("pk"), today)
    return qs.exclude(pk__in=held).select_related("case", "party").order_by("payment_due", "id")


def waiting_for(user: User, role: Role) -> QuerySet[EnforcementRecord]:
    """The records at a step for `role`: the case's 承办人 at the officers' steps; any other
    holder of the role of the unit (never the case's officers) at reviews and approvals."""
    if user.unit_id is None or not user.has_role(role):
        return EnforcementRecord.objects.none()
    steps = [s for s in ENFORCEMENT.steps if role in s.roles and s.code != "en_done"]
    if not steps:
        return EnforcementRecord.objects.none()
    qs = EnforcementRecord.objects.filter(
        case__unit_id=user.unit_id, step__in=[s.code for s in steps]
    )
    if role == Role.HANDLER:
        qs = qs.filter(case__handler_id=user.pk)
    else:
        qs = qs.exclude(case__handler_id=user.pk).exclude(case__co_handler_id=user.pk)
    return qs.select_related("case", "decision__party").order_by("id")


_TERMS: dict[str, tuple[str, Columns, Columns]] = {}


def _terms_statement() -> tuple[str, Columns, Columns]:
    """payment_terms' one statement for the default connection, built once: each decision of the
    case with its party's index, its reviews, and its latest approved 延期/分期."""
    from django.db import connection

    found = _TERMS.get(connection.vendor)
    if found is not None:
        return found
    qn = connection.ops.quote_name
    review = Columns(Review, "r", only=("filed_on", "decided_on"))
    deferral = Columns(Deferral, "f", only=("approved_on", "schedule"))
    table = qn(Deferral._meta.db_table)
    sql = (
        f"SELECT d.id, p.{qn('index')}, {review.sql}, {deferral.sql} "
        f"FROM {qn(Decision._meta.db_table)} d "
        f"JOIN {qn(Party._meta.db_table)} p ON p.id = d.party_id "
        f"LEFT JOIN {qn(Review._meta.db_table)} r ON r.decision_id = d.id "
        f"LEFT JOIN {table} f ON f.id = (SELECT g.id FROM {table} g "
        "WHERE g.decision_id = d.id ORDER BY g.approved_on DESC, g.id DESC LIMIT 1) "
        "WHERE d.case_id = %s ORDER BY d.id, r.id"
    )
    built = (sql, review, deferral)
    _TERMS[connection.vendor] = built
    return built


def payment_terms(case: Case) -> dict[int, dict[str, Any]]:
    """What step 17 (执行) reads to charge the surcharge of each party's decision, by party index:
    the 复议/诉讼 recorded on it (their days are not charged, 行政处罚法第七十三条第三款) and its
    approved 延期/分期 (第六十六条; the latest approval, as deferral_of takes it), as plain values
    for procedure.guards.surcharge_owed. One statement built once, whatever the decisions."""
    from django.db import connection

    sql, review, deferral = _terms_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [case.pk])
        rows = cursor.fetchall()
    out: dict[int, dict[str, Any]] = {}
    seen: set[int] = set()
    at = 2 + len(review)
    for row in rows:
        decision_id, index = int(row[0]), int(row[1])
        if decision_id not in seen:
            seen.add(decision_id)
            plan = None
            if row[at] is not None:
                plan = dict(zip(deferral.names, deferral.values(row, at), strict=True))
            out[index] = {
                "pauses": [],
                "schedule": [
                    (i.due, i.amount, i.paid_on)
                    for i in schedule_rows(plan["schedule"] if plan else None)
                ],
                "approved_on": plan["approved_on"] if plan else None,
                "moves_due": bool(settings.ENFORCEMENT_DEFERRAL_MOVES_DUE),
            }
        if row[2] is not None:
            r = dict(zip(review.names, review.values(row, 2), strict=True))
            out[index]["pauses"].append((r["filed_on"], r["decided_on"]))
    return out


def enforcement_todo(user: User, role: Role) -> list[TodoItem]:
    """The 待办's 强制执行 items: for the 承办人, decisions whose payment limit passed unpaid
    (the limit shown is the one that passed); for each role, the records at a step it takes."""
    items: list[TodoItem] = []
    if role == Role.HANDLER:
        for d in unpaid_overdue(user)[:TODO_CAP]:
            items.append(
                TodoItem(
                    kind="enforcement",
                    subject=f"{d.party.name} · {d.number}",
                    asked="逾期未缴纳罚款：催告或申请强制执行",
                    url=reverse("enforcement", args=[d.case_id]),
                    due=d.payment_due,
                    since=d.payment_due,
                )
            )
    for r in waiting_for(user, role)[:TODO_CAP]:
        items.append(
            TodoItem(
                kind="enforcement",
                subject=f"{r.decision.party.name} · {r.decision.number}",
                asked=ENFORCEMENT.step(r.step).name,
                url=reverse("enforcement", args=[r.case_id]),
                due=r.notice_term_ends,
                since=r.opened_on,
            )
        )
    return items
