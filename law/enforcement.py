"""强制执行 after a decision: the statute's numbers, pure (no Django).

- 加处罚款: 行政处罚法第七十二条第一款第一项 (3 % of the fine a day), 行政强制法第四十五条第二款
  (never more than the money owed), 行政处罚法第七十三条第三款 (days of a pending 复议 or 诉讼 are
  not counted), 第六十六条 (an approved 延期 or 分期 moves the due date of each instalment).
- The court window: 行政强制法第五十三条 (three months after the 法定起诉期限 ends), 行政诉讼法
  第四十六条 (six months from service), 行诉解释第六十四条 (one year when the decision omitted the
  term), 第一百五十六条, 行政处罚法第七十二条第二款 (from the end of an approved deferral).
- 行政强制法第五十四条 (apply only after 10 working days from the 催告's service), 第五十一条
  (代履行: 催告 three working days before), 第五十二条 (immediate 代履行), 第四十三条 (no night or
  holiday enforcement unless urgent; never cut water, power, heat or gas), 第三十九条 (中止 and the
  three-year end), 第四十条 (终结), 第四十一条 (执行回转), 第四十二条 (执行协议).

Where the statute leaves a choice (law.md: "keep as a setting") the function takes it as an
argument and the Django setting supplies the default named there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from law.calendar import (
    SHANGHAI,
    WorkingCalendar,
    add_calendar_days,
    add_months,
    to_shanghai_date,
)
from law.limits import (
    COURT_APPLICATION,
    COURT_APPLICATION_AFTER_NOTICE,
    LITIGATION,
    RECONSIDERATION,
    SUBSTITUTE_NOTICE,
    due_date,
)

#: 行政处罚法第七十二条第一款第一项: 每日按罚款数额的百分之三加处罚款.
RATE = Decimal("0.03")
CENT = Decimal("0.01")
SUSPENSION_YEARS = 3  # 行政强制法第三十九条第二款


# --- 加处罚款 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A 复议 or 诉讼 pending on the decision: from its filing to its end (both days included);
    `end` None while still pending (law.md default: filing date to service of the 复议 decision
    or the judgment taking effect)."""

    start: date
    end: date | None = None


@dataclass(frozen=True)
class Instalment:
    """One due date of an approved 延期 (one instalment of the whole fine) or 分期 (行政处罚法
    第六十六条); `paid_on` once paid."""

    due: date
    amount: Decimal
    paid_on: date | None = None


@dataclass(frozen=True)
class SurchargeLine:
    base: Decimal  # the money the surcharge is counted on
    due: date
    until: date
    days: int  # days charged
    paused: int  # days not counted (a pending 复议 or 诉讼)
    amount: Decimal


@dataclass(frozen=True)
class Surcharge:
    amount: Decimal
    lines: tuple[SurchargeLine, ...]

    @property
    def days(self) -> int:
        return sum(line.days for line in self.lines)

    @property
    def paused(self) -> int:
        return sum(line.paused for line in self.lines)


def paused_days(due: date, until: date, pauses: Iterable[Interval]) -> int:
    """Days d with due < d <= until that fall inside any pending interval (overlaps once)."""
    days: set[date] = set()
    for p in pauses:
        first = max(p.start, due + timedelta(days=1))
        last = min(p.end or until, until)
        d = first
        while d <= last:
            days.add(d)
            d += timedelta(days=1)
    return len(days)


def _line(base: Decimal, due: date, until: date, pauses: Sequence[Interval]) -> SurchargeLine:
    late = max((until - due).days, 0)
    paused = paused_days(due, until, pauses)  # 0 unless late: no day after `due`
    days = late - paused
    amount = min(base * RATE * days, base)  # 行政强制法第四十五条第二款
    return SurchargeLine(base, due, until, days, paused, amount.quantize(CENT, ROUND_HALF_UP))


def schedule_errors(fine: Decimal, due: date, schedule: Sequence[Instalment]) -> Iterator[str]:
    """An approved 延期/分期 (行政处罚法第六十六条第二款): amounts adding up to the fine, each due
    date after the original one, in order."""
    if not schedule:
        yield "请填写延期或分期缴纳的期限和金额（《行政处罚法》第六十六条第二款）"
        return
    total = Decimal("0")
    previous: date | None = None
    for n, row in enumerate(schedule, 1):
        if row.amount <= 0:
            yield f"第{n}期金额须大于零"
        if row.amount != row.amount.quantize(CENT):
            yield f"第{n}期金额最多两位小数"
        if row.due <= due:
            yield f"第{n}期缴纳期限须晚于原缴款期限{due.isoformat()}"
        if previous is not None and row.due <= previous:
            yield f"第{n}期缴纳期限须晚于上一期"
        previous = row.due
        total += row.amount
    if total != fine:
        yield f"各期金额合计{total}元，应等于罚款{fine}元（《行政处罚法》第六十六条第二款）"


def first_missed(schedule: Sequence[Instalment], as_of: date) -> Instalment | None:
    """行政处罚法第六十六条第二款: the first instalment of an approved 延期/分期 whose due date
    has passed by `as_of` with nothing paid on it (its due date is its last day); None when
    every instalment is paid or still running."""
    for row in schedule:
        if row.paid_on is None and as_of > row.due:
            return row
    return None


def surcharge(
    *,
    fine: Decimal,
    due: date,
    as_of: date,
    paid_on: date | None = None,
    pauses: Sequence[Interval] = (),
    schedule: Sequence[Instalment] = (),
    approved_on: date | None = None,
    deferral_moves_due: bool = True,
) -> Surcharge:
    """加处罚款 on a fine due on `due`, counted up to the day paid (`paid_on`) or `as_of`.

    3 % of the money owed for each day after its due date (第七十二条第一款第一项), less the days
    a 复议 or 诉讼 was pending (`pauses`, 第七十三条第三款), never more than that money, nor in
    all more than the fine (行政强制法第四十五条第二款); exact to the 分 (ROUND_HALF_UP).

    With an approved 延期/分期 (`schedule`, approved on `approved_on`), each instalment is charged
    from the day after its own due date. `deferral_moves_due` (a setting, default True): the
    approval moves the due date, so what ran before it is not charged; False keeps the surcharge
    that ran on the whole fine from the original due date up to the approval.
    """
    if fine < 0:
        raise ValueError("罚款金额不能为负数")
    lines: list[SurchargeLine] = []
    if not schedule:
        lines.append(_line(fine, due, paid_on or as_of, pauses))
    else:
        if not deferral_moves_due and approved_on is not None and approved_on > due:
            lines.append(_line(fine, due, min(approved_on, as_of), pauses))
        for row in schedule:
            lines.append(_line(row.amount, row.due, row.paid_on or as_of, pauses))
    total = min(sum((line.amount for line in lines), Decimal("0")), fine)
    return Surcharge(total.quantize(CENT, ROUND_HALF_UP), tuple(lines))


# --- 第十三条: what a law's grant of enforcement power covers -------------------------------


class Obligation(StrEnum):
    """The obligation an enforcement compels (行政强制法第十二条): money (罚款、加处罚款、
    金钱给付) or an act (排除妨碍、恢复原状 and other 行为义务)."""

    MONEY = "money"
    PERFORMANCE = "performance"


OBLIGATIONS = {
    Obligation.MONEY: "金钱给付义务（罚款、加处罚款等）",
    Obligation.PERFORMANCE: "排除妨碍、恢复原状等行为义务",
}


# What a decision orders besides money: 责令限期拆除 and the like (recorded as 其他行政处罚) and the
# handing over of 非法财物 are acts the party must perform (行为义务).
ACT_PENALTIES = frozenset({"other", "confiscate_property"})


def decision_obligations(fine_outstanding: bool, item_types: Iterable[str]) -> frozenset[str]:
    """The obligations a decision leaves to enforce: money while a 罚款 is outstanding, an act
    when it orders one. A 催告 names one of them (第三十五条)."""
    held = {Obligation.MONEY.value} if fine_outstanding else set()
    if ACT_PENALTIES & set(item_types):
        held.add(Obligation.PERFORMANCE.value)
    return frozenset(held)


class PowerScope(StrEnum):
    """What a law grants an agency to enforce itself: 城乡规划法第六十八条 (强制拆除) grants
    performance only; 税收征收管理法第四十条 grants money; a law may grant both."""

    MONEY = "money"
    PERFORMANCE = "performance"
    BOTH = "both"


POWER_SCOPES = {
    PowerScope.MONEY: "仅限金钱给付义务（罚款、金钱给付）",
    PowerScope.PERFORMANCE: "仅限行为义务（排除妨碍、恢复原状等）",
    PowerScope.BOTH: "金钱给付义务和行为义务",
}


def power_covers(scope: str, obligation: str) -> bool:
    """Whether a grant of `scope` ("" for none) lets the agency enforce `obligation` itself."""
    return scope == PowerScope.BOTH or scope == obligation


def power_errors(scope: str, basis: str, obligation: str) -> Iterator[str]:
    """第十三条: 法律没有规定行政机关强制执行的，作出行政决定的行政机关应当申请人民法院强制执行
    — an obligation outside what the law granted goes to the court like one with no grant."""
    if not scope:
        yield (
            "本事项没有法律授予的行政强制执行权，只能申请人民法院强制执行"
            "（《行政强制法》第十三条、第五十三条）"
        )
    elif not power_covers(scope, obligation):
        yield (
            f"{basis or '法律'}授予的行政强制执行权{POWER_SCOPES[PowerScope(scope)]}，"
            f"{OBLIGATIONS[Obligation(obligation)]}只能申请人民法院强制执行"
            "（《行政强制法》第十三条、第五十三条）"
        )


# --- 申请人民法院强制执行的期限 -------------------------------------------------------------


@dataclass(frozen=True)
class CourtWindow:
    litigation_ends: date  # the 法定起诉期限's last day (or the deferral's end, if later)
    opens: date  # first day an application is in time
    closes: date  # last day (行政强制法第五十三条: three months)


def litigation_period_end(
    served_on: date,
    calendar: WorkingCalendar,
    *,
    term_omitted: bool = False,
    review_first: bool = False,
    review_first_days: int = RECONSIDERATION.amount,
) -> date:
    """The last day the party may still challenge the decision.

    行政诉讼法第四十六条: six months from service; 行诉解释第六十四条: one year when the decision
    did not state the 起诉期限; 复议前置 (当场) decisions (复议法第二十三条): the 复议 period
    (a setting, default the 60 days of 复议法第二十条). A last day on a rest day rolls over to the
    next working day (民事诉讼法第八十五条), as the party's periods do."""
    if review_first:
        end = add_calendar_days(served_on, review_first_days)
    elif term_omitted:
        end = add_months(served_on, 12)
    else:
        return due_date(LITIGATION, served_on, calendar)
    return calendar.next_working_day(end)


def court_window(
    served_on: date,
    calendar: WorkingCalendar,
    *,
    term_omitted: bool = False,
    review_first: bool = False,
    review_first_days: int = RECONSIDERATION.amount,
    deferral_ends: date | None = None,
) -> CourtWindow:
    """行政强制法第五十三条 with 行诉解释第一百五十六条: apply within three months after the
    法定起诉期限 ends; after an approved 延期/分期, from its end (行政处罚法第七十二条第二款),
    when that is later."""
    start = litigation_period_end(
        served_on,
        calendar,
        term_omitted=term_omitted,
        review_first=review_first,
        review_first_days=review_first_days,
    )
    if deferral_ends is not None:
        start = max(start, deferral_ends)
    closes = add_months(start, COURT_APPLICATION.amount)
    return CourtWindow(start, start + timedelta(days=1), closes)


def court_application_from(notice_served_on: date, calendar: WorkingCalendar) -> date:
    """行政强制法第五十四条: 催告书送达十日后 — the 10 working days (第六十九条) must have passed:
    the first lawful day is the day after the tenth working day after service."""
    return due_date(COURT_APPLICATION_AFTER_NOTICE, notice_served_on, calendar) + timedelta(days=1)


def court_application_errors(
    day: date,
    notice_served_on: date | None,
    window: CourtWindow | None,
    calendar: WorkingCalendar,
) -> Iterator[str]:
    """Why an application to the court on `day` is not lawful (第五十三条、第五十四条)."""
    if notice_served_on is None:
        yield "申请人民法院强制执行前须催告当事人履行义务（《行政强制法》第五十四条）"
    else:
        first = court_application_from(notice_served_on, calendar)
        if day < first:
            yield (
                f"催告书送达满十个工作日后方可申请，最早{first.isoformat()}"
                "（《行政强制法》第五十四条、第六十九条）"
            )
    if window is not None:
        if day < window.opens:
            yield (
                f"法定起诉期限至{window.litigation_ends.isoformat()}届满，期满后方可申请"
                "（《行政强制法》第五十三条）"
            )
        elif day > window.closes:
            yield (
                f"申请期限已于{window.closes.isoformat()}届满（期限届满之日起三个月，"
                "《行政强制法》第五十三条）"
            )


# --- 代履行 -----------------------------------------------------------------------------------


def substitute_earliest(notice_served_on: date, calendar: WorkingCalendar) -> date:
    """行政强制法第五十一条第一款第二项: 代履行三日前催告 — three working days (第六十九条):
    the earliest day to carry it out after the 催告 was served."""
    return calendar.add_working_days(notice_served_on, SUBSTITUTE_NOTICE.amount)


def substitute_errors(
    day: date,
    notice_served_on: date | None,
    calendar: WorkingCalendar,
    *,
    immediate: bool = False,
) -> Iterator[str]:
    """Why 代履行 on `day` is not lawful; an immediate 代履行 (第五十二条) needs no 催告."""
    if immediate:
        return
    if notice_served_on is None:
        yield "代履行三日前须催告当事人履行（《行政强制法》第五十一条第一款第二项）"
        return
    earliest = substitute_earliest(notice_served_on, calendar)
    if day < earliest:
        latest = due_date(SUBSTITUTE_NOTICE, day, calendar)
        yield (
            f"代履行三日前须催告当事人履行：{day.isoformat()}代履行的，最迟应于{latest.isoformat()}"
            f"送达催告，按{notice_served_on.isoformat()}送达的催告最早{earliest.isoformat()}"
            "（《行政强制法》第五十一条、第六十九条）"
        )


# 第五十二条: what may be removed at once.
IMMEDIATE_OBJECTS = {
    "spill": "遗洒物",
    "obstacle": "障碍物",
    "pollutant": "污染物",
}
IMMEDIATE_PLACES = {
    "road": "道路",
    "river": "河道",
    "waterway": "航道",
    "public_place": "公共场所",
}


def immediate_errors(obj: str, place: str) -> Iterator[str]:
    """第五十二条: immediate 代履行 only of spills, obstacles or pollutants on roads, rivers,
    waterways or public places."""
    if obj not in IMMEDIATE_OBJECTS or place not in IMMEDIATE_PLACES:
        yield (
            "立即代履行仅限清除道路、河道、航道或者公共场所的遗洒物、障碍物或者污染物"
            "（《行政强制法》第五十二条）"
        )


# --- 第四十三条: time and manner ----------------------------------------------------------------

#: law.md: "夜间" undefined; default 22:00–06:00 (by analogy with 噪声法第八十八条).
NIGHT_FROM = time(22, 0)
NIGHT_UNTIL = time(6, 0)

#: 第四十三条第二款: never against residents' daily life.
UTILITY_CUTS = {
    "water": "停止供水",
    "power": "停止供电",
    "heat": "停止供热",
    "gas": "停止供燃气",
}


def is_night(moment: time, night_from: time = NIGHT_FROM, night_until: time = NIGHT_UNTIL) -> bool:
    if night_from > night_until:  # across midnight
        return moment >= night_from or moment < night_until
    return night_from <= moment < night_until


def timing_errors(
    at: datetime,
    calendar: WorkingCalendar,
    *,
    urgent_reason: str = "",
    night_from: time = NIGHT_FROM,
    night_until: time = NIGHT_UNTIL,
) -> Iterator[str]:
    """第四十三条第一款: no enforcement at night or on 法定节假日 (default: every non-working day
    of the State Council calendar) unless 情况紧急, with the reason recorded."""
    if urgent_reason.strip():
        return
    local = at.astimezone(SHANGHAI) if at.tzinfo else at
    if is_night(local.time(), night_from, night_until):
        yield (
            f"不得在夜间（{night_from:%H:%M}至{night_until:%H:%M}）实施行政强制执行，"
            "情况紧急的须记录紧急理由（《行政强制法》第四十三条第一款）"
        )
    if calendar.is_rest_day(to_shanghai_date(at)):
        yield (
            f"{local.date().isoformat()}是法定节假日，不得实施行政强制执行，"
            "情况紧急的须记录紧急理由（《行政强制法》第四十三条第一款）"
        )


def method_errors(methods: Iterable[str]) -> Iterator[str]:
    """第四十三条第二款: 不得对居民生活采取停止供水、供电、供热、供燃气等方式."""
    cut = [UTILITY_CUTS[m] for m in methods if m in UTILITY_CUTS]
    if cut:
        yield (
            f"不得对居民生活采取{'、'.join(cut)}等方式迫使当事人履行（《行政强制法》第四十三条第二款）"
        )


# --- 第三十九条 中止, 第四十条 终结, 第四十一条 执行回转, 第四十二条 执行协议 -------------------


class SuspendGround(StrEnum):
    HARDSHIP = "hardship"
    THIRD_PARTY = "third_party"
    IRREPARABLE = "irreparable"
    OTHER = "other"


SUSPEND_GROUNDS = {
    SuspendGround.HARDSHIP: "当事人履行行政决定确有困难或者暂无履行能力",
    SuspendGround.THIRD_PARTY: "第三人对执行标的主张权利，确有理由",
    SuspendGround.IRREPARABLE: "执行可能造成难以弥补的损失，且中止执行不损害公共利益",
    SuspendGround.OTHER: "行政机关认为需要中止执行的其他情形",
}


class EndGround(StrEnum):
    DIED = "died"
    DISSOLVED = "dissolved"
    LOST = "lost"
    REVOKED = "revoked"
    OTHER = "other"


END_GROUNDS = {
    EndGround.DIED: "公民死亡，无遗产可供执行，又无义务承受人",
    EndGround.DISSOLVED: "法人或者其他组织终止，无财产可供执行，又无义务承受人",
    EndGround.LOST: "执行标的灭失",
    EndGround.REVOKED: "据以执行的行政决定被撤销",
    EndGround.OTHER: "行政机关认为需要终结执行的其他情形",
}


#: 第四十一条: why the execution is turned back, and how.
REVERSAL_CAUSES = {
    "revoked": "据以执行的行政决定被撤销",
    "changed": "据以执行的行政决定被变更",
    "wrong": "执行错误",
}
REVERSAL_REMEDIES = {
    "restore": "恢复原状",
    "return": "退还财物",
    "compensate": "依法给予赔偿",
}


def suspension_alarm(suspended_on: date) -> date:
    """第三十九条第二款: the day a suspension has lasted three years."""
    return add_months(suspended_on, 12 * SUSPENSION_YEARS)


def no_longer_enforced(
    suspended_on: date, today: date, *, no_obvious_harm: bool, unable: bool
) -> bool:
    """第三十九条第二款: 没有明显社会危害，当事人确无能力履行，中止执行满三年未恢复执行的，
    行政机关不再执行."""
    return no_obvious_harm and unable and today >= suspension_alarm(suspended_on)


def suspend_errors(ground: str, reason: str) -> Iterator[str]:
    if ground not in SuspendGround.__members__.values():
        yield "请选择中止执行的情形（《行政强制法》第三十九条第一款）"
    if not reason.strip():
        yield "请填写中止执行的理由"


def end_errors(ground: str, reason: str) -> Iterator[str]:
    if ground not in EndGround.__members__.values():
        yield "请选择终结执行的情形（《行政强制法》第四十条）"
    if not reason.strip():
        yield "请填写终结执行的理由"


def agreement_errors(
    stages: Sequence[Instalment],
    owed: Decimal,
    today: date,
    *,
    waived: Decimal = Decimal("0"),
    remedied: bool = False,
    surcharge_due: Decimal = Decimal("0"),
) -> Iterator[str]:
    """第四十二条: an agreement may set stages; the surcharge may be reduced or waived only when
    the party takes remedial measures, and never by more than it is."""
    if not stages:
        yield "请填写执行协议约定的履行阶段（《行政强制法》第四十二条第一款）"
    total = Decimal("0")
    for n, row in enumerate(stages, 1):
        if row.amount <= 0 or row.amount != row.amount.quantize(CENT):
            yield f"第{n}阶段金额须大于零且最多两位小数"
        if row.due < today:
            yield f"第{n}阶段履行期限不能早于今天"
        total += row.amount
    if waived < 0:
        yield "减免的加处罚款不能为负数"
    elif waived > 0 and not remedied:
        yield "当事人采取补救措施的，方可减免加处的罚款或者滞纳金（《行政强制法》第四十二条第一款）"
    elif waived > surcharge_due:
        yield f"减免金额不能超过已加处的罚款{surcharge_due}元"
    if stages and total != owed - waived:
        yield f"各阶段金额合计{total}元，应等于应履行金额{owed - waived}元"
