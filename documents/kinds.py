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
