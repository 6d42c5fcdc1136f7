"""The supervision instruments of the 行政执法监督条例 and their reply periods (law/oversight.py):
each period as the whole time limit it makes, lateness on the last day and the day after."""

from __future__ import annotations

from datetime import date

import pytest

from law import oversight as o
from law.calendar import WorkingCalendar
from law.limits import DayKind, TimeLimit, due_date

DUE = date(2026, 3, 31)


def test_the_instruments_are_named_by_their_labels():
    assert o.instrument_label(o.URGE) == "督办函"
    assert o.instrument_label(o.OPINION) == "意见书"


def test_an_unknown_instrument_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^文书类型“letter”无效，应为督办函或意见书$"):
        o.instrument_label("letter")
    with pytest.raises(ValueError, match=r"^文书类型“letter”无效，应为督办函或意见书$"):
        o.reply_limit("letter", 30)


def test_an_urging_letter_is_answered_within_its_period_under_article_27():
    assert o.reply_limit(o.URGE, 20) == TimeLimit(
        code="oversight_urge_reply",
        name="督办函答复（整改）期限",
        amount=20,
        kind=DayKind.CALENDAR,
        law="行政执法监督条例",
        article="第二十七条",
        note="期限按本地规定设置（暂定30日，待核实）",
    )


def test_an_opinion_is_acted_on_within_the_shandong_thirty_days_under_article_28():
    assert o.reply_limit(o.OPINION, o.DEFAULT_OPINION_REPLY_DAYS) == TimeLimit(
        code="oversight_opinion_reply",
        name="意见书答复（整改）期限",
        amount=30,
        kind=DayKind.CALENDAR,
        law="行政执法监督条例",
        article="第二十八条",
        note="期限按本地规定设置；山东省行政执法监督条例第二十八条为30日",
    )


def test_the_report_after_the_governments_decision_is_due_within_its_period_under_article_29():
    assert o.report_limit(30) == TimeLimit(
        code="oversight_decision_report",
        name="决定书执行情况报告期限",
        amount=30,
        kind=DayKind.CALENDAR,
        law="行政执法监督条例",
        article="第二十九条",
        note="山东省行政执法监督条例第二十九条：30日内报告",
    )


def test_an_opinion_served_on_1_march_is_due_on_31_march_a_holiday_or_not():
    limit = o.reply_limit(o.OPINION, 30)
    assert due_date(limit, date(2026, 3, 1), WorkingCalendar()) == DUE
    # 30 days from 2026-09-01 end on 10-01, 国庆: the agency's period does not roll over.
    assert due_date(limit, date(2026, 9, 1), WorkingCalendar()) == date(2026, 10, 1)


def test_a_reply_on_the_last_day_is_in_time_and_the_day_after_is_late():
    assert not o.is_late(DUE, DUE, date(2026, 5, 1))
    assert o.is_late(DUE, date(2026, 4, 1), date(2026, 5, 1))


def test_without_a_reply_the_matter_is_late_from_the_day_after_the_last_day():
    assert not o.is_late(DUE, None, DUE)
    assert o.is_late(DUE, None, date(2026, 4, 1))


def test_without_a_period_running_nothing_is_late():
    assert not o.is_late(None, None, date(2030, 1, 1))
    assert not o.is_late(None, date(2030, 1, 1), date(2030, 1, 1))
