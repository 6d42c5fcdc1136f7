"""The steps of a case (案源管理 + 一般程序, 简易程序): one function per action, each in one
transaction with its ledger entry; the effects each step writes; the facts its guards read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from cases import counts, hooks, runner, steppath
from cases.models import (
    Case,
    Decision,
    NumberSequence,
    Party,
    PenaltyItem,
    StepDraft,
)
from cases.notify import case_step_notify
from cases.runner import Ask, Table, step_entry
from catalog.models import Matter
from catalog.selectors import hearing_thresholds_for
from deadlines.services import (
    deadline_start,
    deadline_stop,
    deadlines_cancel,
    limits_batched,
    working_calendar,
)
from law import rules
from law.limits import HEARING_NOTICE, HEARING_REQUEST
from law.penalties import AMOUNT_TYPES, PAYABLE_TYPES, heaviest
from law.personal import mask_id_number, mask_phone
from law.validators import birth_date_from_id, credit_code_errors, id_card_errors, name_errors
from ledger.models import Entry
from ledger.services import StreamHead, StreamMoved, ledger_append
from orgs.models import Unit, User
from orgs.selectors import certified_on
from procedure import PROCEDURES, procedure_of_step
from procedure.engine import (
    END,
    OPTIONAL_FACTS,
    CaseFacts,
    MatterFacts,
    Outcome,
    PartyFacts,
    Refused,
)
from procedure.guards import parse_items
from procedure.roles import Role
from zhifa import clock, rows
from zhifa.fields import index_value

# --- input checks shared by every entry point ------------------------------------------------


def party_errors(raw: Mapping[str, Any], n: int) -> list[str]:
    """A party's identity: 身份证 (GB 11643) or 统一社会信用代码 (GB 32100) check digits."""
    errors: list[str] = []
    label = f"第{n}名当事人"
    kind = raw.get("kind")
    if kind not in Party.Kind.values:
        errors.append(f"{label}类型“{kind}”无效，应为公民、法人或其他组织")
    errors.extend(f"{label}{e}" for e in name_errors(str(raw.get("name", ""))))
    number = str(raw.get("id_number", "")).strip().upper()
    if kind == Party.Kind.PERSON:
        errors.extend(f"{label}：{e}" for e in id_card_errors(number))
    elif kind == Party.Kind.ORGANISATION:
        errors.extend(f"{label}：{e}" for e in credit_code_errors(number))
    return errors


def _number(unit: Unit, kind: str, year: int) -> int:
    """The next number of a per-unit, per-year series: one atomic upsert that returns it."""
    table = NumberSequence._meta.db_table
    with rows.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, kind, year, last) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (unit_id, kind, year) DO UPDATE SET last = "
            f"{table}.last + 1 RETURNING last",
            [unit.pk, kind, year],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _doc_no(unit: Unit, kind: str, label: str, on: dt.date) -> str:
    """文号 as agencies write them: 聊城管罚决〔2026〕12号."""
    return f"{unit.short or unit.name}{label}〔{on.year}〕{_number(unit, kind, on.year)}号"


# --- the case as the step path took it ----------------------------------------------------------


class _Taken:
    """What the step path read with the locked case (cases.steppath): its stream head, the
    officers and actor it checked the 执法证 of and those certified, and its parties once read."""

    def __init__(
        self,
        case: Case,
        actor_id: int,
        *,
        head: StreamHead | None,
        certified: frozenset[int] | None,
        parties: list[Party] | None = None,
        drafts: bool = True,
        waiting: bool = True,
    ) -> None:
        self.head = head
        self.drafts = drafts  # False: the step has no draft to drop
        self.waiting = waiting  # False: the actor has no notice of the case to settle
        self.officers = (case.handler_id, case.co_handler_id, actor_id)
        self.certified = certified
        self.parties = parties


def case_parties(case: Case) -> list[Party]:
    """The case's parties in order: read once per action on the step path, else by the ORM."""
    taken: _Taken | None = getattr(case, "_taken", None)
    if taken is None:
        return list(case.parties.all())
    if taken.parties is None:
        taken.parties = steppath.case_parties(case)
    return taken.parties


# --- facts ------------------------------------------------------------------------------------


def _party_facts(
    p: Party, made: tuple[Decision, list[PenaltyItem]] | None, act_on: dt.date | None
) -> PartyFacts:
    age = rules.age_on(p.birth_date, act_on) if p.birth_date and act_on else None
    notified = None
    if p.notified is not None:
        notified = tuple(parse_items(p.notified)[0])
    dec = None
    decision = made[0] if made is not None else None
    if made is not None:
        decision, items = made
        dec = {
            "outcome": decision.outcome,
            "decided_on": decision.decided_on.isoformat(),
            "payment_due": decision.payment_due.isoformat() if decision.payment_due else None,
            "penalties": [
                {"type": i.type, "amount": str(i.amount) if i.amount is not None else None}
                for i in items
            ],
        }
    return PartyFacts(
        index=p.index,
        kind=p.kind,
        name=p.name,
        address=p.address,
        age=age,
        proposal=p.proposal,
        notified=notified,
        hearing_right=p.hearing_right,
        response=p.response,
        decision=dec,
        delivered_on=decision.delivered_on if decision else None,
    )


def _matter_facts(m: Matter | None, act_on: dt.date | None) -> MatterFacts | None:
    if m is None:
        return None
    return MatterFacts(
        code=m.code,
        allowed=m.allowed_types(),
        legal_band=m.legal_band(),
        bands=m.discretion_bands(),
        time_bar_years=m.time_bar_years,
        major=m.major,
        in_force_on_act=m.in_force_on(act_on) if act_on else True,
        lenient=m.lenient,
        unbanded_ceiling=settings.FINE_CEILING_WITHOUT_BAND if m.legal_band() is None else None,
    )


def case_facts(
    case: Case,
    actor: User,
    needs: frozenset[str] = OPTIONAL_FACTS,
    extra: Mapping[str, Any] | None = None,
) -> CaseFacts:
    """The snapshot the guards read. Optional facts (evidence, limits, decisions) cost a query
    each and are loaded only when the step's guards say they read them (procedure.engine.needs);
    otherwise they are empty. A case the step path locked brings its certified officers and its
    parties with it."""
    today = clock.today()
    taken: _Taken | None = getattr(case, "_taken", None)
    officers = (case.handler_id, case.co_handler_id, actor.pk)
    if taken is not None and taken.certified is not None and taken.officers == officers:
        certified = taken.certified
    elif taken is not None:
        certified = steppath.certified_on(officers, today)
    else:
        certified = certified_on(officers, today)
    parties = case_parties(case)
    decisions: dict[int, tuple[Decision, list[PenaltyItem]]] = {}
    if "decisions" in needs:
        decisions = {d.party_id: (d, items) for d, items in steppath.case_decisions(case.pk)}
    limits: dict[str, dt.date] = {}
    if "limits" in needs:
        limits = steppath.open_limits(case.pk)
    hearing_end = limits.get(HEARING_REQUEST.code)
    return CaseFacts(
        procedure=case.procedure,
        step=case.step,
        unit_id=case.unit_id,
        handler_id=case.handler_id,
        co_handler_id=case.co_handler_id,
        certified=certified,
        qualified_reviewers=frozenset({actor.pk} if actor.legal_qualified else ()),
        evidence_count=steppath.evidence_count(case.pk) if "evidence" in needs else 0,
        matter=_matter_facts(case.matter, case.act_on),
        parties=tuple(_party_facts(p, decisions.get(p.pk), case.act_on) for p in parties),
        complex=case.complex,
        today=today,
        act_on=case.act_on,
        discovered_on=case.discovered_on,
        filed_on=case.filed_on,
        decision_due=limits.get("decision_limit"),
        response_window_end=hearing_end,
        extra={
            "act_ended_on": case.act_ended_on,
            "previous_step": case.previous_step,
            "hearing_request_end": hearing_end,
            **(extra or {}),
        },
    )


def _hearing_earliest(data: Mapping[str, Any]) -> dict[str, dt.date]:
    """For each hearing notice date in the payload, the earliest lawful hearing day (Art. 64)."""
    cal = working_calendar()
    out: dict[str, dt.date] = {}
    for r in data.get("responses", []):
        notified = (r.get("hearing") or {}).get("notified_on")
        if notified:
            try:
                day = dt.date.fromisoformat(str(notified))
            except ValueError:
                continue
            out[str(day)] = cal.add_working_days(day, HEARING_NOTICE.amount)
    return out


# --- step effects: what each action writes besides the ledger entry --------------------------

# An effect writes what its step changes besides the ledger entry and returns what the entry
# should record of it (numbers assigned, rights computed); None when the input says it all.
Result = hooks.Result
Effect = hooks.Effect


def _filing_request(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    code = str(data.get("matter_code", ""))
    matter = steppath.matter_by_code(code)
    if matter is None:
        raise Refused([f"权责事项“{code}”不存在"])
    units = steppath.implementing_units(matter.pk)
    if units and case.unit_id not in units:
        raise Refused([f"本单位不是权责事项“{matter.name}”的实施主体"])
    co = steppath.officer_roles(str(data.get("co_handler", "")), case.unit_id)
    if co is None or not co[1] & {Role.CO_HANDLER.value, Role.HANDLER.value}:
        raise Refused([f"协办人“{data.get('co_handler', '')}”不是本单位的执法人员"])
    act_on = _parse_day(data.get("act_on")) or case.act_on
    act_ended_on = _parse_day(data.get("act_ended_on")) or case.act_ended_on
    if act_on and act_on > case.discovered_on:
        raise Refused(["违法行为发生日期不能晚于发现日期"])
    if act_on and act_ended_on and act_ended_on < act_on:
        raise Refused(["违法行为终了日期不能早于发生日期"])
    case.act_on, case.act_ended_on = act_on, act_ended_on
    case.matter = matter
    case.co_handler_id = co[0]
    case.complex = bool(data.get("complex", False))
    case.harmful_consequences = bool(data.get("harmful_consequences", False))
    case.facts = str(data.get("summary", case.facts))
    return None


def _filing_approve(case: Case, actor: User, data: Mapping[str, Any], o: Outcome) -> Result:
    if o.transition.decision != "approve":
        return None
    today = clock.today()
    case.case_no = _doc_no(case.unit, "filing", "罚立", today)
    case.filed_on = today
    case.status = Case.Status.OPEN
    # 行政处罚法 Art. 60: the decision time limit runs from 立案.
    deadline_start(case=case, code="decision_limit", starts_on=today)
    return {"case_no": case.case_no, "filed_on": today}


def _investigation_report(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    case.facts = str(data["facts"])
    by_index = {int(p["party"]): p for p in data.get("proposals", [])}
    for party in case_parties(case):
        proposal = dict(by_index[party.index])
        proposal.pop("party", None)
        party.proposal = proposal
        rows.update(party, ["proposal"])
    return None


def _penalty_approve(case: Case, actor: User, data: Mapping[str, Any], o: Outcome) -> Result:
    if o.transition.decision == "approve" and o.next_step == "closing_approve":
        case.transferred_on = clock.today()
        case.outcome = Case.Outcome.TRANSFER
        return {"transferred_on": case.transferred_on}
    return None


def _notice_issue(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    served_on = _parse_day(data.get("served_on")) or clock.today()
    if served_on > clock.today():
        raise Refused(["告知书送达日期不能晚于今天"])
    thresholds = hearing_thresholds_for(case.unit)
    notified = []
    for party in case_parties(case):
        proposal = party.proposal or {}
        if proposal.get("outcome") != "penalty":
            continue
        items, _ = parse_items(proposal.get("penalties", []))
        # 行政处罚法 Art. 44 and 63: the notice states the penalty and the rights the law gives.
        right, reasons = rules.hearing_right(
            party_kind=party.kind, penalties=items, thresholds=thresholds
        )
        party.notified = proposal.get("penalties", [])
        party.hearing_right = right
        rows.update(party, ["notified", "hearing_right"])
        notified.append(
            {
                "party": party.index,
                "penalties": party.notified,
                "rights": ["陈述", "申辩", *(["要求听证"] if right else [])],
                "hearing_reasons": reasons,
            }
        )
    window = deadline_start(case=case, code=HEARING_REQUEST.code, starts_on=served_on)
    return {"served_on": served_on, "response_window_end": window.due_on, "notified": notified}


def _notice_response(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    by_index = {int(r["party"]): r for r in data.get("responses", [])}
    for party in case_parties(case):
        if party.index in by_index:
            party.response = dict(by_index[party.index])
            rows.update(party, ["response"])
    return None


def _decision_issue(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    today = clock.today()
    by_index = {int(d["party"]): d for d in data.get("decisions", [])}
    cal = working_calendar()
    issued = []
    for party in case_parties(case):
        d = by_index[party.index]
        items, _ = parse_items(d.get("penalties", []) if d["outcome"] == "penalty" else [])
        label = "罚决" if d["outcome"] == "penalty" else "不罚决"
        decision = Decision(
            case=case,
            party=party,
            number=_doc_no(case.unit, "decision", label, today),
            outcome=d["outcome"],
            decided_on=today,
            facts=str(d.get("facts", "")),
            basis=str(d.get("basis", "")),
            performance=str(d.get("performance", "")),
            reason=str(d.get("reason", "")),
            heaviest=heaviest(t for t, _ in items).value if items else "",
            total_amount=sum((a for t, a in items if t in AMOUNT_TYPES and a), Decimal("0")),
        )
        _issue(decision, items)
        counts.decision_issued(case.unit_id, decision)
        deadline_start(case=case, code="delivery", starts_on=today, party=party, calendar=cal)
        issued.append(
            {
                "party": party.index,
                "number": decision.number,
                "heaviest": decision.heaviest,
                "total_amount": decision.total_amount,
            }
        )
    return {"decided_on": today, "decisions": issued}


def _issue(decision: Decision, items: Sequence[tuple[Any, Decimal | None]]) -> None:
    """Write a decision made and its penalty items."""
    rows.insert(decision)
    for t, a in items:
        rows.insert(PenaltyItem(decision=decision, type=t.value, amount=a))


def _decisions(case: Case) -> list[tuple[Decision, Party, list[PenaltyItem]]]:
    """The case's decisions, each with its party and penalty items."""
    parties = {p.pk: p for p in case_parties(case)}
    return [(d, parties[d.party_id], items) for d, items in steppath.case_decisions(case.pk)]


_PAYABLE = frozenset(t.value for t in PAYABLE_TYPES)


def _delivery(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    by_index = {int(d["party"]): d for d in data.get("deliveries", [])}
    cal = working_calendar()
    due: dict[int, dt.date] = {}
    for decision, party, items in _decisions(case):
        d = by_index[party.index]
        on = dt.date.fromisoformat(str(d["delivered_on"]))
        decision.delivered_on = on
        decision.delivery_method = str(d["method"])
        fields = ["delivered_on", "delivery_method"]
        deadline_stop(case=case, code="delivery", on=on, party=party)
        pays = any(i.type in _PAYABLE for i in items)
        if decision.outcome == Decision.Outcome.PENALTY and pays:
            payment = deadline_start(
                case=case, code="payment", starts_on=on, party=party, calendar=cal
            )
            decision.payment_due = payment.due_on
            due[party.index] = payment.due_on
            fields.append("payment_due")
        rows.update(decision, fields)
    return {"payment_due": due} if due else None


def _execution(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    by_index = {int(e["party"]): e for e in data.get("executions", [])}
    today = clock.today()
    for decision, party, _items in _decisions(case):
        if decision.outcome != Decision.Outcome.PENALTY:
            continue
        e = dict(by_index[party.index])
        e.pop("party", None)
        on = _parse_day(e.get("paid_on") or e.get("applied_on")) or today
        decision.execution = e
        decision.executed_on = on
        rows.update(decision, ["execution", "executed_on"])
        deadline_stop(case=case, code="payment", on=on, party=party)
    return None


def _close(case: Case, actor: User, data: Mapping[str, Any], o: Outcome) -> Result:
    if o.next_step != END:
        return None
    case.status = Case.Status.CLOSED
    case.closed_on = clock.today()
    if not case.outcome:
        outcomes = {d.outcome for d, _items in steppath.case_decisions(case.pk)}
        case.outcome = (
            Case.Outcome.PENALTY
            if "penalty" in outcomes
            else Case.Outcome.NO_PENALTY
            if outcomes
            else Case.Outcome.TRANSFER
            if case.transferred_on
            else ""
        )
    return {"outcome": case.outcome, "closed_on": case.closed_on}


def _simple_decide(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    today = clock.today()
    [party] = case_parties(case)
    items, _ = parse_items(data.get("penalties", []))
    decision = Decision(
        case=case,
        party=party,
        number=_doc_no(case.unit, "onspot", "当罚决", today),
        outcome=Decision.Outcome.PENALTY,
        decided_on=today,
        facts=str(data.get("facts", "")),
        basis=str(data.get("basis", "")),
        performance=str(data.get("performance", "")),
        heaviest=heaviest(t for t, _ in items).value,
        total_amount=sum((a for t, a in items if t in AMOUNT_TYPES and a), Decimal("0")),
        delivered_on=today,
        delivery_method="direct",
    )
    _issue(decision, items)
    counts.decision_issued(case.unit_id, decision)
    case.facts = decision.facts
    if not case.case_no:
        case.case_no = decision.number
        case.filed_on = today
    case.status = Case.Status.OPEN
    return {"number": decision.number}


def _simple_execute(case: Case, actor: User, data: Mapping[str, Any], _o: Outcome) -> Result:
    [(decision, _items)] = steppath.case_decisions(case.pk)
    decision.execution = dict(data)
    decision.executed_on = _parse_day(data.get("paid_on")) or clock.today()
    rows.update(decision, ["execution", "executed_on"])
    if data.get("kind") == "on_spot":
        # 行政处罚法 Art. 71: cash collected on the spot is handed in within 2 working days.
        deadline_start(case=case, code="on_spot_fine_handover", starts_on=clock.today())
    return None


EFFECTS: dict[str, tuple[Effect, ...]] = {
    "filing_request": (_filing_request,),
    "filing_approve": (_filing_approve,),
    "investigation_report": (_investigation_report,),
    "penalty_approve": (_penalty_approve,),
    "notice_issue": (_notice_issue,),
    "notice_response": (_notice_response,),
    "decision_issue": (_decision_issue,),
    "delivery": (_delivery,),
    "execution": (_execution,),
    "closing_approve": (_close,),
    "simple_decide": (_simple_decide,),
    "simple_execute": (_simple_execute,),
    "simple_record": (_close,),
}
# Effects that change what the guards look at run before the guards; the rest after.
PRE_GUARD = {"filing_request"}


def _parse_day(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise Refused([f"日期“{value}”格式无效，应为YYYY-MM-DD"]) from exc


# --- the actions ------------------------------------------------------------------------------


@transaction.atomic
def case_register(
    *,
    actor: User,
    source: str,
    clue: str,
    discovered_on: dt.date,
    parties: Sequence[Mapping[str, Any]],
    act_on: dt.date | None = None,
    act_ended_on: dt.date | None = None,
    place: str = "",
    procedure: str = "general",
    matter_code: str | None = None,
) -> Case:
    """案源登记 (step 1), or the start of an on-the-spot 简易程序 case."""
    errors: list[str] = []
    today = clock.today()
    if procedure not in PROCEDURES:
        errors.append(f"程序“{procedure}”无效")
    if source not in Case.Source.values:
        errors.append(f"案件来源“{source}”无效")
    if not clue.strip():
        errors.append("请填写案源线索")
    if discovered_on > today:
        errors.append("发现日期不能晚于今天")
    if act_on and act_on > discovered_on:
        errors.append("违法行为发生日期不能晚于发现日期")
    if act_ended_on and act_on and act_ended_on < act_on:
        errors.append("违法行为终了日期不能早于发生日期")
    if not parties:
        errors.append("请至少登记一名当事人")
    for n, raw in enumerate(parties, start=1):
        errors.extend(party_errors(raw, n))
    matter = None
    if matter_code:
        matter = steppath.matter_by_code(matter_code)
        if matter is None:
            errors.append(f"权责事项“{matter_code}”不存在")
    if actor.unit is None or not actor.has_role(Role.HANDLER):
        errors.append("只有执法机关的承办人可以登记案源")
    if errors:
        raise Refused(errors)
    assert actor.unit is not None
    proc = PROCEDURES[procedure]
    case = Case(
        unit=actor.unit,
        procedure=procedure,
        lead_no=_doc_no(actor.unit, "lead", "案源", today),
        matter=matter,
        source=source,
        clue=clue.strip(),
        place=place,
        discovered_on=discovered_on,
        act_on=act_on,
        act_ended_on=act_ended_on,
        step=proc.first,
        handler=actor,
    )
    rows.insert(case)
    made: list[Party] = []
    for n, raw in enumerate(parties):
        number = str(raw.get("id_number", "")).strip().upper()
        party = Party(
            case=case,
            index=n,
            kind=raw["kind"],
            name=str(raw["name"]).strip(),
            id_number=number,
            address=str(raw.get("address", "")),
            phone=str(raw.get("phone", "")),
            legal_rep=str(raw.get("legal_rep", "")),
            birth_date=birth_date_from_id(number) if raw["kind"] == Party.Kind.PERSON else None,
        )
        rows.insert(party)
        made.append(party)
    # What step 1 reads of the case it has just written: its parties (the head is read locked);
    # a case just made has no draft and nobody a notice of it.
    case._taken = _Taken(  # type: ignore[attr-defined]
        case,
        actor.pk,
        head=None,
        certified=None,
        parties=made,
        drafts=False,
        waiting=False,
    )
    payload = {
        "procedure": procedure,
        "lead_no": case.lead_no,
        "source": source,
        "clue": case.clue,
        "place": place,
        "discovered_on": discovered_on,
        "act_on": act_on,
        "matter": matter_code,
        "parties": [party_as_recorded(p) for p in parties],
    }
    if procedure == "general":
        # Step 1 is itself an action of the table: run it through the engine like the others.
        _apply(lambda: case, actor, proc.first, "submit", payload, atomic=False)
    else:
        ledger_append(
            stream=case.stream,
            action="case_open",
            payload=payload,
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.HANDLER.value,
        )
    return case


def party_as_recorded(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A party as the record keeps it: a person's ID number and any phone number masked, with
    the ID number's keyed index (zhifa.crypto), which proves the number to whoever holds the key
    and keeps the number itself, encrypted, in the party's row only."""
    party = dict(raw)
    number = str(party.get("id_number", "")).strip().upper()
    if number and party.get("kind") == Party.Kind.PERSON:
        party["id_number"] = mask_id_number(number)
        party["id_number_index"] = index_value(number)
    if party.get("phone"):
        party["phone"] = mask_phone(str(party["phone"]))
    return party


def _snapshot(case: Case) -> dict[str, Any]:
    return {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}


def _changed(case: Case, before: Mapping[str, Any]) -> list[str]:
    """The fields an action changed: the UPDATE writes only those."""
    return [name for name, value in before.items() if getattr(case, name) != value]


def _read(case: Case, ask: Ask) -> CaseFacts:
    """The case's facts for the step asked, with what the step adds: the modules' facts
    (cases.hooks), the preservations in force before closing, the earliest hearing days."""
    assert ask.actor is not None
    extra: dict[str, Any] = hooks.step_facts(ask.step, case)
    if ask.step == "closing_approve":
        extra["open_preservations"] = steppath.preservations_in_force(case.pk)
    if ask.step == "notice_response":
        extra["hearing_earliest"] = _hearing_earliest(ask.data)
    return case_facts(case, ask.actor, ask.needs, extra=extra)


def _entry(
    case: Case, outcome: Outcome, data: Mapping[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    return step_entry(outcome, data, result)


def _apply(
    lock: Callable[[], Case],
    actor: User,
    step_code: str,
    decision: str,
    data: Mapping[str, Any],
    *,
    atomic: bool = True,
) -> Case:
    """Run the step on the case `lock` takes (or has just registered, `atomic=False`)."""
    proc = procedure_of_step(step_code)
    step = proc.step(step_code)
    effects = EFFECTS.get(step_code, ())
    before: dict[str, Any] = {}

    def pre_guard(case: Case) -> None:
        before.update(_snapshot(case))
        pseudo = Outcome(step, step.transitions[0], "", None)
        for effect in effects:
            if step_code in PRE_GUARD:
                effect(case, actor, data, pseudo)

    def apply(case: Case, outcome: Outcome) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for effect in effects:
            if step_code not in PRE_GUARD:
                result.update(effect(case, actor, data, outcome) or {})
        for effect in hooks.step_effects(step_code):
            result.update(effect(case, actor, data, outcome) or {})
        return result

    def store(case: Case, outcome: Outcome) -> None:
        if outcome.case_outcome:
            case.outcome = outcome.case_outcome
        nxt = outcome.next_step
        if nxt != END and nxt not in proc.codes:
            case.procedure = procedure_of_step(nxt).code
        if nxt == END:
            # Whatever ends the case ends its remaining limits; those the step met are stopped.
            case.status = Case.Status.CLOSED
            case.closed_on = case.closed_on or clock.today()
            deadlines_cancel(case=case, on=case.closed_on)
        case.previous_step = step_code
        case.step = nxt
        counts.case_dates(case.unit_id, before, case)  # 立案/结案/移送 days: the summary
        fields = [*_changed(case, before), "updated_at"]
        if getattr(case, "_taken", None) is not None:
            steppath.save_case(case, fields)
        else:
            case.save(update_fields=fields)

    def head(case: Case) -> StreamHead | None:
        taken: _Taken | None = getattr(case, "_taken", None)
        return taken.head if taken is not None else None

    table = Table[Case](
        procedure=proc,
        read=_read,
        stream=lambda case: case.stream,
        entry=_entry,
        store=store,
        limits=lambda case: {"case": case},
        head=head,
        notify=_notify,
        batch=limits_batched,
    )
    case, _ = runner.run(
        table,
        lock,
        actor=actor,
        decision=decision,
        data=data,
        step=step_code,
        before=pre_guard,
        apply=apply,
        then=_drafts_done,
        atomic=atomic,
    )
    return case


_DRAFTS = StepDraft._meta.db_table


def _notify(case: Case, outcome: Outcome, actor: User | None, entry: Entry) -> None:
    """Whom the step tells; the actor's notices of the case are settled unless the step path
    found none."""
    taken: _Taken | None = getattr(case, "_taken", None)
    case_step_notify(case, outcome, actor, entry, settle=taken is None or taken.waiting)


def _drafts_done(case: Case, outcome: Outcome) -> None:
    """A step taken leaves no draft of it behind (whoever saved one): one DELETE built once (no
    row refers to a draft, so there is nothing for the ORM's collector to do), none when the
    step path found no draft."""
    taken: _Taken | None = getattr(case, "_taken", None)
    if taken is not None and not taken.drafts:
        return
    with rows.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_DRAFTS} WHERE case_id = %s AND step = %s", [case.pk, outcome.step.code]
        )


def case_act(
    *,
    case_id: int,
    actor: User,
    step: str,
    decision: str,
    data: Mapping[str, Any],
    fast: bool = True,
) -> Case:
    """Act on the case's current step. Refused (with every reason) changes nothing.

    The step runs on the step path (cases.steppath: the case, its unit, matter, stream head and
    certified officers in one locked read, the writes as statements built once). Should another
    action have appended to the case's record between that read and this entry (the worker, a
    document), the step is rolled back and taken again on the ORM path, which locks the head.
    `fast=False` takes the ORM path from the start: the reference the step path is tested
    against."""

    def check_step(case: Case) -> Case:
        if case.step != step:
            current = "已结案" if case.step == END else f"“{case.step}”"
            raise Refused([f"案件当前环节为{current}，不是“{step}”，可能已被他人办理，请刷新"])
        return case

    def lock() -> Case:
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("unit", "matter")
            .get(pk=case_id)
        )
        return check_step(case)

    def lock_fast() -> Case:
        locked = steppath.lock_case(case_id, actor.pk, clock.today())
        if locked is None:
            raise Case.DoesNotExist(f"Case {case_id} does not exist")
        case = locked.case
        case._taken = _Taken(  # type: ignore[attr-defined]
            case,
            actor.pk,
            head=locked.head,
            certified=locked.certified,
            drafts=locked.drafts,
            waiting=locked.waiting,
            parties=locked.parties,
        )
        return check_step(case)

    if fast:
        try:
            return _apply(lock_fast, actor, step, decision, data)
        except StreamMoved:
            runner.forget()
    return _apply(lock, actor, step, decision, data)


def case_step(
    *, case_id: int, actor: User, step: str, decision: str, data: Mapping[str, Any]
) -> tuple[Case, runner.Done]:
    """case_act, and what the step did: its entry (seq, hash), the limits it moved, its result:
    the answer of a step, with no read beyond the step's own (the whole case is one GET away)."""
    with runner.watch() as done:
        case = case_act(case_id=case_id, actor=actor, step=step, decision=decision, data=data)
    return case, done
