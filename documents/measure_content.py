"""What the documents of one coercive measure say (行政强制法): the 查封（扣押）决定书 and
its 清单, the 现场笔录, the 冻结通知书 and 冻结决定书, the 延长 and 解除 documents.

A plain dict built from the measure's row, the case and the measure's ledger entry the document
renders, as documents/content.py does for the case's own documents; and the reasons a document
cannot be issued yet (what the law requires it to state is missing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from cases.models import Case
from coercion.models import CoerciveMeasure
from documents.content import (
    Context,
    amount_upper,
    base_context,
    cn_date,
    entry_data,
    entry_result,
    local,
    officer,
    reconsideration_body,
    sentence,
)
from documents.models import Document
from law import coercion as measure_rules
from law import rules
from ledger.models import Entry
from orgs.models import User
from procedure.coercion import LIFT_GROUNDS

TYPE_WORD = {"seal_up": "查封", "seize": "扣押", "freeze": "冻结"}

TITLES = {
    "measure_decision": "{w}决定书",
    "measure_list": "{w}清单",
    "measure_record": "{w}现场笔录",
    "freeze_notice": "冻结通知书",
    "freeze_decision": "冻结决定书",
    "measure_extension": "延长{w}期限决定书",
    "measure_lift": "解除{w}决定书",
    "unfreeze_notice": "解除冻结通知书",
}

# The documents addressed to the party, which must name the party and its address
# (行政强制法第二十四条第二款第一项; 冻结决定书: 第三十一条第二款第一项).
ADDRESSED = frozenset(
    {"measure_decision", "freeze_decision", "measure_extension", "measure_lift", "unfreeze_notice"}
)

NON_SUSPENSION = (
    "申请行政复议或者提起行政诉讼的，不停止本决定的执行"
    "（《中华人民共和国行政复议法》第四十二条、《中华人民共和国行政诉讼法》第五十六条），"
    "法律另有规定的除外"
)

# 行政强制法第十八条: the on-site duties as the 现场笔录 states them.
ON_SITE_LINES = (
    ("certificate_shown", "执法人员向当事人出示了执法身份证件，表明了身份"),
    ("party_notified", "执法人员通知了当事人到场"),
    ("told", "当场告知了当事人采取行政强制措施的理由、依据以及当事人依法享有的权利、救济途径"),
    ("statements_heard", "听取了当事人的陈述和申辩"),
)


def measure_title(kind: str, measure_type: str) -> str:
    return TITLES[kind].format(w=TYPE_WORD.get(measure_type, ""))


def _moment(at: dt.datetime | None) -> str:
    if at is None:
        return ""
    at = local(at)
    return f"{cn_date(at.date())}{at.hour}时{at.minute:02d}分"


def _amount(value: object) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _items(measure: CoerciveMeasure) -> list[dict[str, str]]:
    out = []
    for n, row in enumerate(measure.items or [], start=1):
        item = {k: str(v) for k, v in dict(row).items()}
        amount = _amount(item.get("amount", ""))
        item["n"] = str(n)
        item["amount_text"] = (
            f"人民币{amount_upper(amount)}（¥{amount:.2f}）" if amount is not None else ""
        )
        out.append(item)
    return out


def _decision_number(measure: CoerciveMeasure) -> str:
    """The number of the measure's issued 决定书 (冻结: 冻结决定书), latest version."""
    kind = "freeze_decision" if measure.type == "freeze" else "measure_decision"
    doc = (
        Document.objects.filter(subject_kind="measure", subject_id=measure.pk, kind=kind)
        .order_by("-version")
        .first()
    )
    return doc.number if doc is not None else ""


def _carried_out(case: Case, measure: CoerciveMeasure) -> Entry | None:
    return (
        Entry.objects.filter(
            stream=case.stream, action__in=("cm_carry_out", "cm_apply"), payload__measure=measure.pk
        )
        .filter(payload__decision__in=("carry_out", "emergency"))
        .order_by("-seq")
        .first()
    )


def measure_context(case: Case, measure: CoerciveMeasure, kind: str, entry: Entry) -> Context:
    ctx = base_context(case, kind, None, entry)
    word = TYPE_WORD.get(measure.type, "")
    mtype = measure_rules.MeasureType(measure.type)
    period = measure_rules.period_limit(mtype)
    extension = measure_rules.extension_limit(mtype)
    carried = (
        entry if kind not in ("measure_extension", "measure_lift", "unfreeze_notice") else None
    )
    carried = carried or _carried_out(case, measure)
    due = entry_result(carried).get("due_on") if carried is not None else None
    users = {u.pk: u for u in User.objects.filter(pk__in=[int(o) for o in measure.officers or []])}
    items = _items(measure)
    total = sum((_amount(i.get("amount", "")) or Decimal(0) for i in items), Decimal(0))
    ctx.update(
        title=measure_title(kind, measure.type),
        word=word,
        # 案由: the matter once it is chosen, else the clue the case was registered on.
        cause=ctx["matter_name"] or sentence(case.clue),
        measure_type=measure.type,
        is_freeze=measure.type == "freeze",
        reason=sentence(measure.reason),
        basis=measure.basis.strip(),
        emergency=measure.emergency,
        emergency_reason=sentence(measure.emergency_reason),
        items=items,
        banks="、".join(dict.fromkeys(i.get("bank", "") for i in items if i.get("bank"))),
        total=f"人民币{amount_upper(total)}（¥{total:.2f}）" if total else "",
        carried_out_at=_moment(measure.carried_out_at),
        carried_out_on=cn_date(measure.on),
        due_on=cn_date(str(due)) if due else cn_date(measure.due_on),
        period_days=rules.chinese_number(period.amount),
        period_citation=period.citation,
        extension_days_max=rules.chinese_number(extension.amount),
        extension_citation=extension.citation,
        officers=[officer(users.get(int(o))) for o in measure.officers or []],
        approved_on=cn_date(measure.approved_at),
        spot=case.place,
        reconsideration_body=reconsideration_body(case.unit),
        reconsideration_route=rules.RECONSIDERATION_ROUTE,
        litigation_route=rules.LITIGATION_ROUTE,
        non_suspension=NON_SUSPENSION,
        decision_number=_decision_number(measure),
    )
    if kind == "measure_list":
        ctx["number"] = ctx["decision_number"]
    if kind == "measure_record":
        _record(measure, ctx)
    if kind == "measure_extension":
        _extension(measure, entry, ctx)
    if kind in ("measure_lift", "unfreeze_notice"):
        _lift(entry, ctx)
    return ctx


def _record(measure: CoerciveMeasure, ctx: Context) -> None:
    site: dict[str, Any] = dict(measure.on_site or {})
    lines = [text for flag, text in ON_SITE_LINES if site.get(flag)]
    if site.get("party_present"):
        lines.append("当事人到场")
        if site.get("party_signed"):
            lines.append("当事人在笔录上签名（盖章）")
        elif site.get("refusal_note"):
            lines.append(f"当事人拒绝签名或者盖章：{sentence(str(site['refusal_note']))}")
    elif site.get("witness"):
        lines.append(f"当事人不到场，邀请见证人{site['witness']}到场，由见证人签名（盖章）")
    if site.get("decision_delivered"):
        lines.append(
            "当场交付了冻结通知书" if measure.type == "freeze" else "当场交付了决定书和清单"
        )
    ctx.update(
        on_site_lines=lines,
        witness=str(site.get("witness", "")),
        party_present=bool(site.get("party_present")),
        record_made=bool(site.get("record_made")),
    )


def _extension(measure: CoerciveMeasure, entry: Entry, ctx: Context) -> None:
    data, result = entry_data(entry), entry_result(entry)
    days = int(data.get("days") or 0)
    until = result.get("extended_until")
    until_day = dt.date.fromisoformat(str(until)[:10]) if until else None
    ctx.update(
        extension_days=rules.chinese_number(days) if 0 < days < 100 else "",
        extension_reason=sentence(str(data.get("reason", ""))),
        extended_from=cn_date(until_day - dt.timedelta(days=days)) if until_day else "",
        extended_until=cn_date(until_day),
    )


def _lift(entry: Entry, ctx: Context) -> None:
    data, result = entry_data(entry), entry_result(entry)
    if entry.action == "cm_report":
        ground = "当场实施后补办批准手续未获批准（《中华人民共和国行政强制法》第十九条）"
    else:
        ground = LIFT_GROUNDS.get(str(data.get("ground", "")), "")
    lifted = result.get("lifted_on") or local(entry.at).date().isoformat()
    ctx.update(
        lift_ground=ground,
        lift_reason=sentence(str(data.get("reason", ""))),
        lifted_on=cn_date(str(lifted)),
    )


def content_errors(kind: str, ctx: Context) -> list[str]:
    """Why the document cannot be issued: what the law requires it to state is missing."""
    title = f"《{ctx['title']}》"
    errors: list[str] = []
    if not ctx["parties"]:
        errors.append(f"案件尚未登记当事人，{title}须写明当事人的姓名或者名称")
    if kind in ADDRESSED:
        article = "第三十一条第二款第一项" if ctx["is_freeze"] else "第二十四条第二款第一项"
        for p in ctx["parties"]:
            if not p["address"].strip():
                errors.append(
                    f"当事人“{p['name']}”的住址（住所）未登记，{title}须写明当事人的地址"
                    f"（《中华人民共和国行政强制法》{article}）"
                )
    if kind in ("measure_decision", "freeze_decision", "freeze_notice"):
        if not ctx["reason"] or not ctx["basis"]:
            errors.append(f"{title}须写明采取行政强制措施的理由和依据")
        if not ctx["due_on"]:
            errors.append(f"{title}须写明期限：该措施的期限届满日未登记")
    listed = ("measure_decision", "measure_list", "freeze_decision", "freeze_notice")
    if kind in listed and not ctx["items"]:
        errors.append(f"{title}须列明场所、设施、财物或者冻结的账户和数额：清单为空")
    if ctx["is_freeze"] and kind in ("freeze_decision", "freeze_notice"):
        for i in ctx["items"]:
            if not (i.get("bank") and i.get("account") and i.get("amount_text")):
                errors.append(f"冻结清单第{i['n']}项须写明金融机构、账号和数额")
    if kind == "measure_list" and not ctx["number"]:
        errors.append(
            f"请先出具《{measure_title('measure_decision', ctx['measure_type'])}》："
            "清单是决定书的组成部分，使用决定书的文号（《中华人民共和国行政强制法》第二十四条）"
        )
    if kind == "measure_record" and len(ctx["officers"]) < 2:
        errors.append(
            f"{title}须写明实施的两名以上执法人员（《中华人民共和国行政强制法》第十八条）"
        )
    if kind == "measure_extension" and not (ctx["extended_until"] and ctx["extension_reason"]):
        errors.append(f"{title}须写明延长的期限和理由（《中华人民共和国行政强制法》第二十五条）")
    if kind in ("measure_lift", "unfreeze_notice") and not ctx["lift_reason"]:
        errors.append(f"{title}须写明解除的理由")
    return errors
