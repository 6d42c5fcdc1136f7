"""行政处罚的种类 — 《行政处罚法》（2021年修订）第九条.

Art. 9 lists the kinds of administrative penalty:

    （一）警告、通报批评；
    （二）罚款、没收违法所得、没收非法财物；
    （三）暂扣许可证件、降低资质等级、吊销许可证件；
    （四）限制开展生产经营活动、责令停产停业、责令关闭、限制从业；
    （五）行政拘留；
    （六）法律、行政法规规定的其他行政处罚。

This module is the single source of the enumeration, its Chinese labels, the severity order the
statistics use (DESIGN.md "Statistics": a decision with several types is counted once, under the
heaviest) and the item-level checks every penalty decision must pass (Art. 29: one act, no second
fine).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Literal

__all__ = [
    "AMOUNT_TYPES",
    "ART_9",
    "ART_29",
    "PENALTY_LABELS",
    "PERSON_ONLY_TYPES",
    "SEVERITY",
    "PartyKind",
    "PenaltyItem",
    "PenaltyType",
    "allowed_for_party_kind",
    "format_amount",
    "heaviest",
    "party_kind_label",
    "severity_rank",
    "validate_penalty_items",
]

ART_9 = "行政处罚法第九条"
ART_29 = "行政处罚法第二十九条"

PartyKind = Literal["person", "organisation", "other"]
"""当事人类别: 公民 (person), 法人 (organisation), 其他组织 (other)."""

_PARTY_KIND_LABELS: dict[str, str] = {
    "person": "公民",
    "organisation": "法人",
    "other": "其他组织",
}


class PenaltyType(StrEnum):
    """行政处罚的种类（行政处罚法第九条）."""

    WARNING = "warning"
    CRITICISM = "criticism"
    FINE = "fine"
    CONFISCATE_GAINS = "confiscate_gains"
    CONFISCATE_PROPERTY = "confiscate_property"
    SUSPEND_PERMIT = "suspend_permit"
    LOWER_QUALIFICATION = "lower_qualification"
    REVOKE_PERMIT = "revoke_permit"
    RESTRICT_BUSINESS = "restrict_business"
    SUSPEND_BUSINESS = "suspend_business"
    CLOSE = "close"
    RESTRICT_PRACTICE = "restrict_practice"
    DETENTION = "detention"
    OTHER = "other"


PenaltyItem = tuple[PenaltyType, Decimal | None]
"""One penalty of a decision: its type and, for the amount types, the amount in 元."""

#: Chinese names, exactly as 行政处罚法第九条 words them.
PENALTY_LABELS: dict[PenaltyType, str] = {
    PenaltyType.WARNING: "警告",
    PenaltyType.CRITICISM: "通报批评",
    PenaltyType.FINE: "罚款",
    PenaltyType.CONFISCATE_GAINS: "没收违法所得",
    PenaltyType.CONFISCATE_PROPERTY: "没收非法财物",
    PenaltyType.SUSPEND_PERMIT: "暂扣许可证件",
    PenaltyType.LOWER_QUALIFICATION: "降低资质等级",
    PenaltyType.REVOKE_PERMIT: "吊销许可证件",
    PenaltyType.RESTRICT_BUSINESS: "限制开展生产经营活动",
    PenaltyType.SUSPEND_BUSINESS: "责令停产停业",
    PenaltyType.CLOSE: "责令关闭",
    PenaltyType.RESTRICT_PRACTICE: "限制从业",
    PenaltyType.DETENTION: "行政拘留",
    PenaltyType.OTHER: "其他行政处罚",
}

#: Heaviest first, as the statistics forms count them (DESIGN.md "Statistics", seed 004 填表说明).
#: 其他行政处罚 is last: it counts only when no named type applies.
SEVERITY: tuple[PenaltyType, ...] = (
    PenaltyType.DETENTION,
    PenaltyType.RESTRICT_PRACTICE,
    PenaltyType.CLOSE,
    PenaltyType.SUSPEND_BUSINESS,
    PenaltyType.RESTRICT_BUSINESS,
    PenaltyType.REVOKE_PERMIT,
    PenaltyType.LOWER_QUALIFICATION,
    PenaltyType.SUSPEND_PERMIT,
    PenaltyType.CONFISCATE_PROPERTY,
    PenaltyType.CONFISCATE_GAINS,
    PenaltyType.FINE,
    PenaltyType.CRITICISM,
    PenaltyType.WARNING,
    PenaltyType.OTHER,
)

_RANK: dict[PenaltyType, int] = {t: i for i, t in enumerate(SEVERITY)}

#: Types that carry an amount in 元 (罚款; 没收违法所得 — the sum; 没收非法财物 — its value).
#: The amount is required for these and forbidden for every other type.
AMOUNT_TYPES: frozenset[PenaltyType] = frozenset(
    {PenaltyType.FINE, PenaltyType.CONFISCATE_GAINS, PenaltyType.CONFISCATE_PROPERTY}
)

#: Types whose amount the party pays in money (第六十七条: to the bank within 15 days; 第七十二条
#: surcharges run on it); 没收非法财物's amount is the value of goods taken, not a payment.
PAYABLE_TYPES: frozenset[PenaltyType] = frozenset({PenaltyType.FINE, PenaltyType.CONFISCATE_GAINS})

#: Types that only a natural person can receive. 行政拘留 restricts personal liberty (第九条第五项;
#: 第十八条第三款: only 公安机关 and organs named by law may impose it) and 限制从业 bars a person
#: from an occupation (第九条第四项); neither can be imposed on a 法人 or 其他组织 as such.
PERSON_ONLY_TYPES: frozenset[PenaltyType] = frozenset(
    {PenaltyType.DETENTION, PenaltyType.RESTRICT_PRACTICE}
)

_CENT = Decimal("0.01")


def severity_rank(penalty_type: PenaltyType) -> int:
    """Position in :data:`SEVERITY` (0 = heaviest)."""
    return _RANK[penalty_type]


def party_kind_label(kind: str) -> str:
    """公民 / 法人 / 其他组织 for a party kind code; ValueError for an unknown code."""
    try:
        return _PARTY_KIND_LABELS[kind]
    except KeyError:
        raise ValueError(f"未知的当事人类别：{kind}") from None


def format_amount(amount: Decimal) -> str:
    """An amount in 元 with two decimals, e.g. ``5000.00``."""
    cents = amount.quantize(_CENT)
    return f"{cents:f}" if cents == amount else f"{amount:f}"


def heaviest(types: Iterable[PenaltyType]) -> PenaltyType:
    """The heaviest type of a decision, under which the statistics count it.

    其他行政处罚 is returned only when no named type is present. ValueError on an empty input.
    """
    collected = list(types)
    if not collected:
        raise ValueError("处罚种类为空，无法确定最重的处罚种类")
    return min(collected, key=severity_rank)


def allowed_for_party_kind(penalty_type: PenaltyType, kind: str) -> bool:
    """Whether ``penalty_type`` can be imposed on a party of ``kind`` (行政处罚法第九条).

    ``kind`` is ``person`` (公民), ``organisation`` (法人) or ``other`` (其他组织). 行政拘留 and
    限制从业 apply to natural persons only; every other type applies to all kinds (责令停产停业 and
    责令关闭 also reach 个体工商户, who are persons).
    """
    party_kind_label(kind)  # validates the code
    if penalty_type in PERSON_ONLY_TYPES:
        return kind == "person"
    return True


def validate_penalty_items(items: Sequence[PenaltyItem]) -> list[str]:
    """Check the penalty items of one decision; returns Chinese error messages (empty = valid).

    - an amount is required for 罚款/没收违法所得/没收非法财物 and forbidden for the other types;
    - an amount is positive with at most two decimals (分);
    - 行政处罚法第二十九条: 对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚 — one
      罚款 item per decision (a decision is about one act of one party);
    - the same type may not appear twice.
    """
    errors: list[str] = []
    if not items:
        return ["至少应当有一项处罚种类"]
    for penalty_type, amount in items:
        label = PENALTY_LABELS[penalty_type]
        if penalty_type in AMOUNT_TYPES:
            if amount is None:
                errors.append(f"{label}应当填写金额")
                continue
            if not amount.is_finite() or amount <= 0:
                errors.append(f"{label}金额应当大于0元")
            elif amount != amount.quantize(_CENT):
                errors.append(f"{label}金额最多保留两位小数（精确到分）")
        elif amount is not None:
            errors.append(f"{label}不应填写金额")
    counts = Counter(penalty_type for penalty_type, _ in items) if len(items) > 1 else {}
    for penalty_type, count in counts.items():
        if count < 2:
            continue
        if penalty_type is PenaltyType.FINE:
            errors.append(
                "对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚"
                "（行政处罚法第二十九条）；同一违法行为违反多个法律规范应当给予罚款处罚的，"
                "按照罚款数额高的规定处罚"
            )
        else:
            errors.append(f"处罚种类“{PENALTY_LABELS[penalty_type]}”重复")
    return errors
