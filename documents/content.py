"""What each document says: a plain dict of strings and lists built from the case's rows and the
ledger entry the document renders. The same context feeds the HTML (PDF) and DOCX templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from cases.models import Case, Decision, Evidence, Party
from cases.services.responses import response_code
from deadlines.models import Deadline
from documents.kinds import ALL_KINDS, KINDS, NO_PENALTY_TITLE
from documents.render import public_url
from law import rules
from law.limits import HEARING_REQUEST, PAYMENT
from law.penalties import PENALTY_LABELS, PenaltyType, party_kind_label
from ledger.models import Entry
from orgs.models import Unit, User
from orgs.selectors import valid_certificates
from procedure.vocab import (
    CIRCUMSTANCE_LABELS,
    Circumstance,
    DecisionOutcome,
    DeliveryMethod,
    ExecutionKind,
    ProposalOutcome,
    RecordKind,
    ResponseKind,
)
from zhifa import clock

__all__ = ["NO_PENALTY_TITLE", "document_context", "entry_data", "latest_entry", "masked"]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(SHANGHAI)


Context = dict[str, Any]

# --- formatting -------------------------------------------------------------------------------


def cn_date(day: dt.date | dt.datetime | str | None) -> str:
    """2025年3月3日, as documents write dates."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    if isinstance(day, dt.datetime):
        day = local(day).date() if day.tzinfo else day.date()
    return f"{day.year}年{day.month}月{day.day}日"


_UPPER = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_GROUPS = ["", "万", "亿", "万亿"]


def amount_upper(amount: Decimal) -> str:
    """人民币大写: 5000.00 → 伍仟元整, 1234.50 → 壹仟贰佰叁拾肆元伍角."""
    cents = int((amount * 100).quantize(Decimal("1")))
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    out = ""
    if yuan:
        groups: list[str] = []
        g = 0
        while yuan:
            yuan, part = divmod(yuan, 10000)
            text = ""
            zero = False
            for i in range(3, -1, -1):
                digit = part // 10**i % 10
                if digit:
                    if zero and text:
                        text += "零"
                    text += _UPPER[digit] + _UNITS[i]
                    zero = False
                else:
                    zero = True
            if text:
                groups.append(text + _GROUPS[g])
            elif groups and not groups[-1].startswith("零"):
                groups.append("零")
            g += 1
        out = "".join(reversed(groups)).strip("零") + "元"
    if not jiao and not fen:
        return (out or "零元") + "整"
    if jiao:
        out += _UPPER[jiao] + "角"
    elif out:
        out += "零"
    if fen:
        out += _UPPER[fen] + "分"
    return out


def penalty_text(items: Iterable[Mapping[str, Any]]) -> str:
    """罚款人民币伍仟元整（¥5000.00）；警告."""
    parts = []
    for item in items:
        label = PENALTY_LABELS.get(PenaltyType(str(item["type"])), str(item["type"]))
        amount = item.get("amount")
        if amount not in (None, ""):
            value = Decimal(str(amount))
            parts.append(f"{label}人民币{amount_upper(value)}（¥{value:.2f}）")
        else:
            parts.append(label)
    return "；".join(parts)


def masked(name: str) -> str:
    """张三 → 张*; 聊城市某某商贸有限公司 → 聊城市****有限公司-like masking of the middle."""
    if len(name) <= 1:
        return "*"
    if len(name) <= 3:
        return name[0] + "*" * (len(name) - 1)
    keep = max(1, len(name) // 4)
    return name[:keep] + "*" * (len(name) - 2 * keep) + name[-keep:]


# --- shared pieces ----------------------------------------------------------------------------


def latest_entry(case: Case, action: str, decisions: Iterable[str] = ()) -> Entry | None:
    qs = Entry.objects.filter(stream=case.stream, action=action).order_by("-seq")
    allowed = set(decisions)
    if not allowed:
        return qs.first()
    for entry in qs:
        if entry.payload.get("decision") in allowed:
            return entry
    return None


def entry_data(entry: Entry | None) -> dict[str, Any]:
    if entry is None:
        return {}
    data = entry.payload.get("data") or {}
    return dict(data) if isinstance(data, dict) else {}


def entry_result(entry: Entry | None) -> dict[str, Any]:
    if entry is None:
        return {}
    result = entry.payload.get("result") or {}
    return dict(result) if isinstance(result, dict) else {}


def reconsideration_body(unit: Unit) -> str:
    """行政复议法第二十四条: the people's government at the level of the department's unit."""
    node: Unit | None = unit.parent
    while node is not None:
        if node.kind == Unit.Kind.GOVERNMENT:
            return node.name
        node = node.parent
    return "有管辖权的行政复议机关"


def officer(user: User | None) -> dict[str, str]:
    """The officer as a 文书 names them: their name and the number of their 执法证 valid today,
    by the one reading of "certified" (orgs.selectors)."""
    if user is None:
        return {"name": "", "certificate": ""}
    cert = (
        valid_certificates(clock.today())
        .filter(user=user)
        .order_by("-valid_until")
        .values_list("number", flat=True)
        .first()
    )
    return {"name": str(user), "certificate": cert or ""}


def party_context(p: Party) -> dict[str, str]:
    return {
        "name": p.name,
        "kind": party_kind_label(p.kind),
        "is_person": "1" if p.kind == Party.Kind.PERSON else "",
        "id_label": "公民身份号码" if p.kind == Party.Kind.PERSON else "统一社会信用代码",
        "id_number": p.id_number,
        "address": p.address,
        "phone": p.phone,
        "legal_rep": p.legal_rep,
    }


def evidence_list(case: Case) -> list[str]:
    return [
        f"{e.title}（{e.get_kind_display()}，SM3：{e.sm3[:16]}…）"
        for e in Evidence.objects.filter(case=case).order_by("collected_at", "pk")
    ]


def _violated(case: Case) -> str:
    m = case.matter
    if m is None or not m.violated_law:
        return ""
    return f"《{m.violated_law}》{m.violated_article}"


def sentence(text: str) -> str:
    """Text without its closing full stop; templates add the punctuation."""
    return text.strip().rstrip("。；;.")


def base_context(case: Case, kind: str, party: Party | None, entry: Entry) -> Context:
    unit = case.unit
    ctx: Context = {
        "unit_name": unit.name,
        "kind": kind,
        "title": ALL_KINDS[kind].title,
        "case_no": case.case_no or case.lead_no,
        "matter_name": case.matter.name if case.matter else "",
        "matter_basis": case.matter.basis if case.matter else "",
        "violated": _violated(case),
        "place": case.place,
        "act_on": cn_date(case.act_on),
        "discovered_on": cn_date(case.discovered_on),
        "parties": [party_context(p) for p in case.parties.all()],
        "handler": officer(case.handler),
        "co_handler": officer(case.co_handler),
        "entry_seq": entry.seq,
        "entry_on": cn_date(entry.at),
        "entry_actor": entry.actor_name,
    }
    if party is not None:
        ctx["party"] = party_context(party)
    return ctx


# --- per kind ---------------------------------------------------------------------------------


def _opinion(case: Case, action: str) -> dict[str, str]:
    e = latest_entry(case, action)
    data = entry_data(e)
    return {
        "opinion": str(data.get("opinion", "")),
        "actor": e.actor_name if e else "",
        "on": cn_date(e.at) if e else "",
        "label": str(e.payload.get("label", "")) if e else "",
    }


def _filing_form(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    request = entry_data(latest_entry(case, "filing_request"))
    ctx.update(
        source=case.get_source_display(),
        clue=case.clue,
        summary=str(request.get("summary", "")) or case.facts,
        complex="是" if case.complex else "否",
        filed_on=cn_date(case.filed_on),
        issued_on=cn_date(case.filed_on),
        request=_opinion(case, "filing_request"),
        review=_opinion(case, "filing_review"),
        approval=_opinion(case, "filing_approve"),
    )


def _records(record_kind: str) -> Callable[[Case, Party | None, Entry, Context], None]:
    def build(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
        users = {u.pk: u for u in User.objects.filter(unit_id=case.unit_id)}
        records = []
        for r in entry_data(entry).get("records", []):
            if r.get("kind") != record_kind:
                continue
            held = r.get("held_at")
            records.append(
                {
                    "title": str(r.get("title", "")),
                    "place": str(r.get("place", "")),
                    "held_at": _moment(str(held)) if held else cn_date(entry.at),
                    "officers": [officer(users.get(int(i))) for i in r.get("officers", [])],
                    "content": str(r.get("content", "")),
                }
            )
        ctx["records"] = records

    return build


def _moment(value: str) -> str:
    """2025年3月3日10时05分 for an ISO date-time, 2025年3月3日 for a date."""
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return cn_date(value)
    if at.tzinfo is not None:
        at = local(at)
    if len(value) <= 10:
        return cn_date(at.date())
    return f"{cn_date(at.date())}{at.hour}时{at.minute:02d}分"


def _circumstance(value: object) -> str:
    return next((label for c, label in CIRCUMSTANCE_LABELS.items() if c == str(value)), "")


def _proposals(case: Case, proposals: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    names = {p.index: p.name for p in case.parties.all()}
    return [
        {
            "party": names.get(int(p.get("party", -1)), ""),
            "outcome": ProposalOutcome.label_of(p.get("outcome"), str(p.get("outcome"))),
            "penalties": penalty_text(p.get("penalties", [])),
            "circumstance": _circumstance(p.get("circumstance", Circumstance.NONE)),
            "reason": str(p.get("reason", "")),
        }
        for p in proposals
    ]


def _investigation_report(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    data = entry_data(entry)
    ctx.update(
        facts=sentence(str(data.get("facts", ""))),
        basis=str(data.get("basis", "")) or ctx["matter_basis"],
        proposals=_proposals(case, data.get("proposals", [])),
        evidence=evidence_list(case),
    )


def _legal_review(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    report = entry_data(latest_entry(case, "investigation_report"))
    ctx.update(
        facts=sentence(str(report.get("facts", "")) or case.facts),
        basis=str(report.get("basis", "")) or ctx["matter_basis"],
        proposals=_proposals(case, report.get("proposals", [])),
        conclusion=str(entry.payload.get("label", "")),
        opinion=str(entry_data(entry).get("opinion", "")),
        reviewer=entry.actor_name,
    )


def _penalty_notice(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    assert party is not None
    data, result = entry_data(entry), entry_result(entry)
    report = entry_data(latest_entry(case, "investigation_report"))
    served = result.get("served_on") or data.get("served_on") or local(entry.at).date()
    window_end = result.get("response_window_end")
    if not window_end:
        window = (
            Deadline.objects.filter(case=case, code=HEARING_REQUEST.code, party__isnull=True)
            .order_by("-pk")
            .first()
        )
        window_end = window.due_on if window else None
    ctx.update(
        facts=sentence(str(report.get("facts", "")) or case.facts),
        basis=str(report.get("basis", "")) or ctx["matter_basis"],
        evidence=evidence_list(case),
        penalties=penalty_text(party.notified or []),
        hearing_right=party.hearing_right,
        served_on=cn_date(str(served)),
        issued_on=cn_date(str(served)),
        window_days=rules.chinese_number(HEARING_REQUEST.amount),
        window_end=cn_date(window_end),
        hearing_citation=HEARING_REQUEST.citation,
        response_url=f"{public_url()}/{settings.PUBLIC_SITE_PREFIX}shenbian/",
        response_code=response_code(case.pk, party.index),
        response_what="陈述、申辩意见或者听证申请" if party.hearing_right else "陈述、申辩意见",
    )


def _for_party(rows: Iterable[Mapping[str, Any]], party: Party) -> dict[str, Any]:
    """The row of a per-party list of a step's form (responses, deliveries) for this party."""
    return next((dict(r) for r in rows if int(r.get("party", -1)) == party.index), {})


def _hearing(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    assert party is not None
    response: dict[str, Any] = _for_party(entry_data(entry).get("responses", []), party)
    h: dict[str, Any] = response.get("hearing") or {}
    chair_id = h.get("chair")
    chair = User.objects.filter(pk=int(chair_id)).first() if chair_id else None
    ctx.update(
        requested_on=cn_date(h.get("requested_on")),
        notified_on=cn_date(h.get("notified_on")),
        held_on=cn_date(h.get("held_on")),
        issued_on=cn_date(
            h.get("notified_on") if ctx["kind"] == "hearing_notice" else h.get("held_on")
        ),
        chair=str(chair) if chair else "",
        hearing_place=str(h.get("place", "")) or f"{case.unit.name}听证室",
        record=str(h.get("record", "")),
        penalties=penalty_text(party.notified or []),
        statement=str(response.get("statement", "")),
    )


def _payment_default() -> str:
    return f"自收到本决定书之日起{rules.chinese_number(PAYMENT.amount)}日内缴至指定银行"


def _decision(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    assert party is not None
    d = Decision.objects.prefetch_related("items").get(party=party)
    items = [{"type": i.type, "amount": i.amount} for i in d.items.all()]
    pays = any(i["type"] in {"fine", "confiscate_gains"} for i in items)
    review = _opinion(case, "notice_review")
    response = party.response or {}
    ctx.update(
        number=d.number,
        outcome=d.outcome,
        facts=sentence(d.facts or case.facts),
        evidence=evidence_list(case),
        basis=d.basis or ctx["matter_basis"],
        penalties=penalty_text(items),
        reason=d.reason,
        pays=pays,
        party_hearing=party.hearing_right,
        performance=d.performance or _payment_default(),
        payment_days=rules.chinese_number(PAYMENT.amount),
        payment_citation=PAYMENT.citation,
        payment_due=cn_date(d.payment_due),
        decided_on=cn_date(d.decided_on),
        response=ResponseKind.label_of(response.get("kind", "")),
        statement=str(response.get("statement", "")),
        review=review,
        reconsideration_body=reconsideration_body(case.unit),
        reconsideration_route=rules.RECONSIDERATION_ROUTE,
        litigation_route=rules.LITIGATION_ROUTE,
        non_suspension=rules.NON_SUSPENSION_NOTE,
        notice_served=_notice_served(case),
    )
    if d.outcome == Decision.Outcome.NO_PENALTY:
        ctx["title"] = NO_PENALTY_TITLE


def _notice_served(case: Case) -> str:
    notice = latest_entry(case, "notice_issue")
    if notice is None:
        return ""
    served = entry_result(notice).get("served_on") or entry_data(notice).get("served_on")
    return cn_date(str(served)) if served else cn_date(notice.at)


def _delivery_receipt(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    assert party is not None
    d: dict[str, Any] = _for_party(entry_data(entry).get("deliveries", []), party)
    decision = Decision.objects.filter(party=party).first()
    served_title = (
        NO_PENALTY_TITLE
        if decision and decision.outcome == Decision.Outcome.NO_PENALTY
        else KINDS["decision"].title
    )
    ctx.update(
        served_title=served_title,
        served_number=decision.number if decision else "",
        method=DeliveryMethod.label_of(d.get("method", ""), str(d.get("method", ""))),
        delivered_on=cn_date(d.get("delivered_on")),
        issued_on=cn_date(d.get("delivered_on")),
        receiver=str(d.get("receiver", "")),
        witness=str(d.get("witness", "")),
        delivery_place=party.address,
    )


def _closing_report(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    decisions = []
    for d in Decision.objects.filter(case=case).select_related("party").prefetch_related("items"):
        execution = d.execution or {}
        decisions.append(
            {
                "party": d.party.name,
                "number": d.number,
                "title": NO_PENALTY_TITLE
                if d.outcome == DecisionOutcome.NO_PENALTY
                else "行政处罚决定书",
                "penalties": penalty_text(
                    {"type": i.type, "amount": i.amount} for i in d.items.all()
                )
                or "不予行政处罚",
                "delivered_on": cn_date(d.delivered_on),
                "execution": ExecutionKind.label_of(execution.get("kind", ""))
                + (f"（{cn_date(d.executed_on)}）" if d.executed_on else ""),
            }
        )
    ctx.update(
        outcome=case.get_outcome_display() if case.outcome else "",
        facts=sentence(case.facts),
        filed_on=cn_date(case.filed_on),
        closed_on=cn_date(case.closed_on or local(entry.at).date()),
        issued_on=cn_date(case.closed_on or local(entry.at).date()),
        decisions=decisions,
        opinion=str(entry_data(entry).get("opinion", "")),
        approver=entry.actor_name,
    )


def _on_spot_decision(case: Case, party: Party | None, entry: Entry, ctx: Context) -> None:
    assert party is not None
    d = Decision.objects.prefetch_related("items").get(party=party)
    data = entry_data(entry)
    at = local(entry.at)
    items = [{"type": i.type, "amount": i.amount} for i in d.items.all()]
    ctx.update(
        number=d.number,
        facts=sentence(d.facts),
        basis=d.basis or ctx["matter_basis"],
        penalties=penalty_text(items),
        decided_at=f"{cn_date(at)}{at.hour}时{at.minute:02d}分",
        decided_on=cn_date(d.decided_on),
        spot=str(data.get("place", "")) or case.place,
        performance=d.performance or f"当场缴纳或者{_payment_default()}",
        payment_citation=PAYMENT.citation,
        officers=[o for o in (ctx["handler"], ctx["co_handler"]) if o["name"]],
        reconsideration_body=reconsideration_body(case.unit),
        reconsideration_route=rules.RECONSIDERATION_ROUTE,
        litigation_route=rules.LITIGATION_ROUTE,
        non_suspension=rules.NON_SUSPENSION_NOTE,
    )


BUILDERS: dict[str, Callable[[Case, Party | None, Entry, Context], None]] = {
    "filing_form": _filing_form,
    "inquiry_record": _records(RecordKind.INQUIRY),
    "inspection_record": _records(RecordKind.INSPECTION),
    "investigation_report": _investigation_report,
    "legal_review_opinion": _legal_review,
    "penalty_notice": _penalty_notice,
    "hearing_notice": _hearing,
    "hearing_record": _hearing,
    "decision": _decision,
    "delivery_receipt": _delivery_receipt,
    "closing_report": _closing_report,
    "on_spot_decision": _on_spot_decision,
}


def document_context(case: Case, kind: str, party: Party | None, entry: Entry) -> Context:
    ctx = base_context(case, kind, party, entry)
    BUILDERS[kind](case, party, entry, ctx)
    return ctx
