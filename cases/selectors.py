from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case, Decision, Review
from cases.todo import TODO_CAP, TodoItem
from deadlines.models import Deadline
from ledger.models import Entry
from orgs.models import User
from orgs.selectors import unit_scope_q
from procedure.roles import Role
from zhifa import crypto
from zhifa.rows import Columns


def cases_for_user(user: User) -> QuerySet[Case]:
    """Every case the user may read (its unit, or its supervised subtree); nothing otherwise."""
    q = unit_scope_q(user)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q)


def case_id_for_user(user: User, case_id: int) -> int:
    """The access check alone, for an action that reads the case itself (a step): the case's id
    when the user may read it, else 404 — the same scope as get_case_for_user."""
    try:
        found = cases_for_user(user).filter(pk=case_id).values_list("pk", flat=True).first()
    except (ValueError, TypeError):
        found = None
    if found is None:
        raise Http404("案件不存在")
    return int(found)


def get_case_for_user(user: User, case_id: int) -> Case:
    """The one access function for cases: out of scope is 404, never 403."""
    try:
        return (
            cases_for_user(user)
            .select_related("unit", "matter", "handler", "co_handler")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("案件不存在") from None


def step_name(case: Case) -> str:
    from procedure import procedure_of_step
    from procedure.engine import END

    if case.step == END:
        return "已办结"
    return procedure_of_step(case.step).step(case.step).name


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "unit": case.unit.name,
        "lead_no": case.lead_no,
        "case_no": case.case_no,
        "procedure": case.procedure,
        "step": case.step,
        "step_name": step_name(case),
        "status": case.status,
        "outcome": case.outcome,
        "parties": [p.name for p in case.parties.all()],
        "discovered_on": case.discovered_on,
        "filed_on": case.filed_on,
        "closed_on": case.closed_on,
    }


def case_detail(case: Case, *, reader: User | None) -> dict[str, Any]:
    """The case as `reader` may read it (the parties' numbers masked unless its role needs them,
    cases.personal); None: the platform itself, the command line."""
    from cases.personal import parties_for
    from procedure import procedure_of_step
    from procedure.engine import END

    decisions = Decision.objects.filter(case=case).select_related("party").prefetch_related("items")
    next_action = None
    if case.step != END:
        step = procedure_of_step(case.step).step(case.step)
        next_action = {
            "step": step.code,
            "name": step.name,
            "decisions": [{"decision": t.decision, "label": t.label} for t in step.transitions],
        }
    return {
        **case_summary(case),
        "matter_code": case.matter.code if case.matter else None,
        "matter_name": case.matter.name if case.matter else None,
        "basis": case.matter.basis if case.matter else "",
        "handler": str(case.handler),
        "handler_id": case.handler_id,
        "co_handler": str(case.co_handler) if case.co_handler else None,
        "co_handler_id": case.co_handler_id,
        "clue": case.clue,
        "facts": case.facts,
        "party_details": parties_for(reader, case, case.parties.all()),
        "decisions": [
            {
                "party": d.party.index,
                "number": d.number,
                "outcome": d.outcome,
                "decided_on": d.decided_on,
                "heaviest": d.heaviest,
                "total_amount": d.total_amount,
                "penalties": [{"type": i.type, "amount": i.amount} for i in d.items.all()],
                "delivered_on": d.delivered_on,
                "payment_due": d.payment_due,
                "executed_on": d.executed_on,
            }
            for d in decisions
        ],
        "deadlines": [
            {
                "code": d.code,
                "name": d.name,
                "citation": d.citation,
                "party": d.party.index if d.party else None,
                "starts_on": d.starts_on,
                "due_on": d.due_on,
                "status": d.status,
            }
            for d in Deadline.objects.filter(case=case).select_related("party").order_by("id")
        ],
        "next_action": next_action,
        "suggestions": lenient_suggestions(case),
    }


LENIENT_LABELS = {
    "no_penalty_first": "首违不罚",
    "no_penalty_minor": "轻微不罚",
    "lighter": "从轻处罚",
}


def lenient_suggestions(case: Case) -> list[str]:
    """免罚轻罚清单: propose the list's outcome when the matter carries an entry, naming whether
    each party has been penalised before for the same matter (首违, 行政处罚法 Art. 33)."""

    lenient = case.matter.lenient if case.matter else None
    if not lenient or case.status == Case.Status.CLOSED:
        return []
    label = LENIENT_LABELS.get(str(lenient.get("kind")), "免罚轻罚")
    out = []
    for party in case.parties.all():
        prior = Decision.objects.filter(
            outcome=Decision.Outcome.PENALTY,
            case__matter=case.matter,
            party__id_number=party.id_number,
        ).exclude(case=case)
        if party.id_number and prior.exists():
            out.append(f"当事人“{party.name}”曾因同一违法行为受过处罚，不属于首次违法")
            continue
        out.append(
            f"当事人“{party.name}”可能适用{label}清单：{lenient.get('conditions', '')}"
            f"（{lenient.get('source', '')}），请核实是否符合条件"
        )
    return out


def case_record(case: Case) -> list[Entry]:
    return list(Entry.objects.filter(stream=case.stream).order_by("seq"))


def search(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """Search by case number, lead number, party name or party ID number."""
    from django.db.models import Exists, OuterRef, Q

    from cases.models import Party

    q = q.strip()
    party = Party.objects.filter(case=OuterRef("pk")).filter(
        Q(name__icontains=q) | Q(id_number=q.upper())
    )
    return qs.filter(Q(case_no__icontains=q) | Q(lead_no__icontains=q) | Exists(party))


def case_reviews(case: Case) -> list[dict[str, Any]]:
    """Each decision of the case with its 行政复议 and 行政诉讼 (law.reviews), for the page and the
    API: what was filed, by when it had to be, and how it ended."""
    from law import reviews as law_reviews

    out = []
    decisions = (
        Decision.objects.filter(case=case)
        .select_related("party")
        .prefetch_related("reviews")
        .order_by("party__index")
    )
    for d in decisions:
        rows = []
        for r in sorted(d.reviews.all(), key=lambda r: (r.filed_on, r.kind)):
            kind = law_reviews.Kind(r.kind)
            end = law_reviews.ending(kind, r.ending) if r.ending else None
            rows.append(
                {
                    "kind": r.kind,
                    "kind_label": law_reviews.KIND_LABELS[kind],
                    "filed_on": r.filed_on,
                    "organ": r.organ,
                    "organ_case_no": r.organ_case_no,
                    "filing_due": r.filing_due,
                    "late": r.late,
                    "warnings": [w for w in r.warnings.splitlines() if w],
                    "concluded": r.decided_on is not None,
                    "decided_on": r.decided_on,
                    "result": r.result,
                    "result_label": dict(Review.Result.choices).get(r.result, ""),
                    "ending": r.ending,
                    "ending_label": end.label if end else "",
                    "basis": end.citation if end else "",
                }
            )
        out.append(
            {
                "party": d.party.index,
                "party_name": d.party.name,
                "number": d.number,
                "decided_on": d.decided_on,
                "delivered_on": d.delivered_on,
                "reviews": rows,
            }
        )
    return out


def case_recusals(case: Case) -> list[dict[str, Any]]:
    """The case's 回避 applications and declarations with their decisions (行政处罚法第四十三条)."""
    from cases.models import Recusal

    rows = Recusal.objects.filter(case=case).select_related(
        "officer", "requested_by", "decided_by", "replacement"
    )
    return [
        {
            "id": r.pk,
            "officer": r.officer.username,
            "officer_name": str(r.officer),
            "source": r.source,
            "source_label": r.get_source_display(),
            "reason": r.reason,
            "requested_on": r.requested_on,
            "requested_by": str(r.requested_by),
            "decided": r.granted is not None,
            "granted": r.granted,
            "decision_reason": r.decision_reason,
            "decided_on": r.decided_on,
            "decided_by": str(r.decided_by) if r.decided_by else "",
            "replacement": r.replacement.username if r.replacement else "",
            "replacement_name": str(r.replacement) if r.replacement else "",
        }
        for r in rows
    ]


def case_preservations(case: Case) -> list[dict[str, Any]]:
    """The case's 证据先行登记保存: approval, limit and decision (行政处罚法第五十六条)."""
    from cases.models import Preservation

    rows = Preservation.objects.filter(case=case).select_related("requested_by", "approved_by")
    return [
        {
            "id": p.pk,
            "status": p.status,
            "status_label": p.get_status_display(),
            "items": p.items,
            "reason": p.reason,
            "requested_by": str(p.requested_by),
            "requested_on": p.requested_on,
            "approved_by": str(p.approved_by) if p.approved_by else "",
            "approved_on": p.approved_on,
            "approval_opinion": p.approval_opinion,
            "carried_out_on": p.carried_out_on,
            "decision_due": p.decision_due,
            "disposition": p.disposition,
            "disposition_label": p.get_disposition_display() if p.disposition else "",
            "disposition_note": p.disposition_note,
            "decided_on": p.decided_on,
            "late": bool(p.decided_on and p.decision_due and p.decided_on > p.decision_due),
        }
        for p in rows
    ]


_EARLIER: dict[str, tuple[str, str, Columns]] = {}


def _earlier_statements() -> tuple[str, str, Columns]:
    """earlier_fines' two statements for the default connection, built once: the case's parties
    (their ID numbers decrypted by the field), and the fines of other cases by index values."""
    from django.db import connection

    from cases.models import Party, PenaltyItem

    found = _EARLIER.get(connection.vendor)
    if found is not None:
        return found
    qn = connection.ops.quote_name
    party = Columns(Party, "p", only=("index", "id_number"))
    parties = (
        f"SELECT {party.sql} FROM {qn(Party._meta.db_table)} p "
        f"WHERE p.case_id = %s ORDER BY p.{qn('index')}"
    )
    # One row per decision (a fine item is asked for, not joined, so a decision with two fines
    # is not listed twice), in the order the ORM's .order_by("decided_on", "pk") gives.
    fines = (
        f"SELECT q.{qn('id_number_index')}, d.{qn('number')} "
        f"FROM {qn(Decision._meta.db_table)} d "
        f"JOIN {qn(Party._meta.db_table)} q ON q.id = d.party_id "
        f"JOIN {qn(Case._meta.db_table)} c ON c.id = d.case_id "
        "WHERE d.outcome = %s AND c.matter_id = %s AND c.act_on <= %s "
        "AND (c.act_ended_on >= %s OR (c.act_ended_on IS NULL AND c.act_on >= %s)) "
        "AND d.case_id <> %s "
        f"AND EXISTS (SELECT 1 FROM {qn(PenaltyItem._meta.db_table)} i "
        "WHERE i.decision_id = d.id AND i.type = %s) "
        f"AND q.{qn('id_number_index')} IN ({{marks}}) "
        "ORDER BY d.decided_on, d.id"
    )
    built = (parties, fines, party)
    _EARLIER[connection.vendor] = built
    return built


def earlier_fines(case: Case) -> dict[int, list[str]]:
    """For each party of ``case``, the decisions of other cases that already fined the same party
    (by ID number) for the same act: the same matter, act dates overlapping this case's
    (行政处罚法第二十九条, 一事不再罚). Read before 决定 and 当场处罚 (cases.apps).

    Two statements built once, whatever the parties: their ID numbers, then every earlier fine
    whose party's keyed index is one of theirs (under each index key, as the field's lookup
    matches it: zhifa.fields.IndexedExact)."""
    from django.db import connection

    if case.matter_id is None or case.act_on is None:
        return {}
    start, end = case.act_on, case.act_ended_on or case.act_on
    parties, fines, party = _earlier_statements()
    with connection.cursor() as cursor:
        cursor.execute(parties, [case.pk])
        found = [party.values(row) for row in cursor.fetchall()]
    names = party.names
    numbers = {
        int(values[names.index("index")]): str(values[names.index("id_number")] or "")
        for values in found
    }
    indexes = {n: crypto.blind_indexes(number) for n, number in numbers.items() if number}
    if not indexes:
        return {}
    wanted = sorted({i for found_ in indexes.values() for i in found_})
    day = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            fines.replace("{marks}", ", ".join(["%s"] * len(wanted))),
            [
                Decision.Outcome.PENALTY.value,
                case.matter_id,
                day(end),
                day(start),
                day(start),
                case.pk,
                "fine",
                *wanted,
            ],
        )
        rows = cursor.fetchall()
    out: dict[int, list[str]] = {}
    for n, mine in indexes.items():
        found_numbers = [f"处罚决定书{number}" for index, number in rows if index in mine]
        if found_numbers:
            out[n] = found_numbers
    return out


# --- 待办 and returns ----------------------------------------------------------------------------

# The decisions of the case's steps that send it back to an earlier one (退回补充, 补充调查, 修改,
# 有新事实退回调查, 退回复核, 结案退回): the step it goes back to opens with the return's reason.
RETURNS = frozenset({"return", "supplement", "modify", "new_facts"})


def case_step_codes() -> list[str]:
    from procedure.general import GENERAL
    from procedure.simple import SIMPLE

    return [s.code for proc in (GENERAL, SIMPLE) for s in proc.steps]


def returns_of(cases: list[Case]) -> dict[int, Entry]:
    """The entry of the return each case stands at: the last step entry of the case's record
    when it sent the case back to the step it is at now (two queries for a page of cases)."""
    from django.db.models import Max

    streams = {c.stream: c for c in cases}
    if not streams:
        return {}
    last = (
        Entry.objects.filter(stream__in=list(streams), action__in=case_step_codes())
        .values("stream")
        .annotate(seq=Max("seq"))
        .order_by()
    )
    q = Q(pk__in=[])
    for row in last:
        q |= Q(stream=row["stream"], seq=row["seq"])
    out: dict[int, Entry] = {}
    for entry in Entry.objects.filter(q):
        case = streams[entry.stream]
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        if payload.get("decision") in RETURNS and payload.get("next") == case.step:
            out[case.pk] = entry
    return out


def return_reason(entry: Entry) -> str:
    """Why the case was sent back: the opinion (or reason) the returning step recorded."""
    data = entry.payload.get("data") if isinstance(entry.payload, dict) else None
    if not isinstance(data, dict):
        return ""
    for key in ("opinion", "reason", "extension_reason"):
        if str(data.get(key) or "").strip():
            return str(data[key]).strip()
    return ""


def last_submission(case: Case, step: str) -> dict[str, Any] | None:
    """The input of the last time `step` was taken on the case (what a return sends back)."""
    entry = Entry.objects.filter(stream=case.stream, action=step).order_by("-seq").first()
    if entry is None or not isinstance(entry.payload, dict):
        return None
    data = entry.payload.get("data")
    return data if isinstance(data, dict) else None


def step_draft(case: Case, step: str, user: User) -> dict[str, Any] | None:
    from cases.models import StepDraft

    draft = StepDraft.objects.filter(case=case, step=step, user=user).first()
    return draft.data if draft is not None and isinstance(draft.data, dict) else None


def _at_case(case_id: int, anchor: str) -> str:
    from django.urls import reverse

    return reverse("case-detail", args=[case_id]) + anchor


def recusals_todo(user: User, role: Role) -> list[TodoItem]:
    """回避 applications waiting for the agency head's decision (行政处罚法第四十三条), never
    for the officer whose recusal is asked."""
    from cases.models import Recusal
    from procedure.recusal import DECIDERS

    if role not in DECIDERS or user.unit_id is None or not user.has_role(role):
        return []
    rows = (
        Recusal.objects.filter(case__unit_id=user.unit_id, granted__isnull=True)
        .exclude(officer=user)
        .select_related("case", "officer")
        .order_by("requested_on", "pk")[:TODO_CAP]
    )
    return [
        TodoItem(
            kind="recusal",
            subject=f"{r.case} · {r.officer}",
            asked="作出回避决定",
            url=_at_case(r.case_id, "?open=recusals#recusals"),
            since=r.requested_on,
        )
        for r in rows
    ]


def preservations_todo(user: User, role: Role) -> list[TodoItem]:
    """证据先行登记保存 waiting: the head's approval (never of its own request), and for the
    case's officers the decision within 7 working days of keeping (行政处罚法第五十六条)."""
    from cases.models import Preservation
    from procedure.roles import Role as R

    if user.unit_id is None or not user.has_role(role):
        return []
    mine = Preservation.objects.filter(case__unit_id=user.unit_id).select_related("case")
    items: list[TodoItem] = []
    if role == R.DEPUTY_DIRECTOR:
        for p in mine.filter(status=Preservation.Status.REQUESTED).exclude(requested_by=user)[
            :TODO_CAP
        ]:
            items.append(
                TodoItem(
                    kind="preservation",
                    subject=str(p.case),
                    asked="审批先行登记保存",
                    url=_at_case(p.case_id, "?open=preservations#preservations"),
                    since=p.requested_on,
                )
            )
    if role in (R.HANDLER, R.CO_HANDLER):
        officers = Q(case__handler=user) | Q(case__co_handler=user)
        waiting = {
            Preservation.Status.APPROVED: "实施先行登记保存",
            Preservation.Status.IN_FORCE: "作出处理决定",
        }
        for p in mine.filter(officers, status__in=list(waiting))[:TODO_CAP]:
            items.append(
                TodoItem(
                    kind="preservation",
                    subject=str(p.case),
                    asked=waiting[Preservation.Status(p.status)],
                    url=_at_case(p.case_id, "?open=preservations#preservations"),
                    due=p.decision_due,
                    since=p.approved_on or p.requested_on,
                )
            )
    return items


# --- a party's online 陈述申辩 and 听证 requests (cases.services.responses) ---------------

RESPONSE_ACTION = "party_response"
RESPONSE_STEP = "notice_response"


def earlier_submissions(case: Case, party_index: int) -> int:
    """How many times this party submitted online on the case."""
    return Entry.objects.filter(
        stream=case.stream, action=RESPONSE_ACTION, payload__party=party_index
    ).count()


@dataclass(frozen=True)
class Submitted:
    seq: int
    party: int
    party_name: str
    submitter: str
    relation: str
    statement: str
    hearing: bool
    on: dt.date | None
    at: dt.datetime


def _on(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def pending_submissions(case: Case) -> list[Submitted]:
    """The parties' online submissions since the case's last step (those the 承办人 has still to
    record at step 12), oldest first."""
    from django.db.models import Max

    from law.responses import RELATION_LABELS

    last_step = (
        Entry.objects.filter(stream=case.stream, action__in=case_step_codes()).aggregate(
            seq=Max("seq")
        )["seq"]
        or 0
    )
    rows = Entry.objects.filter(
        stream=case.stream, action=RESPONSE_ACTION, seq__gt=last_step
    ).order_by("seq")
    return [
        Submitted(
            seq=e.seq,
            party=int(e.payload.get("party", -1)),
            party_name=str(e.payload.get("party_name", "")),
            submitter=str(e.payload.get("submitter", "")),
            relation=RELATION_LABELS.get(str(e.payload.get("relation", "")), ""),
            statement=str(e.payload.get("statement", "")),
            hearing=bool(e.payload.get("hearing")),
            on=_on(e.payload.get("on")),
            at=e.at,
        )
        for e in rows
    ]


def responses_todo(user: User, role: Role) -> list[TodoItem]:
    """Cases at 陈述申辩/听证 (step 12) on which a party submitted online since the step began,
    for their 承办人 and 协办人, one line a case, due on the 告知书's last day."""
    from django.db.models import Max

    if role != Role.HANDLER or user.unit_id is None or not user.has_role(role):
        return []
    cases = {
        c.stream: c
        for c in Case.objects.filter(
            Q(handler=user) | Q(co_handler=user),
            unit_id=user.unit_id,
            step=RESPONSE_STEP,
            status=Case.Status.OPEN,
        ).order_by("-pk")[:TODO_CAP]
    }
    if not cases:
        return []
    last_step = dict(
        Entry.objects.filter(stream__in=list(cases), action__in=case_step_codes())
        .values("stream")
        .annotate(seq=Max("seq"))
        .values_list("stream", "seq")
        .order_by()
    )
    windows = dict(
        Deadline.objects.filter(
            case__in=list(cases.values()),
            code="hearing_request",
            party__isnull=True,
            status__in=[
                Deadline.Status.RUNNING,
                Deadline.Status.APPROACHING,
                Deadline.Status.OVERDUE,
            ],
        ).values_list("case_id", "due_on")
    )
    waiting: dict[str, list[dt.datetime]] = {}
    for stream, seq, at in Entry.objects.filter(
        stream__in=list(cases), action=RESPONSE_ACTION
    ).values_list("stream", "seq", "at"):
        if seq > last_step.get(stream, 0):
            waiting.setdefault(stream, []).append(at)
    return [
        TodoItem(
            kind="response",
            subject=str(case),
            asked="录入当事人在线提交的陈述申辩/听证申请",
            url=_at_case(case.pk, "#act"),
            due=windows.get(case.pk),
            since=timezone.localdate(min(waiting[stream])),
            count=len(waiting[stream]),
        )
        for stream, case in cases.items()
        if stream in waiting
    ]
