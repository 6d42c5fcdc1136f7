"""The document set: which step's ledger entry each document renders, and how it is numbered."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    # The ledger action (step) whose entry the document renders, and the decisions of that
    # entry that produce it (empty: any).
    action: str
    decisions: frozenset[str] = frozenset()
    # One document per party (告知书, 决定书, 送达回证…) or one per case.
    per_party: bool = False
    # The 文号 label after the unit's short name (聊城管 + 罚告 + 〔2025〕3号); None when the
    # number is assigned by the case itself (立案编号, 决定书文号).
    label: str | None = None
    # A document of a subject within the case (a coercive measure…), one per subject: the
    # subject's kind ("measure"), the (step, decision) pairs of the subject's entries it renders,
    # and the measure types it is for.
    subject: str = ""
    sources: frozenset[tuple[str, str]] = frozenset()
    types: frozenset[str] = frozenset()


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("filing_form", "立案审批表", "filing_approve", frozenset({"approve"})),
        Kind("inquiry_record", "询问笔录", "investigation", label="罚询"),
        Kind("inspection_record", "现场检查（勘验）笔录", "investigation", label="罚勘"),
        Kind("investigation_report", "案件调查终结报告", "investigation_report", label="罚终"),
        Kind("legal_review_opinion", "法制审核意见书", "legal_review", label="法审"),
        Kind("penalty_notice", "行政处罚事先告知书", "notice_issue", per_party=True, label="罚告"),
        Kind("hearing_notice", "听证通知书", "notice_response", per_party=True, label="听通"),
        Kind("hearing_record", "听证笔录", "notice_response", per_party=True, label="听笔"),
        Kind("decision", "行政处罚决定书", "decision_issue", per_party=True),
        Kind("delivery_receipt", "送达回证", "delivery", per_party=True, label="送"),
        Kind("closing_report", "结案报告", "closing_approve", frozenset({"approve"}), label="结"),
        Kind("on_spot_decision", "当场行政处罚决定书", "simple_decide", per_party=True),
    )
}

NO_PENALTY_TITLE = "不予行政处罚决定书"

# The entries of a coercive measure (procedure/coercion.py) its documents render: the measure
# carried out (after approval, or on the spot in an emergency), extended, lifted.
_CARRIED_OUT = frozenset({("cm_carry_out", "carry_out"), ("cm_apply", "emergency")})
_EXTENDED = frozenset({("cm_extend", "approve")})
_LIFTED = frozenset({("cm_in_force", "lift"), ("cm_appraisal", "lift"), ("cm_report", "reject")})
_SEIZURES = frozenset({"seal_up", "seize"})
_FREEZE = frozenset({"freeze"})
_ALL = _SEIZURES | _FREEZE

# 行政强制法第二十四条 (查封、扣押决定书和清单), 第二十五条 (延长), 第二十八条 (解除),
# 第十八条第七项 (现场笔录), 第三十条、第三十一条 (冻结通知书、冻结决定书), 第三十二条 (延长),
# 第三十三条 (解除冻结).
SUBJECT_KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "measure_decision",
            "查封（扣押）决定书",
            "",
            subject="measure",
            label="强决",
            sources=_CARRIED_OUT,
            types=_SEIZURES,
        ),
        Kind(
            "measure_list",
            "查封（扣押）清单",
            "",
            subject="measure",
            sources=_CARRIED_OUT,
            types=_SEIZURES,
        ),
        Kind(
            "measure_record",
            "现场笔录",
            "",
            subject="measure",
            label="强笔",
            sources=_CARRIED_OUT,
            types=_ALL,
        ),
        Kind(
            "freeze_notice",
            "冻结通知书",
            "",
            subject="measure",
            label="冻通",
            sources=_CARRIED_OUT,
            types=_FREEZE,
        ),
        Kind(
            "freeze_decision",
            "冻结决定书",
            "",
            subject="measure",
            label="冻决",
            sources=_CARRIED_OUT,
            types=_FREEZE,
        ),
        Kind(
            "measure_extension",
            "延长查封（扣押）期限决定书",
            "",
            subject="measure",
            label="强延",
            sources=_EXTENDED,
            types=_ALL,
        ),
        Kind(
            "measure_lift",
            "解除查封（扣押）决定书",
            "",
            subject="measure",
            label="强解",
            sources=_LIFTED,
            types=_SEIZURES,
        ),
        Kind(
            "unfreeze_notice",
            "解除冻结通知书",
            "",
            subject="measure",
            label="解冻",
            sources=_LIFTED,
            types=_FREEZE,
        ),
    )
}

# The documents of one enforcement record (行政强制执行 after a decision, procedure/enforcement.py),
# one set per record. Its entries are all ``enforcement`` entries naming the record and the step
# (payload ``enforcement``, ``step``): `sources` are (step, decision) pairs; an empty step is any
# step (中止 and 终结 are open at every step). 行政强制法第三十五条 (催告书), 第三十七条 (强制执行
# 决定书), 第五十一条 (代履行决定书, 代履行前的催告), 第四十二条 (执行协议), 第三十九条 (中止),
# 第四十条 (终结), 第五十五条 (强制执行申请书), 第五十二条 (立即代履行的事后告知), 第五十一条
# 第二款 (代履行费用), 第四十一条 (执行回转).
ENFORCEMENT_KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "enforcement_notice",
            "催告书",
            "",
            subject="enforcement",
            label="强催",
            sources=frozenset({("en_notice", "issue")}),
        ),
        Kind(
            "enforcement_decision",
            "强制执行决定书",
            "",
            subject="enforcement",
            label="强执决",
            sources=frozenset({("en_decide_approve", "approve")}),
        ),
        Kind(
            "substitute_decision",
            "代履行决定书",
            "",
            subject="enforcement",
            label="代履决",
            sources=frozenset({("en_sub_decide", "decide")}),
        ),
        Kind(
            "substitute_notice",
            "代履行催告书",
            "",
            subject="enforcement",
            label="代履催",
            sources=frozenset({("en_sub_decide", "decide")}),
        ),
        Kind(
            "enforcement_agreement",
            "执行协议",
            "",
            subject="enforcement",
            label="执协",
            sources=frozenset({("en_route", "agreement")}),
        ),
        Kind(
            "suspension_decision",
            "中止执行决定书",
            "",
            subject="enforcement",
            label="中止",
            sources=frozenset({("", "suspend")}),
        ),
        Kind(
            "termination_decision",
            "终结执行决定书",
            "",
            subject="enforcement",
            label="终结",
            sources=frozenset({("", "end")}),
        ),
        Kind(
            "court_application",
            "强制执行申请书",
            "",
            subject="enforcement",
            label="强执申",
            sources=frozenset({("en_court_sign", "sign")}),
        ),
        Kind(
            "immediate_substitute_notice",
            "立即代履行事后告知书",
            "",
            subject="enforcement",
            label="代履告",
            sources=frozenset({("en_notice", "immediate_substitute")}),
        ),
        Kind(
            "substitute_cost_notice",
            "代履行费用缴纳通知书",
            "",
            subject="enforcement",
            label="代履费",
            sources=frozenset({("en_sub_cost", "charge")}),
        ),
        Kind(
            "reversal_decision",
            "执行回转决定书",
            "",
            subject="enforcement",
            label="回转",
            sources=frozenset({("en_done", "reverse")}),
        ),
    )
}
SUBJECT_KINDS.update(ENFORCEMENT_KINDS)

#: Every kind by its code: the case's own and the subjects'.
ALL_KINDS: dict[str, Kind] = {**KINDS, **SUBJECT_KINDS}

# The subjects a document can be addressed by (the query or form key, with its id): a coercive
# measure, an enforcement record (行政强制执行).
SUBJECTS = ("measure", "enforcement")
