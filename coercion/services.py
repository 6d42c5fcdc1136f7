"""Writes on 行政强制措施: one function per action, one transaction, a ledger entry on the case.

Every action runs through the one procedure engine with the COERCION step table
(procedure/coercion.py). Limits: the period (行政强制法第二十五条 / 第三十二条) starts when the
measure is carried out, the extension replaces it, 解除 or 处理 stops it; an emergency measure's
24-hour report (第十九条) is kept to the minute on the measure (`report_due_at`, which the engine
checks), as a Deadline row (counted in days: due on the day the 24 hours end) and as a Timer that
marks that row overdue at the minute the 24 hours run out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case as DbCase
from django.db.models import Value, When
from django.utils import timezone

from cases import counts, runner
from cases.models import Case
from cases.notify import record_notify
from cases.runner import Ask, Result, Table, step_entry
from cases.steppath import case_decisions
from coercion.models import CoerciveMeasure, Enforcement
from deadlines.models import Deadline, Timer
from deadlines.services import (
    deadline_start,
    register_timer_handler,
    timer_cancel,
    timer_start,
    working_calendar,
)
from law import coercion as rules
from law.limits import EMERGENCY_MEASURE_REPORT, due_datetime
from law.penalties import PAYABLE_TYPES
from ledger.services import SYSTEM_ACTOR, ledger_append
from orgs.models import User
from orgs.selectors import certified_on
from procedure.coercion import COERCION
from procedure.engine import END, CaseFacts, Outcome, Refused
from procedure.vocab import DecisionOutcome, ExecutionKind
from zhifa import clock

ITEM_KEYS = ("name", "quantity", "description")
REPORT_TIMER = "emergency_measure_report"
ACCOUNT_KEYS = ("bank", "account", "amount")


def _clean_items(kind: str, items: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    keys = ACCOUNT_KEYS if kind == rules.MeasureType.FREEZE else ITEM_KEYS
    out = []
    for row in items:
        cleaned = {k: str(row.get(k) if row.get(k) is not None else "").strip() for k in keys}
        if any(cleaned.values()):
            out.append(cleaned)
    return out


def _read(measure: CoerciveMeasure, ask: Ask) -> CaseFacts:
    """The measure's facts: the case's unit and days, the certified among the actor and the
    officers named (of the case's unit), where the measure stands in its periods."""
    assert ask.actor is not None
    case, actor = measure.case, ask.actor
    officers = []
    for o in ask.data.get("officers") or []:
        try:
            officers.append(int(o))
        except (TypeError, ValueError):
            continue
    return CaseFacts(
        procedure=COERCION.code,
        step=measure.step,
        unit_id=case.unit_id,
        handler_id=measure.proposed_by_id or actor.pk,
        co_handler_id=None,
        certified=certified_on([actor.pk, *officers], clock.today(), unit_id=case.unit_id),
        qualified_reviewers=frozenset(),
        evidence_count=0,
        matter=None,
        parties=(),
        complex=False,
        today=clock.today(),
        act_on=None,
        discovered_on=case.discovered_on,
        filed_on=case.filed_on,
        decision_due=None,
        response_window_end=None,
        extra={
            "type": measure.type,
            "now": clock.now(),
            "approved": measure.approved_at is not None,
            "report_due_at": measure.report_due_at,
            "due_on": measure.due_on,
            "extended": measure.extended_until is not None,
        },
    )


def _store(measure: CoerciveMeasure, outcome: Outcome) -> None:
    """Move the measure to the outcome's next step."""
    if outcome.case_outcome:
        measure.outcome = outcome.case_outcome
    measure.step = outcome.next_step
    measure.save()


def _entry(
    measure: CoerciveMeasure, outcome: Outcome, data: Mapping[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    """The entry goes on the case's stream, naming the measure."""
    return {"measure": measure.pk, "type": measure.type, **step_entry(outcome, data, result)}


TABLE = Table[CoerciveMeasure](
    procedure=COERCION,
    read=_read,
    stream=lambda measure: measure.case.stream,
    entry=_entry,
    store=_store,
    notify=record_notify(
        COERCION,
        "行政强制措施",
        lambda measure: measure.case,
        lambda measure: f"{measure.case.stream}/measure:{measure.pk}",
        section="measures",
    ),
)


def _run(
    lock: Callable[[], CoerciveMeasure],
    actor: User,
    decision: str,
    data: Mapping[str, Any] | Callable[[CoerciveMeasure], Mapping[str, Any]],
    apply: Callable[[CoerciveMeasure, Outcome], Result] | None = None,
    then: Callable[[CoerciveMeasure, Outcome], None] | None = None,
) -> CoerciveMeasure:
    measure, _ = runner.run(
        TABLE,
        lock,
        actor=actor,
        decision=decision,
        data=data,
        step=lambda measure: measure.step,
        apply=apply,
        then=then,
    )
    return measure


def _stop(deadline_id: int | None, on: dt.date) -> None:
    """Stop one limit: met when on time, kept overdue when late (as deadline_stop does)."""
    if deadline_id is None:
        return
    Deadline.objects.filter(pk=deadline_id, stopped_on__isnull=True).update(
        stopped_on=on,
        status=DbCase(
            When(status=Deadline.Status.OVERDUE, then=Value(Deadline.Status.OVERDUE)),
            default=Value(Deadline.Status.MET),
        ),
    )


def _case(case_id: int, *, new: bool = False) -> Case:
    try:
        case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case_id)
    except Case.DoesNotExist:
        raise Refused(["案件不存在"]) from None
    if case.imported:
        raise Refused(["导入的历史案件的行政强制措施以数据交换导入为准，不能在此办理"])
    if new and case.status == Case.Status.CLOSED:
        raise Refused(["案件已结案，不能再采取行政强制措施"])
    return case


def _measure(case_id: int, measure_id: int, step: str | Sequence[str]) -> CoerciveMeasure:
    """The measure at one of these steps, locked with its case (locked first)."""
    case = _case(case_id)
    try:
        measure = CoerciveMeasure.objects.select_for_update().get(pk=measure_id, case=case)
    except CoerciveMeasure.DoesNotExist:
        raise Refused(["行政强制措施不存在"]) from None
    steps = (step,) if isinstance(step, str) else tuple(step)
    if measure.step not in steps:
        if measure.step == END:
            current = "已结束"
        elif not measure.step:
            current = "导入记录"
        else:
            current = f"“{COERCION.step(measure.step).name}”"
        want = "或".join(f"“{COERCION.step(s).name}”" for s in steps)
        raise Refused([f"该措施当前环节为{current}，不是{want}，可能已被他人办理，请刷新"])
    measure.case = case
    return measure


def _subject(measure: CoerciveMeasure) -> str:
    return f"measure:{measure.pk}"


def _report_overdue(timer: Timer) -> None:
    """The worker's handler when an emergency measure's 24 hours run out unapproved (第十九条):
    its report limit is overdue to the minute (the day-level worker would only see it the next
    day), on the case's record. The officers must lift it; the platform does not do it for them."""
    measure_id = int(timer.subject.split(":")[1])
    measure = CoerciveMeasure.objects.select_for_update().select_related("case").get(pk=measure_id)
    if measure.step != "cm_report" or measure.report_deadline_id is None:
        return  # approved or rejected in the meantime
    won = (
        Deadline.objects.filter(pk=measure.report_deadline_id, stopped_on__isnull=True)
        .exclude(status=Deadline.Status.OVERDUE)
        .update(status=Deadline.Status.OVERDUE, overdue_at=clock.now())
    )
    if not won:
        return
    ledger_append(
        stream=measure.case.stream,
        action="deadline_overdue",
        payload={
            "deadline": EMERGENCY_MEASURE_REPORT.code,
            "name": EMERGENCY_MEASURE_REPORT.name,
            "citation": EMERGENCY_MEASURE_REPORT.citation,
            "due_at": measure.report_due_at,
            "measure": measure.pk,
            "timer": timer.pk,
        },
        actor_id=None,
        actor_name=SYSTEM_ACTOR,
        role="system",
    )


register_timer_handler(REPORT_TIMER, _report_overdue)


def _start_period(case: Case, measure: CoerciveMeasure, today: dt.date) -> None:
    limit = rules.period_limit(rules.MeasureType(measure.type))
    deadline = deadline_start(case=case, code=limit.code, starts_on=today)
    measure.deadline = deadline
    measure.due_on = deadline.due_on


def _on_site(data: Mapping[str, Any]) -> dict[str, Any]:
    flags = (
        "certificate_shown",
        "party_present",
        "party_notified",
        "told",
        "statements_heard",
        "record_made",
        "party_signed",
        "decision_delivered",
    )
    out: dict[str, Any] = {f: bool(data.get(f)) for f in flags}
    out["witness"] = str(data.get("witness") or "").strip()
    out["refusal_note"] = str(data.get("refusal_note") or "").strip()
    return out


def _officers(raw: Iterable[Any]) -> list[int]:
    out: list[int] = []
    for o in raw:
        try:
            n = int(o)
        except (TypeError, ValueError):
            continue
        if n not in out:
            out.append(n)
    return out


# --- the actions --------------------------------------------------------------------------------


def _new_measure(case: Case, actor: User, kind: str, **fields: Any) -> CoerciveMeasure:
    if kind not in rules.MeasureType.__members__.values():
        raise Refused([f"措施种类“{kind}”无效，应为查封、扣押或冻结"])
    empty: dict[str, Any] = {
        "items": [],
        "officers": [],
        "on_site": {},
        "appraisals": [],
        "extension": {},
        "end_detail": {},
    }
    return CoerciveMeasure(
        case=case,
        type=kind,
        step=COERCION.first,
        proposed_by=actor,
        proposed_at=clock.now(),
        **{**empty, **fields},
    )


def measure_propose(
    *,
    case_id: int,
    actor: User,
    type: str,
    items: Sequence[Mapping[str, Any]],
    reason: str,
    basis: str,
) -> CoerciveMeasure:
    """申请: the handler asks the agency head to approve a measure (行政强制法第十八条第一项)."""
    fields = {"items": _clean_items(type, items), "reason": reason.strip(), "basis": basis.strip()}

    def new() -> CoerciveMeasure:
        return _new_measure(_case(case_id, new=True), actor, type, **fields)

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> None:
        measure.save()

    return _run(new, actor, "submit", fields, apply)


def measure_emergency(
    *,
    case_id: int,
    actor: User,
    type: str,
    items: Sequence[Mapping[str, Any]],
    reason: str,
    basis: str,
    emergency_reason: str,
    officers: Sequence[Any],
    on_site: Mapping[str, Any],
) -> CoerciveMeasure:
    """当场实施 in an emergency (第十九条): in force at once; report and approval due in 24 h."""
    now = clock.now()
    today = clock.today()
    fields = {
        "items": _clean_items(type, items),
        "reason": reason.strip(),
        "basis": basis.strip(),
        "emergency_reason": emergency_reason.strip(),
        "officers": _officers(officers),
    }
    duties = _on_site(on_site)

    def new() -> CoerciveMeasure:
        case = _case(case_id, new=True)
        return _new_measure(case, actor, type, emergency=True, on_site=duties, **fields)

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> Result:
        measure.on = today
        measure.carried_out_at = now
        counts.count(measure.case.unit_id, today, counts.MEASURE, measure.type)
        measure.report_due_at = due_datetime(EMERGENCY_MEASURE_REPORT, now, working_calendar())
        measure.save()
        _start_period(measure.case, measure, today)
        # Deadline rows are counted in days: the row falls due on the local day the 24 hours
        # end; the minute is on the measure and checked by the engine.
        report_day = timezone.localdate(measure.report_due_at)
        measure.report_deadline = Deadline.objects.create(
            case=measure.case,
            code=EMERGENCY_MEASURE_REPORT.code,
            name=EMERGENCY_MEASURE_REPORT.name,
            citation=EMERGENCY_MEASURE_REPORT.citation,
            starts_on=today,
            due_on=report_day,
            warn_on=today,
        )
        return {"on": today, "report_due_at": measure.report_due_at, "due_on": measure.due_on}

    def then(measure: CoerciveMeasure, outcome: Outcome) -> None:
        assert measure.report_due_at is not None
        timer_start(kind=REPORT_TIMER, subject=_subject(measure), due_at=measure.report_due_at)

    return _run(new, actor, "emergency", {**fields, **duties}, apply, then)


def measure_decide(
    *,
    case_id: int,
    measure_id: int,
    actor: User,
    decision: str,
    opinion: str = "",
    reason: str = "",
    notice_in_writing: bool = False,
) -> CoerciveMeasure:
    """The agency head's decision on whatever waits for it: the approval before the measure
    (第十八条第一项), the approval after an emergency measure (第十九条) or an extension
    (第二十五条)."""
    today = clock.today()

    def data(measure: CoerciveMeasure) -> dict[str, Any]:
        out: dict[str, Any] = {"opinion": opinion.strip(), "reason": reason.strip()}
        asked: dict[str, Any] = measure.extension or {}
        if measure.step == "cm_extend":
            out.update(
                days=asked.get("days"),
                reason=reason.strip() if decision == "reject" else asked.get("reason", ""),
                opinion=opinion.strip(),
                notice_in_writing=bool(notice_in_writing),
            )
        return out

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> Result:
        step = outcome.step.code
        given = data(measure)
        asked: dict[str, Any] = measure.extension or {}
        result: dict[str, Any] = {}
        if step in ("cm_approve", "cm_report") and decision == "approve":
            measure.approved_by = actor
            measure.approved_at = clock.now()
            measure.approval_opinion = given["opinion"]
            if step == "cm_report":
                _stop(measure.report_deadline_id, today)
                timer_cancel(kind=REPORT_TIMER, subject=_subject(measure))
        elif step == "cm_approve":
            measure.approved_by = actor
            measure.approval_opinion = given["reason"]
            measure.ended_on = today
            measure.end_reason = given["reason"]
        elif step == "cm_report":
            # 第十九条: not approved → lifted at once.
            measure.approval_opinion = given["reason"]
            measure.lifted_on = measure.ended_on = today
            measure.end_reason = given["reason"]
            _stop(measure.report_deadline_id, today)
            _stop(measure.deadline_id, today)
            timer_cancel(kind=REPORT_TIMER, subject=_subject(measure))
            result["lifted_on"] = today
        elif decision == "approve":  # cm_extend
            kind = rules.MeasureType(measure.type)
            limit = rules.extension_limit(kind)
            assert measure.due_on is not None
            new_due = measure.due_on + dt.timedelta(days=int(asked["days"]))
            _stop(measure.deadline_id, today)
            deadline = Deadline.objects.create(
                case=measure.case,
                code=limit.code,
                name=limit.name,
                citation=limit.citation,
                starts_on=measure.due_on,
                due_on=new_due,
                warn_on=max(today, new_due - dt.timedelta(days=settings.DEADLINE_WARN_DAYS)),
            )
            measure.deadline = deadline
            measure.extension = {
                **asked,
                "approved_by": actor.pk,
                "approved_on": today.isoformat(),
                "opinion": given["opinion"],
                "notice_in_writing": True,
            }
            measure.extended_until = measure.due_on = new_due
            result["extended_until"] = new_due
        else:  # cm_extend rejected: the measure stays in force within its period
            measure.extension = {}
        return result

    steps = ("cm_approve", "cm_report", "cm_extend")
    return _run(lambda: _measure(case_id, measure_id, steps), actor, decision, data, apply)


def measure_carry_out(
    *,
    case_id: int,
    measure_id: int,
    actor: User,
    officers: Sequence[Any],
    on_site: Mapping[str, Any],
) -> CoerciveMeasure:
    """实施 after approval by two certified officers with the duties of 第十八条 and 第二十四条."""
    today = clock.today()
    named, duties = _officers(officers), _on_site(on_site)

    def lock() -> CoerciveMeasure:
        measure = _measure(case_id, measure_id, "cm_carry_out")
        measure.officers, measure.on_site = named, duties
        return measure

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> Result:
        measure.on = today
        measure.carried_out_at = clock.now()
        counts.count(measure.case.unit_id, today, counts.MEASURE, measure.type)
        _start_period(measure.case, measure, today)
        return {"on": today, "due_on": measure.due_on}

    return _run(lock, actor, "carry_out", {"officers": named, **duties}, apply)


def measure_withdraw(*, case_id: int, measure_id: int, actor: User, reason: str) -> CoerciveMeasure:
    """Approved but no longer to be carried out."""
    data = {"reason": reason.strip()}

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> None:
        measure.ended_on = clock.today()
        measure.end_reason = data["reason"]

    return _run(
        lambda: _measure(case_id, measure_id, "cm_carry_out"), actor, "withdraw", data, apply
    )


def measure_extend(
    *, case_id: int, measure_id: int, actor: User, days: int, reason: str
) -> CoerciveMeasure:
    """Ask the head to extend the period once, by at most thirty days (第二十五条、第三十二条)."""
    data = {"days": days, "reason": reason.strip()}

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> None:
        measure.extension = {
            "days": int(days),
            "reason": data["reason"],
            "by": actor.pk,
            "on": clock.today().isoformat(),
        }

    return _run(lambda: _measure(case_id, measure_id, "cm_in_force"), actor, "extend", data, apply)


def _move_due(measure: CoerciveMeasure, days: int) -> None:
    """Move the period's due day (and its running Deadline row) by `days`."""
    if not days or measure.due_on is None:
        return
    measure.due_on = measure.due_on + dt.timedelta(days=days)
    if measure.extended_until is not None:
        measure.extended_until = measure.due_on
    if measure.deadline_id is not None:
        warn = measure.due_on - dt.timedelta(days=settings.DEADLINE_WARN_DAYS)
        Deadline.objects.filter(pk=measure.deadline_id, stopped_on__isnull=True).update(
            due_on=measure.due_on,
            warn_on=max(clock.today(), warn),
            status=Deadline.Status.RUNNING,
            warned_at=None,
        )


def measure_appraise(
    *,
    case_id: int,
    measure_id: int,
    actor: User,
    kind: str,
    until: dt.date,
    notice_in_writing: bool,
) -> CoerciveMeasure:
    """Seized items sent for 检测、检验、检疫或者技术鉴定 (第二十五条第三款): the stated period,
    told to the party in writing, is not counted; the due day moves by it now and is settled
    when the result comes back."""
    today = clock.today()
    data = {"kind": kind, "until": until, "notice_in_writing": bool(notice_in_writing)}

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> Result:
        provisional = (until - today).days
        measure.appraisals = [
            *(measure.appraisals or []),
            {
                "kind": kind,
                "started_on": today.isoformat(),
                "until": until.isoformat(),
                "provisional_days": provisional,
            },
        ]
        _move_due(measure, provisional)
        return {"due_on": measure.due_on}

    return _run(
        lambda: _measure(case_id, measure_id, "cm_in_force"), actor, "appraise", data, apply
    )


def _settle_appraisal(measure: CoerciveMeasure, today: dt.date, result: str) -> int:
    """Close the running appraisal: the days not counted are those it actually took."""
    appraisals: list[dict[str, Any]] = measure.appraisals or []
    if not appraisals or appraisals[-1].get("ended_on"):
        return 0
    last = dict(appraisals[-1])
    days = (today - dt.date.fromisoformat(last["started_on"])).days
    _move_due(measure, days - int(last["provisional_days"]))
    last.update(ended_on=today.isoformat(), days=days, result=result)
    measure.appraisals = [*appraisals[:-1], last]
    return days


def measure_appraised(
    *, case_id: int, measure_id: int, actor: User, result: str
) -> CoerciveMeasure:
    """The 检测、检验、检疫或者技术鉴定 is done: the measure runs again for its remaining days."""
    data = {"result": result.strip()}

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> Result:
        days = _settle_appraisal(measure, clock.today(), data["result"])
        return {"days_not_counted": days, "due_on": measure.due_on}

    return _run(
        lambda: _measure(case_id, measure_id, "cm_appraisal"), actor, "appraised", data, apply
    )


def measure_lift(
    *, case_id: int, measure_id: int, actor: User, ground: str, reason: str
) -> CoerciveMeasure:
    """解除 (第二十八条 查封、扣押; 第三十三条 冻结), also while items are being examined."""
    today = clock.today()
    data = {"ground": ground, "reason": reason.strip()}

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> Result:
        _settle_appraisal(measure, today, "")
        measure.lifted_on = measure.ended_on = today
        measure.end_reason = data["reason"]
        measure.end_detail = {"ground": ground}
        _stop(measure.deadline_id, today)
        _stop(measure.report_deadline_id, today)
        return {"lifted_on": today}

    return _run(
        lambda: _measure(case_id, measure_id, ("cm_in_force", "cm_appraisal")),
        actor,
        "lift",
        data,
        apply,
    )


def measure_handle(
    *,
    case_id: int,
    measure_id: int,
    actor: User,
    disposal: str,
    decision_no: str,
    reason: str = "",
) -> CoerciveMeasure:
    """处理 with the case within the period (第二十七条): 没收、销毁 or handed over."""
    today = clock.today()
    data = {"disposal": disposal, "decision_no": decision_no.strip(), "reason": reason.strip()}

    def apply(measure: CoerciveMeasure, outcome: Outcome) -> Result:
        measure.ended_on = today
        measure.end_reason = data["reason"]
        measure.end_detail = {"disposal": disposal, "decision_no": data["decision_no"]}
        _stop(measure.deadline_id, today)
        _stop(measure.report_deadline_id, today)
        return {"ended_on": today}

    return _run(lambda: _measure(case_id, measure_id, "cm_in_force"), actor, "handle", data, apply)


# --- what coercion adds to the general procedure (registered in CoercionConfig.ready) ---------


def _enforcement(case: Case, etype: str, on: dt.date, decision: Any = None) -> None:
    """An enforcement row, counted in the statistics summary in the same transaction."""
    Enforcement.objects.create(case=case, type=etype, on=on, decision=decision)
    counts.count(case.unit_id, on, counts.ENFORCEMENT, etype)


def execution_enforcements_record(
    case: Case, actor: User, data: Mapping[str, Any], outcome: Outcome
) -> None:
    """After 执行 (step 17): a surcharge paid, a court application or another coercive execution
    is an enforcement the statistics count (行政强制法第十二条、第四十五条、第五十三条). Runs in the
    step's transaction, after the core has stored each decision's execution. A decision whose
    enforcement was carried out on the platform (its row names the decision) is counted once,
    there, not again here."""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT decision_id FROM {connection.ops.quote_name(Enforcement._meta.db_table)} "
            "WHERE case_id = %s AND decision_id IS NOT NULL",
            [case.pk],
        )
        enforced = {int(d) for (d,) in cur.fetchall()}
    for decision, items in case_decisions(case.pk):
        if decision.outcome != DecisionOutcome.PENALTY or decision.pk in enforced:
            continue
        e, on = decision.execution or {}, decision.executed_on
        if on is None:
            continue
        kind = e.get("kind")
        if kind == ExecutionKind.PAID:
            owed = sum(
                (i.amount for i in items if i.type in PAYABLE_TYPES and i.amount),
                Decimal("0"),
            )
            if Decimal(str(e.get("amount", "0"))) > owed:
                _enforcement(case, Enforcement.Type.SURCHARGE, on, decision)
        elif kind == ExecutionKind.COURT:
            _enforcement(case, Enforcement.Type.COURT, on, decision)
        elif kind == ExecutionKind.COERCION:
            etype = str(e.get("enforcement_type") or Enforcement.Type.OTHER)
            if etype not in Enforcement.Type.values or etype == Enforcement.Type.COURT:
                raise Refused([f"强制执行方式“{etype}”无效（《行政强制法》第十二条）"])
            _enforcement(case, etype, on, decision)
