"""What the documents of one enforcement record say (行政强制执行 after a penalty decision): the
催告书 (行政强制法第三十五条), 强制执行决定书 (第三十七条), 代履行决定书 and 代履行催告书
(第五十一条), 执行协议 (第四十二条), 中止执行决定书 (第三十九条), 终结执行决定书 (第四十条),
强制执行申请书 (第五十五条), 立即代履行事后告知书 (第五十二条), 代履行费用缴纳通知书 (第五十一条
第二款) and 执行回转决定书 (第四十一条).

A plain dict built from the record's row, its decision and the ledger entry the document renders,
as documents/measure_content.py does for a coercive measure; and the reasons a document cannot be
issued (what the article requires it to state is missing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from cases.models import Case, PenaltyItem
from documents.content import (
    Context,
    amount_upper,
    base_context,
    cn_date,
    entry_data,
    entry_result,
    local,
    party_context,
    penalty_text,
    reconsideration_body,
    sentence,
)
from documents.models import Document
from enforcement import selectors as enforcement_selectors
from enforcement.models import EnforcementRecord
from law import enforcement as rules
from law import rules as law_rules
from law.enforcement import OBLIGATIONS, Obligation
from ledger.models import Entry
from orgs.models import User
from procedure.enforcement import SELF_TYPES

LAW = "《中华人民共和国行政强制法》"

# The documents served on the party: they name the party and its address (第三十七条第二款第一项,
# 第五十一条第一款第一项; 第三十八条: 催告书、行政强制执行决定书应当直接送达当事人).
ADDRESSED = {
    "enforcement_notice": "第三十八条",
    "enforcement_decision": "第三十七条第二款第一项",
    "substitute_decision": "第五十一条第一款第一项",
    "substitute_notice": "第五十一条第一款第二项",
    "court_application": "第五十五条",
    "immediate_substitute_notice": "第五十二条",
    "substitute_cost_notice": "第五十一条第二款",
    "reversal_decision": "第四十一条",
}
ROUTES = {
    "agency": "行政机关强制执行",
    "substitute": "代履行",
    "court": "申请人民法院强制执行",
}


def _money(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def money_text(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return f"人民币{amount_upper(amount)}（¥{amount:.2f}）"


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _document_number(record: EnforcementRecord, kind: str) -> str:
    doc = (
        Document.objects.filter(subject_kind="enforcement", subject_id=record.pk, kind=kind)
        .order_by("-version")
        .first()
    )
    return doc.number if doc is not None else ""


def _step_entry(case: Case, record: EnforcementRecord, step: str, decision: str) -> Entry | None:
    for e in Entry.objects.filter(
        stream=case.stream, action="enforcement", payload__enforcement=record.pk
    ).order_by("-seq"):
        if e.payload.get("step") == step and e.payload.get("decision") == decision:
            return e
    return None


def enforcement_context(case: Case, record: EnforcementRecord, kind: str, entry: Entry) -> Context:
    ctx = base_context(case, kind, None, entry)
    decision = record.decision
    party = party_context(decision.party)
    on = local(entry.at).date()
    fine = enforcement_selectors.fine_of(decision)
    surcharge = enforcement_selectors.surcharge_of(decision, on)
    added = surcharge.amount if surcharge is not None else Decimal("0")
    items = [
        {"type": i.type, "amount": i.amount} for i in PenaltyItem.objects.filter(decision=decision)
    ]
    matter = case.matter
    notice = dict(record.notice or {})
    detail: dict[str, Any] = dict(record.detail or {})
    statements: dict[str, Any] = dict(record.statement or {})
    ctx.update(
        parties=[party],
        party=party,
        cause=ctx["matter_name"] or sentence(case.clue),
        decision_number=decision.number,
        decided_on=cn_date(decision.decided_on),
        delivered_on=cn_date(decision.delivered_on),
        payment_due=cn_date(decision.payment_due),
        penalties=penalty_text(items),
        performance=sentence(decision.performance),
        facts=sentence(decision.facts or case.facts),
        decision_basis=sentence(decision.basis or ctx["matter_basis"]),
        fine=money_text(fine) if fine else "",
        surcharge=money_text(added) if added else "",
        surcharge_days=surcharge.days if surcharge is not None else 0,
        owed=money_text(fine + added) if fine and record.obligation == Obligation.MONEY else "",
        # The law's grant only where it covers what this record enforces (第十三条); otherwise
        # the notice and the decision speak of the court.
        power_basis=(
            matter.enforcement_power_basis
            if matter and not enforcement_selectors.court_bound(record)
            else ""
        ),
        reconsideration_body=reconsideration_body(case.unit),
        reconsideration_route=law_rules.RECONSIDERATION_ROUTE,
        litigation_route=law_rules.LITIGATION_ROUTE,
        notice_number=_document_number(record, "enforcement_notice"),
        notice_issued_on=cn_date(notice.get("issued_on")),
        notice_served_on=cn_date(record.notice_served_on),
        notice_term_ends=cn_date(notice.get("term_ends")),
        notice_manner=sentence(str(notice.get("manner", ""))),
        notice_amount=money_text(_money(notice.get("amount"))),
        # What this record enforces (行政强制法第三十五条): money, or the act the decision orders;
        # the notice and the decision speak of that one only.
        money=record.obligation == Obligation.MONEY,
        obligation_name=OBLIGATIONS.get(enforcement_selectors.obligation_of(record), ""),
        act=sentence(str(notice.get("act", ""))),
        has_fine=bool(fine),
        # The document is dated on the day of the entry it renders (not the penalty decision's).
        issued_on=cn_date(on),
    )
    data, result = entry_data(entry), entry_result(entry)
    if kind == "enforcement_notice":
        amount = _money(data.get("amount"))
        ctx.update(
            term_ends=cn_date(data.get("term_ends")),
            manner=sentence(str(data.get("manner", ""))),
            amount=money_text(amount) if amount else "",
            amount_given=amount is not None,
            rights_told=bool(data.get("rights_told")),
        )
    elif kind == "enforcement_decision":
        drafted = dict(detail.get("decision") or {})
        etype = str(drafted.get("type", ""))
        ctx.update(
            reason=sentence(str(drafted.get("reason", ""))),
            manner=SELF_TYPES.get(etype, ""),
            planned_on=cn_date(drafted.get("planned_on")),
            remedies_told=bool(drafted.get("remedies_told")),
            approved_by=entry.actor_name,
            immediate=bool(detail.get("immediate")),
        )
    elif kind in ("substitute_decision", "substitute_notice"):
        sub = dict(detail.get("substitute") or {})
        budget = _money(data.get("budget"))
        ctx.update(
            reason=sentence(str(data.get("reason", ""))),
            manner=sentence(str(data.get("manner", ""))),
            object=sentence(str(data.get("object", ""))),
            performer=sentence(str(data.get("performer", ""))),
            budget=money_text(budget) if budget is not None else "",
            planned_on=cn_date(data.get("planned_on")),
            notice_by=cn_date(result.get("notice_by")),
            notice_days=law_rules.chinese_number(3),
            sub_served_on=cn_date(sub.get("served_on")),
            substitute_number=_document_number(record, "substitute_decision"),
        )
    elif kind == "enforcement_agreement":
        stages = []
        for n, row in enumerate(data.get("stages") or [], start=1):
            amount = _money(row.get("amount")) if isinstance(row, dict) else None
            stages.append(
                {
                    "n": str(n),
                    "due": cn_date(_day(row.get("due")) if isinstance(row, dict) else None),
                    "amount": money_text(amount),
                }
            )
        waived = _money(data.get("waived")) or Decimal("0")
        ctx.update(
            stages=stages,
            waived=money_text(waived) if waived else "",
            waived_given=waived > 0,
            remedied=bool(data.get("remedied")),
        )
    elif kind in ("suspension_decision", "termination_decision"):
        grounds = rules.SUSPEND_GROUNDS if kind == "suspension_decision" else rules.END_GROUNDS
        raw = str(data.get("ground", ""))
        ground = next((text for key, text in grounds.items() if key == raw), "")
        ctx.update(
            ground=ground,
            reason=sentence(str(data.get("reason", ""))),
            on=cn_date(on),
            alarm_on=cn_date(result.get("alarm_on")),
        )
    elif kind == "court_application":
        court = dict(detail.get("court") or {})
        statement = dict(statements.get("en_statement") or {})
        review = dict(statements.get("en_review") or {})
        drafted_by = _step_entry(case, record, "en_court_apply", "draft")
        ctx.update(
            court=sentence(str(court.get("court", ""))),
            signed=bool(data.get("signed")),
            head=entry.actor_name,
            head_user=_head(entry),
            drafted_on=cn_date(drafted_by.at) if drafted_by else "",
            statement=(
                "当事人未提出陈述、申辩"
                if statement.get("no_statement")
                else sentence(str(statement.get("statement", "")))
            ),
            review_opinion=sentence(str(review.get("opinion") or review.get("reason") or "")),
            materials=_materials(ctx),
        )
    elif kind in ("immediate_substitute_notice", "substitute_cost_notice"):
        sub = dict(detail.get("substitute") or {})
        carried = dict(sub.get("carried") or {})
        cost = _money(sub.get("cost"))
        at = carried.get("carried_out_at")
        thing = rules.IMMEDIATE_OBJECTS.get(str(sub.get("object", "")), "")
        place = rules.IMMEDIATE_PLACES.get(str(sub.get("place", "")), "")
        ctx.update(
            # An immediate 代履行 names the thing by its kind and place (第五十二条).
            object=(
                f"{place}上的{thing}" if record.immediate else sentence(str(sub.get("object", "")))
            ),
            immediate=record.immediate,
            immediate_object=thing,
            immediate_place=place,
            situation=sentence(str(sub.get("reason", ""))),
            absent=bool(sub.get("party_absent")),
            substitute_decided_on=cn_date(sub.get("decided_on")),
            carried_on=cn_date(dt.datetime.fromisoformat(str(at))) if at else "",
            manner=sentence(str(sub.get("manner", ""))),
            performer=sentence(str(sub.get("performer", ""))),
            budget=money_text(_money(sub.get("budget"))),
            substitute_number=_document_number(record, "substitute_decision"),
            cost=money_text(cost) if cost else "",
            cost_given=cost is not None,
            cost_term_ends=cn_date(_day(sub.get("cost_term_ends"))),
        )
    elif kind == "reversal_decision":
        ctx.update(
            route=ROUTES.get(record.route, "强制执行"),
            completed_on=cn_date(record.completed_on),
            cause=rules.REVERSAL_CAUSES.get(str(data.get("cause", "")), ""),
            remedy=rules.REVERSAL_REMEDIES.get(str(data.get("remedy", "")), ""),
            reason=sentence(str(data.get("reason", ""))),
            compensate=data.get("remedy") == "compensate",
        )
    return ctx


def _head(entry: Entry) -> str:
    user = User.objects.filter(pk=entry.actor_id).first() if entry.actor_id else None
    return str(user) if user else entry.actor_name


def _materials(ctx: Context) -> list[str]:
    """行政强制法第五十五条第一款: the materials the application carries."""
    notice = f"《催告书》（{ctx['notice_number']}）" if ctx["notice_number"] else "《催告书》"
    return [
        "强制执行申请书（第五十五条第一款第一项）",
        f"《行政处罚决定书》（{ctx['decision_number']}）及作出决定的事实、理由和依据"
        "（第五十五条第一款第二项）",
        f"当事人的意见及行政机关催告情况：{notice}及其送达凭证，当事人的陈述、申辩及复核意见"
        "（第五十五条第一款第三项）",
        f"申请强制执行标的情况：{ctx['owed'] or '行政决定确定的义务'}（第五十五条第一款第四项）",
        "法律、行政法规规定的其他材料（第五十五条第一款第五项）",
    ]


def content_errors(kind: str, ctx: Context) -> list[str]:
    """Why the document cannot be issued: what the article requires it to state is missing."""
    title = f"《{ctx['title']}》"
    errors: list[str] = []
    party = ctx["party"]
    if not party["name"].strip():
        errors.append(f"{title}须写明当事人的姓名或者名称")
    article = ADDRESSED.get(kind)
    if article and not party["address"].strip():
        errors.append(
            f"当事人“{party['name']}”的住址（住所）未登记，{title}须写明当事人的地址并送达当事人"
            f"（{LAW}{article}）"
        )
    if kind == "enforcement_notice":
        if not ctx["term_ends"]:
            errors.append(f"{title}须写明履行义务的期限（{LAW}第三十五条第一项）")
        if not ctx["manner"]:
            errors.append(f"{title}须写明履行义务的方式（{LAW}第三十五条第二项）")
        if ctx["money"] and not ctx["amount"]:
            errors.append(
                f"催告履行金钱给付义务（罚款{ctx['fine']}），{title}须写明金额和给付方式"
                f"（{LAW}第三十五条第三项）"
            )
        if not ctx["money"] and not ctx["act"]:
            errors.append(f"催告履行行为义务，{title}须写明当事人应当履行的事项（{LAW}第三十五条）")
        if not ctx["rights_told"]:
            errors.append(f"{title}须写明当事人依法享有的陈述权和申辩权（{LAW}第三十五条第四项）")
    elif kind == "enforcement_decision":
        if not ctx["reason"]:
            errors.append(f"{title}须写明强制执行的理由和依据（{LAW}第三十七条第二款第二项）")
        if not ctx["manner"]:
            errors.append(f"{title}须写明强制执行的方式（{LAW}第三十七条第二款第三项）")
        if not ctx["planned_on"]:
            errors.append(
                f"{title}须写明强制执行的时间：强制执行决定未填写执行时间"
                f"（{LAW}第三十七条第二款第三项）"
            )
        if not ctx["remedies_told"]:
            errors.append(
                f"{title}须写明申请行政复议或者提起行政诉讼的途径和期限"
                f"（{LAW}第三十七条第二款第四项）"
            )
    elif kind in ("substitute_decision", "substitute_notice"):
        for key, label in (
            ("reason", "代履行的理由和依据"),
            ("manner", "代履行的方式"),
            ("planned_on", "代履行的时间"),
            ("object", "代履行的标的"),
            ("budget", "代履行的费用预算"),
            ("performer", "代履行人"),
        ):
            if not ctx[key]:
                errors.append(f"{title}须写明{label}（{LAW}第五十一条第一款第一项）")
        if kind == "substitute_notice" and not ctx["substitute_number"]:
            errors.append(
                "请先出具《代履行决定书》：代履行决定书应当在代履行前送达，"
                f"代履行三日前再催告当事人履行（{LAW}第五十一条第一款）"
            )
    elif kind == "enforcement_agreement":
        if not ctx["stages"]:
            errors.append(f"{title}须写明约定的履行阶段（{LAW}第四十二条第一款）")
        if ctx["waived_given"] and not ctx["remedied"]:
            errors.append(
                f"当事人未采取补救措施，{title}不得减免加处的罚款（{LAW}第四十二条第一款）"
            )
    elif kind == "suspension_decision":
        if not ctx["ground"]:
            errors.append(f"{title}须写明中止执行的情形（{LAW}第三十九条第一款）")
        if not ctx["reason"]:
            errors.append(f"{title}须写明中止执行的理由")
    elif kind == "termination_decision":
        if not ctx["ground"]:
            errors.append(f"{title}须写明终结执行的情形（{LAW}第四十条）")
        if not ctx["reason"]:
            errors.append(f"{title}须写明终结执行的理由")
    elif kind == "court_application":
        if not ctx["court"]:
            errors.append(f"{title}须写明受理申请的人民法院")
        if not ctx["notice_served_on"]:
            errors.append(
                f"{title}须写明行政机关催告情况：催告书的送达日期未登记（{LAW}第五十四条、第五十五条第一款第三项）"
            )
        elif not ctx["notice_number"]:
            errors.append(
                f"请先出具《催告书》：申请材料须包括行政机关催告情况（{LAW}第五十五条第一款第三项）"
            )
        if not ctx["signed"]:
            errors.append(
                f"{title}应当由行政机关负责人签名，加盖行政机关的印章（{LAW}第五十五条第二款）"
            )
    elif kind == "immediate_substitute_notice":
        if not ctx["immediate_object"] or not ctx["immediate_place"]:
            errors.append(
                f"{title}须写明在道路、河道、航道或者公共场所清除的遗洒物、障碍物或者污染物"
                f"（{LAW}第五十二条）"
            )
        if not ctx["carried_on"]:
            errors.append(
                f"请先记录实施代履行：{title}在立即实施代履行后通知当事人（{LAW}第五十二条）"
            )
    elif kind == "substitute_cost_notice":
        if not ctx["cost"]:
            errors.append(f"代履行费用未确定或者为零，无需出具{title}（{LAW}第五十一条第二款）")
        elif not ctx["cost_term_ends"]:
            errors.append(f"{title}须写明缴纳代履行费用的期限（{LAW}第五十一条第二款）")
    elif kind == "reversal_decision":
        if not ctx["cause"]:
            errors.append(
                f"{title}须写明执行回转的原因：据以执行的行政决定被撤销、变更，或者执行错误"
                f"（{LAW}第四十一条）"
            )
        if not ctx["remedy"]:
            errors.append(f"{title}须写明恢复原状、退还财物或者依法给予赔偿（{LAW}第四十一条）")
        if not ctx["reason"]:
            errors.append(f"{title}须写明撤销、变更据以执行的行政决定的文书或者执行错误的情况")
    return errors
