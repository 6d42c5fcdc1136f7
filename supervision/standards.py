"""The published 案卷评查 standards (行政执法监督条例 Art. 18: 合法, 过罚相当, 文书规范,
证据真实完整; Art. 19: the standard is published). Pure data and arithmetic, no Django.

A standard is versioned: each review round stores the version it was drawn under, so a round keeps
its standard after a new one is published. A new standard is a new entry in ``STANDARDS``; an
entry, once used, is never edited.

- ``2024``: the eight-item checklist the platform used before the four headings; its items are
  filed under the heading they belong to, so the rounds scored with it read like the new ones.
- ``2026-1``: the standard of 监督条例 (2026) Art. 18, 100 points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HEADINGS = (
    ("legal", "合法"),
    ("proportionate", "过罚相当"),
    ("documents", "文书规范"),
    ("evidence", "证据真实完整"),
)

EXCELLENT, PASS, FAIL = "excellent", "pass", "fail"
GRADE_LABELS = {EXCELLENT: "优秀", PASS: "合格", FAIL: "不合格"}
REASON_MAX = 500


@dataclass(frozen=True, slots=True)
class StandardItem:
    code: str
    label: str
    points: int
    basis: str = ""


@dataclass(frozen=True, slots=True)
class Heading:
    code: str
    label: str
    items: tuple[StandardItem, ...]

    @property
    def points(self) -> int:
        return sum(i.points for i in self.items)


@dataclass(frozen=True, slots=True)
class Standard:
    version: str
    title: str
    basis: str
    published_on: dt.date
    headings: tuple[Heading, ...]

    @property
    def items(self) -> tuple[StandardItem, ...]:
        return tuple(i for h in self.headings for i in h.items)

    @property
    def points(self) -> int:
        return sum(h.points for h in self.headings)


def _heading(code: str, *items: StandardItem) -> Heading:
    return Heading(code, dict(HEADINGS)[code], items)


I = StandardItem  # noqa: E741 - the tables below read as a published table

STANDARDS: dict[str, Standard] = {
    "2024": Standard(
        version="2024",
        title="案卷评查标准（2024年版，八项）",
        basis="原评查表，按行政执法监督条例第十八条的四个方面归类",
        published_on=dt.date(2024, 1, 1),
        headings=(
            _heading(
                "legal",
                I("subject", "主体合法", 10),
                I("basis", "适用依据正确", 15),
                I("procedure", "程序合法", 20),
            ),
            _heading("proportionate", I("discretion", "裁量适当", 10)),
            _heading("documents", I("documents", "文书规范", 10), I("archive", "归档完整", 5)),
            _heading("evidence", I("facts", "事实清楚", 15), I("evidence", "证据确凿", 15)),
        ),
    ),
    "2026-1": Standard(
        version="2026-1",
        title="行政处罚案卷评查标准（2026年第1版）",
        basis="行政执法监督条例（2026）第十八条、第十九条",
        published_on=dt.date(2026, 2, 1),
        headings=(
            _heading(
                "legal",
                I(
                    "subject",
                    "执法主体合法，执法人员具备执法资格",
                    10,
                    "行政处罚法第十七条、第四十二条",
                ),
                I("basis", "适用法律、法规、规章正确，引用条款准确", 10, "行政处罚法第四条"),
                I(
                    "procedure",
                    "程序合法（立案、调查、告知、听证、法制审核、决定、送达）",
                    15,
                    "行政处罚法第五十四条至第六十五条",
                ),
                I("limits", "在法定期限内立案、决定、送达", 5, "行政处罚法第六十条、第六十一条"),
            ),
            _heading(
                "proportionate",
                I(
                    "proportion",
                    "处罚种类和幅度与违法事实、性质、情节、社会危害程度相当",
                    10,
                    "行政处罚法第五条",
                ),
                I("discretion", "正确适用裁量基准，裁量理由说明充分", 10, "行政处罚法第三十四条"),
            ),
            _heading(
                "documents",
                I("forms", "文书齐全，使用规范文书格式", 8),
                I(
                    "contents",
                    "决定书载明法定事项（当事人、事实证据、种类依据、履行方式期限、救济途径、"
                    "机关印章和日期）",
                    8,
                    "行政处罚法第五十九条",
                ),
                I("archive", "立卷归档完整规范", 4, "行政处罚法第四十七条"),
            ),
            _heading(
                "evidence",
                I("lawful", "证据收集程序合法", 7, "行政处罚法第四十六条"),
                I("true", "证据真实、客观，与待证事实关联", 7),
                I("complete", "证据充分完整，足以认定违法事实", 6, "行政处罚法第四十条"),
            ),
        ),
    ),
}
CURRENT = "2026-1"


def standard(version: str) -> Standard:
    """The standard of a version; a version unknown here is a programming error."""
    return STANDARDS[version]


def _points(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) <= 4:
        return int(value.strip())
    return None


def sheet_errors(std: Standard, scores: Mapping[str, Any], reasons: Mapping[str, Any]) -> list[str]:
    """Every item scored with a whole number from 0 to its points; every deduction with its
    reason. Chinese reasons naming the item."""
    errors: list[str] = []
    known = {i.code for i in std.items}
    for code in sorted(set(scores) - known):
        errors.append(f"未知的评查项目：{str(code)[:40]}")
    for code in sorted(set(reasons) - known):
        errors.append(f"未知的评查项目：{str(code)[:40]}")
    for item in std.items:
        raw = scores.get(item.code)
        if raw is None or raw == "":
            errors.append(f"请为“{item.label}”评分")
            continue
        n = _points(raw)
        if n is None:
            errors.append(f"“{item.label}”得分应为整数")
            continue
        if not 0 <= n <= item.points:
            errors.append(f"“{item.label}”得分应在0至{item.points}分之间")
            continue
        reason = reasons.get(item.code, "")
        if not isinstance(reason, str):
            errors.append(f"“{item.label}”扣分理由应为文字")
        elif n < item.points and not reason.strip():
            errors.append(f"“{item.label}”扣{item.points - n}分，请写明扣分理由")
        elif len(reason) > REASON_MAX or "\x00" in reason:
            errors.append(f"“{item.label}”扣分理由不能超过{REASON_MAX}字或含有控制字符")
    return errors


def clean_sheet(
    std: Standard, scores: Mapping[str, Any], reasons: Mapping[str, Any]
) -> tuple[dict[str, int], dict[str, str]]:
    """The checked sheet (call after ``sheet_errors`` found nothing): points per item, and the
    reasons of the deductions only."""
    points = {i.code: int(str(scores[i.code]).strip()) for i in std.items}
    why = {
        i.code: str(reasons.get(i.code, "")).strip() for i in std.items if points[i.code] < i.points
    }
    return points, why


def heading_totals(std: Standard, scores: Mapping[str, int]) -> dict[str, int]:
    return {h.code: sum(int(scores.get(i.code, 0)) for i in h.items) for h in std.headings}


def total(std: Standard, scores: Mapping[str, int]) -> int:
    return sum(heading_totals(std, scores).values())


def grade(points: int, *, excellent: int, passing: int) -> str:
    """优秀 from ``excellent`` points, 合格 from ``passing``, else 不合格 (thresholds inclusive)."""
    if points >= excellent:
        return EXCELLENT
    if points >= passing:
        return PASS
    return FAIL
