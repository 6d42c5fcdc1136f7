"""The value lists of the step payloads, each spelled once: its stored values and its one label.

A member is the string the database, the ledger and the exchange format store; its `label` is
the Chinese the forms, the documents and the messages show. Guards, payload schemas, web forms
and documents all read these lists, so a value or its wording changes in one place.

Pure: no Django imports. The discretion circumstance belongs to the law (`law.rules`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from law.rules import CIRCUMSTANCE_LABELS, Circumstance

__all__ = [
    "CIRCUMSTANCE_LABELS",
    "SELF_ENFORCEMENT_TYPES",
    "CaseOutcome",
    "Circumstance",
    "DecisionOutcome",
    "DeliveryMethod",
    "EnforcementType",
    "ExecutionKind",
    "ProposalOutcome",
    "RecordKind",
    "ResponseKind",
    "SimpleExecuteKind",
    "Vocabulary",
]


class Vocabulary(StrEnum):
    """A value list: each member is its stored value and carries its one Chinese label."""

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs in the list's order, as a select offers them."""
        return [(m.value, m.label) for m in cls]

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {m.value: m.label for m in cls}

    @classmethod
    def label_of(cls, value: object, default: str = "") -> str:
        """The label of a stored value; `default` for a value not in the list (old records)."""
        return next((m.label for m in cls if m.value == str(value)), default)


class ProposalOutcome(Vocabulary):
    """What an investigation proposes for a party (行政处罚法第五十七条)."""

    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    NO_PENALTY_FACTS = "no_penalty_facts", "违法事实不能成立，不予行政处罚"
    TRANSFER = "transfer", "移送司法机关"


class DecisionOutcome(Vocabulary):
    """The kind of decision a party receives (one 决定书 per party)."""

    PENALTY = "penalty", "行政处罚决定"
    NO_PENALTY = "no_penalty", "不予行政处罚决定"


class CaseOutcome(Vocabulary):
    """How a case ended: by its decisions, or by a step that ends it without one."""

    PENALTY = "penalty", "给予处罚"
    NO_PENALTY = "no_penalty", "不予处罚"
    TRANSFER = "transfer", "移送司法机关"
    REVOKED = "revoked", "撤销立案"
    NOT_FILED = "not_filed", "不予立案"
    REFERRED = "referred", "移送其他机关"


class RecordKind(Vocabulary):
    """The records taken while investigating (行政处罚法第五十五条)."""

    INQUIRY = "inquiry", "询问笔录"
    INSPECTION = "inspection", "现场检查（勘验）笔录"


class ResponseKind(Vocabulary):
    """A party's answer to the notice (行政处罚法第四十四条、第六十三条)."""

    STATEMENT = "statement", "陈述、申辩"
    HEARING = "hearing", "要求听证"
    WAIVER = "waiver", "放弃陈述、申辩和听证权利"
    NONE = "none", "逾期未提出陈述、申辩或听证要求"


class DeliveryMethod(Vocabulary):
    """How a decision is delivered (行政处罚法第六十一条)."""

    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"
    PUBLIC = "public", "公告送达"


class ExecutionKind(Vocabulary):
    """How a penalty decision was carried out (行政处罚法第六十七条、第七十二条)."""

    PAID = "paid", "已缴纳罚没款"
    COURT = "court", "已申请人民法院强制执行"
    COERCION = "coercion", "已依法强制执行"
    PERFORMED = "performed", "已履行"


class EnforcementType(Vocabulary):
    """行政强制执行的方式 (行政强制法第十二条) and 申请人民法院强制执行 (第五十三条)."""

    SURCHARGE = "surcharge", "加处罚款或者滞纳金"
    TRANSFER_FUNDS = "transfer_funds", "划拨存款、汇款"
    AUCTION = "auction", "拍卖或者依法处理查封、扣押的场所、设施或者财物"
    RESTORE = "restore", "排除妨碍、恢复原状"
    SUBSTITUTE = "substitute", "代履行"
    OTHER = "other", "其他强制执行方式"
    COURT = "court", "申请人民法院强制执行"


# The ways an execution step records the department's own enforcement (the surcharge is
# computed, the court has its own execution kind).
SELF_ENFORCEMENT_TYPES = (
    EnforcementType.TRANSFER_FUNDS,
    EnforcementType.AUCTION,
    EnforcementType.RESTORE,
    EnforcementType.SUBSTITUTE,
    EnforcementType.OTHER,
)


class SimpleExecuteKind(Vocabulary):
    """How an on-the-spot penalty is paid (行政处罚法第六十八条、第六十九条)."""

    ON_SPOT = "on_spot", "当场收缴"
    BANK = "bank", "到指定银行缴纳"
    NONE = "none", "无需缴款（警告）"
