"""行政强制措施 (查封、扣押、冻结) as data and pure checks. No Django imports.

行政强制法: Art. 18 (procedure), Art. 19 (emergency), Art. 24 (查封/扣押 decision with a list of
the items), Art. 25 (at most 30 days, +30 once with the head's approval), Art. 27-28 (decide within
the period), Art. 32 (冻结: decide within 30 days, +30 with approval).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from law.limits import FREEZE_EXTENSION, FREEZE_PERIOD, SEIZURE_EXTENSION, SEIZURE_PERIOD, TimeLimit


class MeasureType(StrEnum):
    SEAL_UP = "seal_up"
    SEIZE = "seize"
    FREEZE = "freeze"


TYPE_LABELS: dict[MeasureType, str] = {
    MeasureType.SEAL_UP: "查封",
    MeasureType.SEIZE: "扣押",
    MeasureType.FREEZE: "冻结存款、汇款",
}

# 行政强制法第二十五条第一款、第三十二条第一款: an extension is at most thirty days, granted once.
MAX_EXTENSION_DAYS = 30
MAX_ITEMS = 200


def period_limit(kind: MeasureType) -> TimeLimit:
    """The limit within which the measure must be decided (Art. 25 or Art. 32)."""
    return FREEZE_PERIOD if kind is MeasureType.FREEZE else SEIZURE_PERIOD


def extension_limit(kind: MeasureType) -> TimeLimit:
    return FREEZE_EXTENSION if kind is MeasureType.FREEZE else SEIZURE_EXTENSION


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def item_errors(kind: MeasureType, items: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The list of the items (Art. 24 清单), or for a freeze the account and the amount (Art. 29:
    the amount frozen shall be equal to the amount involved)."""
    rows = list(items)
    if not rows:
        if kind is MeasureType.FREEZE:
            yield "请填写冻结的账户（开户银行、账号）和金额"
        else:
            yield (
                f"请列出{TYPE_LABELS[kind]}的场所、设施或者财物清单（名称、数量）"
                "（《行政强制法》第二十四条）"
            )
        return
    if len(rows) > MAX_ITEMS:
        yield f"清单最多{MAX_ITEMS}项"
    for n, row in enumerate(rows, start=1):
        if kind is MeasureType.FREEZE:
            if not _text(row.get("bank")):
                yield f"第{n}个账户请填写开户银行（金融机构）"
            if not _text(row.get("account")):
                yield f"第{n}个账户请填写账号"
            yield from _amount_errors(n, row.get("amount"))
        else:
            if not _text(row.get("name")):
                yield f"清单第{n}项请填写名称"
            if not _text(row.get("quantity")):
                yield f"清单第{n}项请填写数量（含单位）"
            if len(_text(row.get("name"))) > 100 or len(_text(row.get("description"))) > 500:
                yield f"清单第{n}项的名称不能超过100个字，描述不能超过500个字"


def _amount_errors(n: int, value: Any) -> Iterator[str]:
    try:
        amount = Decimal(_text(value))
    except InvalidOperation:
        yield f"第{n}个账户的冻结金额“{_text(value)}”不是有效的金额"
        return
    if not amount.is_finite() or amount <= 0:
        yield f"第{n}个账户的冻结金额须大于零"
    elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
        yield f"第{n}个账户的冻结金额最多两位小数"


# Art. 18: what the officers must do and record when carrying the measure out. Each flag and the
# Chinese reason when it is missing.
ON_SITE_DUTIES: tuple[tuple[str, str], ...] = (
    ("certificate_shown", "实施前须向当事人出示执法身份证件（《行政强制法》第十八条第三项）"),
    (
        "told",
        "须当场告知当事人采取行政强制措施的理由、依据以及当事人依法享有的权利、救济途径"
        "（《行政强制法》第十八条第五项）",
    ),
    ("statements_heard", "须听取当事人的陈述和申辩（《行政强制法》第十八条第六项）"),
    ("record_made", "须制作现场笔录（《行政强制法》第十八条第七项）"),
)


def on_site_errors(kind: MeasureType, record: Mapping[str, Any]) -> Iterator[str]:
    """Art. 18 (3)-(9), Art. 24 (decision and list delivered on the spot)."""
    for flag, reason in ON_SITE_DUTIES:
        if not record.get(flag):
            yield reason
    present = bool(record.get("party_present"))
    if present:
        if not record.get("party_notified"):
            yield "须通知当事人到场（《行政强制法》第十八条第四项）"
        if not (record.get("party_signed") or _text(record.get("refusal_note"))):
            yield (
                "现场笔录须由当事人签名或者盖章；当事人拒绝的，须在笔录中予以注明"
                "（《行政强制法》第十八条第八项）"
            )
    elif not _text(record.get("witness")):
        yield (
            "当事人不到场的，须邀请见证人到场并在现场笔录上签名或者盖章，请填写见证人"
            "（《行政强制法》第十八条第九项）"
        )
    if not record.get("decision_delivered"):
        if kind is MeasureType.FREEZE:
            # The decision reaches the party within three days (Art. 31), not necessarily now.
            yield "须向金融机构交付冻结通知书（《行政强制法》第三十条）"
        else:
            yield ("须制作并当场交付查封、扣押决定书和清单（《行政强制法》第二十四条第一款）")
