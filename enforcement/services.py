"""Writes on 强制执行: each action one transaction through the shared runner with the ENFORCEMENT
step table (procedure/enforcement.py), a ledger entry on the case's stream, and its limits as
Deadline rows: the 催告's term, the court window with its alarm (行政强制法第五十三条), the
代履行 催告 (第五十一条), the three years of a 中止 (第三十九条). A completed enforcement writes
the coercion `Enforcement` row the 行政强制 statistics form counts (cases/counts.py ENFORCEMENT).

Input arrives as the API and the page send it (ISO dates, decimal strings); `_clean` turns it into
dates, datetimes and instalments, refusing by field what it cannot read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case as DbCase
from django.db.models import Value, When
from django.urls import reverse

from cases import counts, runner
from cases.models import Case, Decision
from cases.notify import record_notify
from cases.runner import Ask, FieldsRefused, Result, Table, step_entry
from coercion.models import Enforcement
from deadlines.models import Deadline
from deadlines.services import working_calendar
from enforcement import selectors
from enforcement.models import Deferral, EnforcementRecord
from law import enforcement as rules
from law.calendar import SHANGHAI
from law.limits import COURT_APPLICATION, PAYMENT, SUBSTITUTE_NOTICE, due_date
from ledger.services import ledger_append
from orgs.models import User
from orgs.selectors import certified_on
from procedure.enforcement import ENFORCEMENT, SELF_TYPES
from procedure.engine import END, CaseFacts, Outcome, Refused
from procedure.roles import Role
from procedure.vocab import DecisionOutcome, EnforcementType
from zhifa import clock

DATE_KEYS = ("term_ends", "served_on", "on", "planned_on")
MONEY_KEYS = ("amount", "budget", "cost", "waived")
TEXT_KEYS = (
    "manner",
    "act",
    "obligation",
    "statement",
    "opinion",
    "reason",
    "type",
    "urgent_reason",
    "object",
    "place",
    "performer",
    "court",
    "ground",
    "cause",
    "remedy",
)
FLAG_KEYS = (
    "rights_told",
    "no_statement",
    "remedies_told",
    "officer_present",
    "signed",
    "materials_complete",
    "remedied",
    "party_absent",
)
MAX_MONEY = Decimal("1e12")
NOTICE_TERM = "enforcement_notice_term"
REOPENABLE = selectors.REOPENABLE
SUSPENSION = "enforcement_suspension"
COMPLETED = {
    "enforced": None,  # the type the decision named
    "substituted": EnforcementType.SUBSTITUTE,
    "court_enforced": EnforcementType.COURT,
}


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """The action's input, typed; FieldsRefused (nothing written) for what cannot be read."""
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        try:
            if key in DATE_KEYS:
                out[key] = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
                if not dt.date(2000, 1, 1) <= out[key] <= dt.date(2100, 12, 31):
                    raise ValueError
            elif key == "carried_out_at":
                at = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
                out[key] = at if at.tzinfo else at.replace(tzinfo=SHANGHAI)
                if not 2000 <= out[key].year <= 2100:
                    raise ValueError
            elif key in MONEY_KEYS:
                amount = Decimal(str(value))
                if not amount.is_finite() or abs(amount) > MAX_MONEY:
                    raise ValueError
                out[key] = str(amount)
            elif key == "stages" or key == "schedule":
                out[key] = [
                    rules.Instalment(
                        dt.date.fromisoformat(str(row["due"])), Decimal(str(row["amount"]))
                    )
                    for row in value
                ]
                if any(abs(i.amount) > MAX_MONEY or not i.amount.is_finite() for i in out[key]):
                    raise ValueError
            elif key in ("officers", "methods"):
                out[key] = [int(v) if key == "officers" else str(v) for v in value]
            elif key in FLAG_KEYS:
                out[key] = bool(value)
            elif key in TEXT_KEYS:
                text = str(value)
                if "\x00" in text or len(text) > 2000:
                    raise ValueError
                out[key] = text.strip()
        except (ValueError, TypeError, KeyError, InvalidOperation, OverflowError):
            errors.setdefault(key, []).append(f"“{key}”的值无法识别，请检查格式")
    if errors:
        raise FieldsRefused(errors)
    return out


def _stored(data: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-ready input for the record and the ledger entry."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, list) and v and isinstance(v[0], rules.Instalment):
            out[k] = [{"due": i.due.isoformat(), "amount": str(i.amount)} for i in v]
        elif isinstance(v, dt.date | dt.datetime):
            out[k] = v.isoformat()
        else:
            out[k] = v
    return out


def _night(name: str) -> dt.time:
    return dt.time.fromisoformat(getattr(settings, name))


def _since(record: EnforcementRecord) -> dt.date | None:
    """The day of the act a service or ruling follows (not before it)."""
    detail = record.detail or {}
    key = {
        "en_notice_serve": ("notice", "issued_on"),
        "en_decide_serve": ("decision", "approved_on"),
        "en_sub_notice": ("substitute", "decided_on"),
        "en_court_accept": ("court", "signed_on"),
        "en_court_ruling": ("court", "accepted_on"),
    }.get(record.step)
    if key is None:
        return None
    raw = (record.notice if key[0] == "notice" else detail.get(key[0]) or {}).get(key[1])
    return dt.date.fromisoformat(raw) if raw else None


def _read(record: EnforcementRecord, ask: Ask) -> CaseFacts:
    case, decision = record.case, record.decision
    actor = ask.actor
    officers = [o for o in ask.data.get("officers") or [] if isinstance(o, int)]
    today = clock.today()
    s = selectors.surcharge_of(decision, today)
    fine = selectors.fine_of(decision)
    matter = case.matter
    return CaseFacts(
        procedure=ENFORCEMENT.code,
        step=record.step,
        unit_id=case.unit_id,
        handler_id=case.handler_id,
        co_handler_id=case.co_handler_id,
        certified=certified_on([actor.pk if actor else 0, *officers], today, unit_id=case.unit_id),
        qualified_reviewers=frozenset(),
        evidence_count=0,
        matter=None,
        parties=(),
        complex=False,
        today=today,
        act_on=None,
        discovered_on=case.discovered_on,
        filed_on=case.filed_on,
        decision_due=None,
        response_window_end=None,
        extra={
            "calendar": working_calendar(),
            "now": clock.now(),
            "night_from": _night("ENFORCEMENT_NIGHT_FROM"),
            "night_until": _night("ENFORCEMENT_NIGHT_UNTIL"),
            "power_scope": matter.power_scope if matter else "",
            "power_article": matter.enforcement_power_basis if matter else "",
            "obligation": selectors.obligation_of(record),
            "holds": selectors.holds_of(decision),
            "notice_term_ends": record.notice_term_ends,
            "notice_served_on": record.notice_served_on,
            "window": selectors.window_of(decision, case),
            "review_pending": selectors.review_pending(decision),
            "resume_step": record.resume_step,
            "sub_served_on": record.sub_served_on,
            "immediate": record.immediate,
            "decided_on": _since(record),
            "owed": str(fine + (s.amount if s else 0)),
            "surcharge": str(s.amount if s else 0),
        },
    )


def _store(record: EnforcementRecord, outcome: Outcome) -> None:
    """Move the record on; an enforcement that ends cancels its limits still running, one
    completed stops them (met)."""
    if outcome.case_outcome:
        record.outcome = outcome.case_outcome
    record.step = outcome.next_step
    if outcome.next_step == END and outcome.transition.decision != "reverse":
        _stop(record, cancel=True)
    elif outcome.next_step == "en_done":
        _stop(record)
    record.save()


def _entry(
    record: EnforcementRecord, outcome: Outcome, data: Mapping[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    entry = step_entry(outcome, _stored(data), result)
    # The record and the step: every step's entry has the action "enforcement", and the
    # record's documents (documents.kinds.ENFORCEMENT_KINDS) render the entry of a given step.
    return {
        "enforcement": record.pk,
        "step": outcome.step.code,
        "party": record.decision.party.index,
        **entry,
    }


TABLE = Table[EnforcementRecord](
    procedure=ENFORCEMENT,
    read=_read,
    stream=lambda record: record.case.stream,
    entry=_entry,
    store=_store,
    action="enforcement",
    # A step waiting for the 业务科长 or the 分管局长 (陈述申辩复核, 强制执行决定, the court
    # application to sign, …) tells them, never the case's own officers (g.not_own_work), and
    # links to the section of the case's enforcements where the form is.
    notify=record_notify(
        ENFORCEMENT,
        "强制执行",
        lambda record: record.case,
        lambda record: f"{record.case.stream}/enforcement:{record.pk}",
        url_of=lambda record: reverse("enforcement", args=[record.case_id]),
        not_to=lambda record: (record.case.handler_id, record.case.co_handler_id),
    ),
)


# --- limits ------------------------------------------------------------------------------


def _deadline(
    record: EnforcementRecord,
    code: str,
    name: str,
    citation: str,
    starts_on: dt.date,
    due_on: dt.date,
    warn_days: int | None = None,
) -> None:
    warn = warn_days if warn_days is not None else settings.DEADLINE_WARN_DAYS
    row = Deadline.objects.create(
        case=record.case,
        party=record.decision.party,
        code=code,
        name=name,
        citation=citation,
        starts_on=starts_on,
        due_on=due_on,
        warn_on=max(starts_on, due_on - dt.timedelta(days=warn)),
    )
    record.detail = {**record.detail, "deadlines": {**_rows(record), code: row.pk}}


def _rows(record: EnforcementRecord) -> dict[str, int]:
    return dict((record.detail or {}).get("deadlines") or {})


def _stop(record: EnforcementRecord, *codes: str, cancel: bool = False) -> None:
    """Stop this record's rows: met when on time, kept overdue when late; `cancel`: ended."""
    rows = _rows(record)
    ids = [rows[c] for c in (codes or tuple(rows)) if c in rows]
    qs = Deadline.objects.filter(pk__in=ids, stopped_on__isnull=True)
    if cancel:
        qs.exclude(status=Deadline.Status.OVERDUE).update(
            stopped_on=clock.today(), status=Deadline.Status.CANCELLED
        )
        qs = Deadline.objects.filter(pk__in=ids, stopped_on__isnull=True)
    qs.update(
        stopped_on=clock.today(),
        status=DbCase(
            When(status=Deadline.Status.OVERDUE, then=Value(Deadline.Status.OVERDUE)),
            default=Value(Deadline.Status.MET),
        ),
    )


def _count(record: EnforcementRecord, etype: str, on: dt.date) -> None:
    """The statistics row of the 行政强制 form (行政强制法第十二条、第五十三条)."""
    row = Enforcement.objects.create(
        case=record.case, type=etype, on=on, decision_id=record.decision_id
    )
    counts.count(record.case.unit_id, on, counts.ENFORCEMENT, etype)
    record.counted = row


# --- the effects of each action -------------------------------------------------------------


def _effects(record: EnforcementRecord, outcome: Outcome, data: Mapping[str, Any]) -> Result:
    today = clock.today()
    step, decision = outcome.step.code, outcome.transition.decision
    stored = _stored(data)
    detail = dict(record.detail or {})
    result: dict[str, Any] = {}
    if decision == "performed":
        record.ended_on = today
        detail["performed"] = stored
        _stop(record, cancel=True)
    elif decision == "suspend":
        record.resume_step, record.suspended_on = record.step, today
        detail["suspension"] = {**stored, "on": today.isoformat()}
        record.detail = detail
        alarm = rules.suspension_alarm(today)
        _deadline(
            record, SUSPENSION, "中止执行满三年", "《行政强制法》第三十九条第二款", today, alarm, 90
        )
        result["alarm_on"] = alarm
        return result
    elif decision == "resume":
        record.resume_step, record.suspended_on = "", None
        detail["resumed"] = {**stored, "on": today.isoformat()}
        record.detail = detail
        _stop(record, SUSPENSION)
        return result
    elif decision == "end":
        record.ended_on = today
        detail["end"] = stored
        record.detail = detail
        _stop(record, cancel=True)
        return result
    elif step == "en_notice" and decision == "issue":
        record.notice = {**stored, "issued_on": today.isoformat()}
        record.notice_term_ends = data["term_ends"]
    elif step == "en_notice":  # immediate 代履行 (第五十二条)
        record.immediate, record.route = True, "substitute"
        detail["substitute"] = {**stored, "decided_on": today.isoformat()}
    elif step == "en_notice_serve":
        record.notice_served_on = data["served_on"]
        assert record.notice_term_ends is not None
        record.detail = detail
        _deadline(
            record,
            NOTICE_TERM,
            "催告履行期限",
            "《行政强制法》第三十五条",
            data["served_on"],
            record.notice_term_ends,
        )
        window = selectors.window_of(record.decision, record.case)
        if window is not None and selectors.court_bound(record):
            _deadline(
                record,
                COURT_APPLICATION.code,
                COURT_APPLICATION.name,
                COURT_APPLICATION.citation,
                window.litigation_ends,
                window.closes,
                settings.ENFORCEMENT_COURT_WARN_DAYS,
            )
            result["window_closes"] = window.closes
        return result
    elif step in ("en_statement", "en_review"):
        record.statement = {**record.statement, step: {**stored, "on": today.isoformat()}}
        if decision == "immediate":
            record.route = "agency"
            detail["immediate"] = stored
    elif step == "en_route":
        record.route = decision
        _stop(record, NOTICE_TERM)
        if decision == "agreement":
            detail["agreement"] = {**stored, "on": today.isoformat()}
    elif step == "en_decide":
        detail["decision"] = {**stored, "drafted_on": today.isoformat()}
    elif step == "en_decide_approve":
        detail["decision"] = {**detail.get("decision", {}), "head": stored}
        if decision == "approve":
            detail["decision"]["approved_on"] = today.isoformat()
        else:
            record.ended_on = today
    elif step == "en_decide_serve":
        detail["decision"] = {**detail.get("decision", {}), "served_on": stored["served_on"]}
    elif step == "en_carry_out":
        detail["carried"] = stored
        record.completed_on = data["carried_out_at"].astimezone(SHANGHAI).date()
        etype = str(detail.get("decision", {}).get("type") or EnforcementType.OTHER)
        # Counted on the day it was carried out (the form counts acts by their day), not the
        # day it was recorded.
        _count(record, etype if etype in SELF_TYPES else EnforcementType.OTHER, record.completed_on)
    elif step == "en_sub_decide":
        detail["substitute"] = {**stored, "decided_on": today.isoformat()}
        record.detail = detail
        latest = due_date(SUBSTITUTE_NOTICE, data["planned_on"], working_calendar())
        _deadline(
            record,
            SUBSTITUTE_NOTICE.code,
            SUBSTITUTE_NOTICE.name,
            SUBSTITUTE_NOTICE.citation,
            today,
            max(today, latest),
        )
        result["notice_by"] = latest
        return result
    elif step == "en_sub_notice":
        record.sub_served_on = data["served_on"]
        detail["substitute"] = {**detail.get("substitute", {}), "served_on": stored["served_on"]}
        record.detail = detail
        _stop(record, SUBSTITUTE_NOTICE.code)
        return result
    elif step == "en_sub_carry_out":
        detail["substitute"] = {**detail.get("substitute", {}), "carried": stored}
    elif step == "en_sub_cost":
        detail["substitute"] = {
            **detail.get("substitute", {}),
            "cost": stored["cost"],
            "cost_term_ends": stored.get("term_ends"),
        }
        record.completed_on = today
        _count(record, EnforcementType.SUBSTITUTE, today)
    elif step == "en_court_apply":
        detail["court"] = {**stored, "drafted_on": today.isoformat()}
    elif step == "en_court_sign":
        court = {**detail.get("court", {}), "head": stored}
        if decision == "sign":
            court["signed_on"] = today.isoformat()
            record.detail = {**detail, "court": court}
            _stop(record, COURT_APPLICATION.code)
            return result
        detail["court"] = court
    elif step == "en_court_accept":
        key = "accepted_on" if decision == "accepted" else "refused_on"
        detail["court"] = {**detail.get("court", {}), key: stored["on"]}
        if decision != "accepted":
            record.ended_on = today
    elif step == "en_court_ruling":
        detail["court"] = {**detail.get("court", {}), "ruling": decision, "ruled_on": stored["on"]}
        if decision == "granted":
            record.completed_on = data["on"]
            _count(record, EnforcementType.COURT, data["on"])
        else:
            record.ended_on = today
    elif step == "en_agreement":
        detail["agreement"] = {**detail.get("agreement", {}), decision: stored}
        if decision == "fulfilled":
            record.ended_on = today
            _stop(record, cancel=True)
    elif step == "en_done":
        detail["reversal"] = {**stored, "on": today.isoformat()}
        record.ended_on = today
    record.detail = {**detail, "deadlines": _rows(record)}
    return result


# --- the actions ---------------------------------------------------------------------------


def _lock_case(case_id: int, actor: User) -> Case:
    try:
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("unit", "matter")
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        raise Refused(["案件不存在"]) from None
    if case.imported:
        raise Refused(["导入的历史案件的强制执行以数据交换导入为准，不能在此办理"])
    if actor.unit_id != case.unit_id:
        raise Refused(["只能办理本单位案件的强制执行"])
    return case


def _run(
    lock: Callable[[], EnforcementRecord], actor: User, decision: str, data: Mapping[str, Any]
) -> EnforcementRecord:
    record, _ = runner.run(
        TABLE,
        lock,
        actor=actor,
        decision=decision,
        data=data,
        step=lambda r: r.step,
        apply=lambda r, outcome: _effects(r, outcome, data),
    )
    return record


def enforcement_open(
    *, case_id: int, actor: User, party: int, decision: str = "issue", data: Mapping[str, Any]
) -> EnforcementRecord:
    """Start the enforcement of an obligation of a party's decision: 催告 (行政强制法第三十五条)
    naming it (money or the act the decision orders), or an immediate 代履行 (第五十二条, an
    act). Only a penalty decision served and not performed within its term (第三十四条), with no
    enforcement of that obligation open or completed; its other obligation may run beside."""
    given = _clean(data)
    if decision not in ("issue", "immediate_substitute"):
        raise Refused([f"开始强制执行只能“制作催告书”或“立即代履行”，不能“{decision}”"])
    obligation = (
        rules.Obligation.PERFORMANCE.value
        if decision == "immediate_substitute"
        else str(given.get("obligation") or "")
    )

    def lock() -> EnforcementRecord:
        case = _lock_case(case_id, actor)
        found = (
            Decision.objects.select_related("party")
            .filter(case=case, party__index=party, outcome=DecisionOutcome.PENALTY)
            .first()
        )
        if found is None:
            raise FieldsRefused({"party": ["该当事人在本案中没有行政处罚决定"]})
        if found.delivered_on is None:
            raise Refused(["处罚决定书尚未送达，不能强制执行（《行政强制法》第三十四条）"])
        if found.executed_on is not None:
            raise Refused(["该处罚决定已执行完毕，无需强制执行"])
        deferral = selectors.deferral_of(found)
        held = selectors.held_by_deferral([found.pk], clock.today())
        if deferral is not None and found.pk in held:
            raise Refused(
                [
                    f"已批准延期（分期）缴纳罚款至{deferral.ends_on.isoformat()}，期满不履行或者"
                    "逾期未缴纳其中一期的方可催告（《行政处罚法》第六十六条第二款）"
                ]
            )
        if decision == "issue" and found.payment_due and clock.today() <= found.payment_due:
            raise Refused(
                [
                    f"当事人的履行期限至{found.payment_due.isoformat()}届满，期满不履行的方可催告"
                    "（《行政强制法》第三十四条、第三十五条）"
                ]
            )
        if obligation in selectors.open_obligations(found):
            label = rules.OBLIGATIONS[rules.Obligation(obligation)]
            raise Refused([f"该处罚决定的{label}已有强制执行记录在办理中或已执行完毕"])
        return EnforcementRecord(
            case=case,
            decision=found,
            obligation=obligation if obligation in rules.OBLIGATIONS else "",
            step=ENFORCEMENT.first,
            opened_by=actor,
            opened_on=clock.today(),
        )

    def apply(record: EnforcementRecord, outcome: Outcome) -> Result:
        record.save()
        return _effects(record, outcome, given)

    record, _ = runner.run(
        TABLE,
        lock,
        actor=actor,
        decision=decision,
        data=given,
        step=ENFORCEMENT.first,
        apply=apply,
    )
    return record


def enforcement_act(
    *, record_id: int, actor: User, decision: str, data: Mapping[str, Any]
) -> EnforcementRecord:
    """Any later action, at the step the record stands at."""
    given = _clean(data)

    def lock() -> EnforcementRecord:
        found = EnforcementRecord.objects.filter(pk=record_id).values_list("case_id", flat=True)
        case_id = found.first()
        if case_id is None:
            raise Refused(["强制执行记录不存在"])
        case = _lock_case(case_id, actor)
        record = (
            EnforcementRecord.objects.select_for_update()
            .select_related("decision__party")
            .get(pk=record_id)
        )
        record.case = case
        if record.step == END:
            raise Refused(["该强制执行已结束，不能再办理"])
        return record

    return _run(lock, actor, decision, given)


# --- 延期、分期缴纳罚款 (行政处罚法第六十六条第二款) ---------------------------------------------


def deferral_approve(
    *,
    case_id: int,
    actor: User,
    party: int,
    schedule: list[Mapping[str, Any]],
    reason: str,
) -> Deferral:
    """The agency head approves the party's application to pay later or in instalments (当事人
    确有经济困难): amounts adding up to the fine, each due after the decision's limit. The
    surcharge then runs from each instalment's due date; the court window from the last."""
    given = _clean({"schedule": schedule, "reason": reason})
    with transaction.atomic():
        case = _lock_case(case_id, actor)
        if not actor.has_role(Role.DEPUTY_DIRECTOR):
            raise Refused(["延期（分期）缴纳罚款须经分管局长（行政机关负责人）批准"])
        if actor.pk in (case.handler_id, case.co_handler_id):
            raise Refused(["承办人、协办人不能审批本人承办的案件"])
        found = (
            Decision.objects.select_related("party")
            .filter(case=case, party__index=party, outcome=DecisionOutcome.PENALTY)
            .first()
        )
        errors: dict[str, list[str]] = {}
        if found is None:
            errors["party"] = ["该当事人在本案中没有行政处罚决定"]
        elif found.executed_on is not None:
            errors["party"] = ["该处罚决定已执行完毕"]
        elif found.payment_due is None:
            errors["party"] = ["该处罚决定没有罚款缴纳期限"]
        if not given.get("reason"):
            errors["reason"] = ["请说明当事人确有经济困难的情况（《行政处罚法》第六十六条第二款）"]
        stages: list[rules.Instalment] = given.get("schedule") or []
        if found is not None and found.payment_due is not None:
            fine = selectors.fine_of(found)
            wrong = list(rules.schedule_errors(fine, found.payment_due, stages))
            if wrong:
                errors["schedule"] = wrong
        if errors:
            raise FieldsRefused(errors)
        assert found is not None
        today = clock.today()
        stored = _stored({"schedule": stages})["schedule"]
        deferral = Deferral.objects.create(
            case=case,
            decision=found,
            approved_by=actor,
            approved_on=today,
            reason=given["reason"],
            schedule=stored,
            ends_on=stages[-1].due,
        )
        moved = Deadline.objects.filter(
            case=case, party=found.party, code=PAYMENT.code, stopped_on__isnull=True
        ).update(due_on=stages[-1].due, warn_on=stages[-1].due, status=Deadline.Status.RUNNING)
        ledger_append(
            stream=case.stream,
            action="deferral_approve",
            payload={
                "deferral": deferral.pk,
                "party": party,
                "schedule": stored,
                "reason": given["reason"],
                "payment_limit_moved": bool(moved),
            },
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.DEPUTY_DIRECTOR.value,
        )
    return deferral


def _instalment_owed(deferral: Deferral, row: Mapping[str, Any], on: dt.date) -> Decimal:
    """What paying an instalment on `on` takes: its amount and the surcharge run on it since
    the day after its due date (行政处罚法第七十二条第一款第一项, at most the amount)."""
    amount = Decimal(str(row["amount"]))
    late = rules.surcharge(
        fine=amount,
        due=dt.date.fromisoformat(str(row["due"])),
        as_of=on,
        pauses=selectors.pauses_of(deferral.decision),
    )
    return amount + late.amount


def instalment_paid(
    *,
    case_id: int,
    actor: User,
    party: int,
    instalment: int,
    paid_on: Any,
    amount: Any = None,
) -> Deferral:
    """The 承办人 records that the party paid instalment number `instalment` (from 1) of the
    approved plan (行政处罚法第六十六条第二款), on the day the bank's receipt shows: a paid
    instalment is no longer missed, and its surcharge stops that day (第七十二条). `amount`, the
    sum on the receipt (the page always sends it): more than nothing, at least the instalment and
    never more than it and the surcharge run on it by that day."""
    given = _clean({"on": paid_on})
    with transaction.atomic():
        case = _lock_case(case_id, actor)
        if actor.pk not in (case.handler_id, case.co_handler_id):
            raise Refused(["只有本案承办人员可以登记分期缴款"])
        deferral = (
            Deferral.objects.select_for_update()
            .filter(case=case, decision__party__index=party)
            .order_by("-approved_on", "-id")
            .first()
        )
        errors: dict[str, list[str]] = {}
        rows = list(deferral.schedule) if deferral else []
        if deferral is None:
            errors["party"] = ["该当事人没有批准的延期（分期）缴纳罚款"]
        elif not 1 <= instalment <= len(rows):
            errors["instalment"] = [f"分期只有第1期至第{len(rows)}期"]
        elif rows[instalment - 1].get("paid_on"):
            errors["instalment"] = [
                f"第{instalment}期已于{rows[instalment - 1]['paid_on']}登记缴款"
            ]
        on = given.get("on")
        if on is None:
            errors["paid_on"] = ["请填写缴款日期"]
        elif on > clock.today():
            errors["paid_on"] = ["缴款日期不能晚于今天"]
        elif deferral is not None and on < deferral.approved_on:
            errors["paid_on"] = ["缴款日期不能早于批准延期（分期）的日期"]
        paid: Decimal | None = None
        if amount is not None:
            try:
                paid = Decimal(str(amount).strip())
                if not paid.is_finite() or abs(paid) > MAX_MONEY:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                errors["amount"] = ["请填写缴款金额（元）"]
        if paid is not None:
            if paid <= 0:
                errors["amount"] = ["缴款金额须大于零"]
            elif paid != paid.quantize(Decimal("0.01")):
                errors["amount"] = ["缴款金额最多两位小数"]
            elif deferral is not None and "instalment" not in errors and on is not None:
                row = rows[instalment - 1]
                owed = _instalment_owed(deferral, row, min(on, clock.today()))
                if paid > owed:
                    errors["amount"] = [
                        f"缴款金额不能超过第{instalment}期应缴的{owed}元"
                        f"（该期罚款{row['amount']}元及至缴款之日的加处罚款）"
                    ]
                elif paid < Decimal(str(row["amount"])):
                    errors["amount"] = [
                        f"第{instalment}期应缴{row['amount']}元，缴款金额不足的不能登记为已缴纳"
                    ]
        if errors:
            raise FieldsRefused(errors)
        assert deferral is not None and on is not None
        n = instalment - 1
        rows[n] = {**rows[n], "paid_on": on.isoformat()}
        if paid is not None:
            rows[n]["paid_amount"] = str(paid)
        deferral.schedule = rows
        deferral.save(update_fields=["schedule"])
        ledger_append(
            stream=case.stream,
            action="instalment_paid",
            payload={
                "deferral": deferral.pk,
                "party": party,
                "instalment": instalment,
                "paid_on": on.isoformat(),
                "amount": rows[n]["amount"],
                "paid_amount": str(paid) if paid is not None else None,
            },
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.HANDLER.value if actor.pk == case.handler_id else Role.CO_HANDLER.value,
        )
    return deferral
