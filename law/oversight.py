"""Supervision instruments of the 行政执法监督条例 (国务院令第825号, in force 2026-02-01) and their
reply periods, as data. Pure: no Django.

- 督办函 for failure to act (第二十七条); 意见书 for unlawful or clearly improper acts (第二十八条).
- Either ignored, or a major matter: 处理建议 to the 本级人民政府, which decides by 决定书
  (第二十九条).
- The national text says only “在规定时限内”. The periods are per-jurisdiction settings; the
  defaults come from the 山东省行政执法监督条例 (2014): 30 days to correct after an 意见书
  (第二十八条), 30 days to report after a 决定书 (第二十九条); the 督办函 period is unconfirmed and
  defaults to 30 days as well.
- They are calendar days (no working-day clause applies), the start day not counted. They bind the
  agency, so like the agency's other limits they do not roll over a holiday (law.limits).
"""

from __future__ import annotations

from datetime import date

from law.limits import DayKind, TimeLimit

NATIONAL = "行政执法监督条例"
SHANDONG = "山东省行政执法监督条例"
IN_FORCE = date(2026, 2, 1)

URGE = "urge"
OPINION = "opinion"
INSTRUMENTS: dict[str, tuple[str, str]] = {
    URGE: ("督办函", "第二十七条"),
    OPINION: ("意见书", "第二十八条"),
}
DEFAULT_URGE_REPLY_DAYS = 30  # unconfirmed: a setting
DEFAULT_OPINION_REPLY_DAYS = 30  # 山东省行政执法监督条例第二十八条
DEFAULT_DECISION_REPORT_DAYS = 30  # 山东省行政执法监督条例第二十九条


def instrument_label(instrument: str) -> str:
    if instrument not in INSTRUMENTS:
        raise ValueError(f"文书类型“{instrument}”无效，应为督办函或意见书")
    return INSTRUMENTS[instrument][0]


def reply_limit(instrument: str, days: int) -> TimeLimit:
    """The period the agency has to answer a 督办函 or to correct after an 意见书."""
    label = instrument_label(instrument)
    article = INSTRUMENTS[instrument][1]
    return TimeLimit(
        code=f"oversight_{instrument}_reply",
        name=f"{label}答复（整改）期限",
        amount=days,
        kind=DayKind.CALENDAR,
        law=NATIONAL,
        article=article,
        note="期限按本地规定设置；山东省行政执法监督条例第二十八条为30日"
        if instrument == OPINION
        else "期限按本地规定设置（暂定30日，待核实）",
    )


def report_limit(days: int) -> TimeLimit:
    """The period to report back after the government's 决定书 (第二十九条)."""
    return TimeLimit(
        code="oversight_decision_report",
        name="决定书执行情况报告期限",
        amount=days,
        kind=DayKind.CALENDAR,
        law=NATIONAL,
        article="第二十九条",
        note="山东省行政执法监督条例第二十九条：30日内报告",
    )


def is_late(due_on: date | None, done_on: date | None, today: date) -> bool:
    """Late once the day after the last lawful day is reached without the act, or when the act
    came after the last day. No period running: never late."""
    if due_on is None:
        return False
    return (done_on or today) > due_on


# 第三十二条: recommendations on officers; the competent authority (有权机关) decides.
OFFICER_MEASURES: dict[str, str] = {
    "criticism": "批评教育",
    "retraining": "离岗教育",
    "reassignment": "调离执法岗位",
    "disqualification": "取消执法资格",
}

# 第三十一条: the outcome is circulated or published.
PUBLICATIONS: dict[str, str] = {"circulate": "通报", "publish": "向社会公开"}

# 第二十条: 重点监督 clues from 12345 and business complaints.
CLUE_CHANNELS: dict[str, str] = {"12345": "12345政务服务便民热线", "business": "企业投诉"}
