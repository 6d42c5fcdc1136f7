"""行政复议 and 行政诉讼 against a decision: what each result counts as, and whether the party
filed within its time limit. Pure: no Django imports.

Sources. law.md confirms the 60-day reconsideration limit (行政复议法 2023 第二十条) and the
6-month litigation limit (行政诉讼法第四十六条). Everything else here is **not in law.md, from
the statute text as remembered**: the 15 days after a reconsideration decision
(行政诉讼法第四十五条), the articles of each kind of result (行政复议法 2023
第六十三条至第六十九条, 行政诉讼法第六十九条至第七十七条), withdrawal (行政复议法第七十四条
with 第四十一条; 行政诉讼法第六十二条), refusal to accept (行政复议法第三十条;
行政诉讼法第五十一条) and the bar on running both at once (行政复议法第二十九条).

How a result is counted. The statistics forms (supervision/) count a review in the period of its
``filed_on`` and, of those, the ones whose result is ``corrected`` (纠错 for reconsideration,
败诉 for litigation: the decision was changed, revoked, declared unlawful or void, or performance
ordered). ``upheld`` is 维持 / 驳回. A withdrawal (撤回申请、撤诉) or a refusal to accept
(不予受理、不予立案) ends the review with no result: it stays counted as filed (the party did
apply) and is never counted as corrected. Since the 2014 amendment of 行政诉讼法 there is no
维持判决 at first instance; 判决驳回诉讼请求 (第六十九条) is what upholds a decision. After an
appeal, the result to record is the one that took effect (生效裁判).

Time limits are facts, not refusals: the review organ, not the agency, decides whether a late
application is admissible, so a late filing is recorded with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from law.calendar import CalendarNotCovered, WorkingCalendar
from law.limits import LITIGATION, LITIGATION_AFTER_RECONSIDERATION, RECONSIDERATION, TimeLimit
from law.limits import due_date as limit_due_date

__all__ = [
    "ENDINGS",
    "KIND_LABELS",
    "ORGAN_LABELS",
    "Ending",
    "FilingCheck",
    "Kind",
    "Other",
    "Result",
    "ending",
    "endings_of",
    "filing_check",
]


class Kind(StrEnum):
    RECONSIDERATION = "reconsideration"
    LITIGATION = "litigation"


KIND_LABELS = {Kind.RECONSIDERATION: "行政复议", Kind.LITIGATION: "行政诉讼"}
ORGAN_LABELS = {Kind.RECONSIDERATION: "行政复议机关", Kind.LITIGATION: "人民法院"}


class Result(StrEnum):
    """The statistics' reading of an ending; ``NONE`` ends a review without a result."""

    UPHELD = "upheld"
    CORRECTED = "corrected"
    NONE = ""


@dataclass(frozen=True)
class Ending:
    """One way a review ends: its code (stored), label, the result it counts as, the article."""

    kind: Kind
    code: str
    label: str
    result: Result
    article: str

    @property
    def law(self) -> str:
        return "行政复议法" if self.kind is Kind.RECONSIDERATION else "行政诉讼法"

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.article}"


_R, _L = Kind.RECONSIDERATION, Kind.LITIGATION
ENDINGS: tuple[Ending, ...] = (
    # 行政复议法 (2023 revision, in force 2024-01-01)
    Ending(_R, "upheld", "决定维持", Result.UPHELD, "第六十八条"),
    Ending(_R, "dismissed", "驳回行政复议请求", Result.UPHELD, "第六十九条"),
    Ending(_R, "changed", "决定变更", Result.CORRECTED, "第六十三条"),
    Ending(_R, "revoked", "决定撤销（部分撤销、责令重作）", Result.CORRECTED, "第六十四条"),
    Ending(_R, "unlawful", "确认违法", Result.CORRECTED, "第六十五条"),
    Ending(_R, "perform", "责令履行", Result.CORRECTED, "第六十六条"),
    Ending(_R, "void", "确认无效", Result.CORRECTED, "第六十七条"),
    Ending(_R, "withdrawn", "撤回申请（复议终止）", Result.NONE, "第七十四条、第四十一条"),
    Ending(_R, "not_accepted", "不予受理", Result.NONE, "第三十条"),
    # 行政诉讼法 (2017)
    Ending(_L, "dismissed", "判决驳回诉讼请求", Result.UPHELD, "第六十九条"),
    Ending(_L, "revoked", "判决撤销（部分撤销、重新作出）", Result.CORRECTED, "第七十条"),
    Ending(_L, "perform", "判决履行", Result.CORRECTED, "第七十二条"),
    Ending(_L, "unlawful", "判决确认违法", Result.CORRECTED, "第七十四条"),
    Ending(_L, "void", "判决确认无效", Result.CORRECTED, "第七十五条"),
    Ending(_L, "changed", "判决变更", Result.CORRECTED, "第七十七条"),
    Ending(_L, "withdrawn", "撤诉", Result.NONE, "第六十二条"),
    Ending(_L, "not_accepted", "裁定不予立案", Result.NONE, "第五十一条"),
)
_BY_KEY = {(e.kind, e.code): e for e in ENDINGS}


def endings_of(kind: Kind) -> tuple[Ending, ...]:
    return tuple(e for e in ENDINGS if e.kind is kind)


def ending(kind: Kind, code: str) -> Ending | None:
    return _BY_KEY.get((kind, code))


@dataclass(frozen=True)
class Other:
    """The review of the other kind on the same decision, as far as it bears on this one."""

    filed_on: date
    result: Result
    ended_on: date | None


@dataclass(frozen=True)
class FilingCheck:
    """The limit that applied to a filing, its last day (None when it cannot be told), whether
    the filing came after it, and every warning in Chinese."""

    limit: TimeLimit | None
    due_on: date | None
    late: bool
    warnings: tuple[str, ...]


def filing_check(
    *,
    kind: Kind,
    filed_on: date,
    known_on: date | None,
    calendar: WorkingCalendar,
    other: Other | None = None,
) -> FilingCheck:
    """The time limit a reconsideration application or a suit had, from ``known_on`` (the day
    the party received the decision: 送达), and whether ``filed_on`` is after it.

    - 行政复议: 60 days (行政复议法第二十条第一款). The platform's decisions state the right to
      apply, its organ and limit, so the one-year limit of 第二十条第三款 does not arise.
    - 行政诉讼 after a reconsideration that ended with a result: 15 days from it
      (行政诉讼法第四十五条; the platform knows the day of the result, not the day the party
      received it, so the check is the earliest possible and says so).
    - 行政诉讼 otherwise: 6 months (行政诉讼法第四十六条第一款).
    - Both at once: while a reconsideration runs the party may not sue, and once a court has
      accepted a suit it may not apply for reconsideration (行政复议法第二十九条) — a warning.

    The last day of each rolls over a rest day (民事诉讼法第八十五条, via law.limits).
    """
    warnings: list[str] = []
    limit: TimeLimit = RECONSIDERATION if kind is Kind.RECONSIDERATION else LITIGATION
    start = known_on
    if kind is Kind.LITIGATION and other is not None:
        if other.ended_on is None:
            warnings.append(
                "当事人已申请行政复议且复议尚未办结，复议期间不得提起行政诉讼"
                "（《行政复议法》第二十九条），是否立案由人民法院决定"
            )
        elif other.result is not Result.NONE:
            limit, start = LITIGATION_AFTER_RECONSIDERATION, other.ended_on
    sued_before = (
        kind is Kind.RECONSIDERATION
        and other is not None
        and other.filed_on <= filed_on
        and (other.ended_on is None or other.result is not Result.NONE)
    )
    if sued_before:
        warnings.append(
            "当事人已就该决定提起行政诉讼，人民法院已经受理的不得再申请行政复议"
            "（《行政复议法》第二十九条），是否受理由复议机关决定"
        )
    if start is None:
        warnings.append(f"决定书送达日期未登记，未核对{limit.name}（{limit.citation}）")
        return FilingCheck(limit, None, False, tuple(warnings))
    try:
        due = limit_due_date(limit, start, calendar)
    except CalendarNotCovered as exc:
        warnings.append(f"{exc}，未核对{limit.name}（{limit.citation}）")
        return FilingCheck(limit, None, False, tuple(warnings))
    late = filed_on > due
    if late:
        organ = ORGAN_LABELS[kind]
        warnings.append(
            f"超过{limit.name}：{limit.citation}规定{limit.duration_label}，"
            f"自{start.isoformat()}起算至{due.isoformat()}届满；是否受理由{organ}决定"
        )
        if limit is LITIGATION_AFTER_RECONSIDERATION:
            warnings.append("此期限自复议结果日期起算；当事人收到复议决定书较晚的，以收到之日为准")
    return FilingCheck(limit, due, late, tuple(warnings))
