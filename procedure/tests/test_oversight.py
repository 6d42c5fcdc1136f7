"""The supervision matter table (行政执法监督条例 2026), pure: each refusal by its reason, for an
actor who passes every other check."""

from __future__ import annotations

import datetime as dt

import pytest

from law import oversight as law
from law.calendar import WorkingCalendar
from law.limits import due_date
from procedure.oversight import ACTIONS, MatterFacts, Side, State, open_refusals, refusals, target

SUP = frozenset({Side.SUPERVISOR})
AGENCY = frozenset({Side.AGENCY})


def test_the_supervisor_sends_an_opened_matter_and_it_waits_for_the_answer():
    assert refusals("send", MatterFacts(State.OPENED, SUP)) == []
    assert target("send", State.OPENED) is State.SENT


def test_the_agency_cannot_send_its_own_instrument():
    assert refusals("send", MatterFacts(State.OPENED, AGENCY)) == [
        "只有本级或上级执法监督员可以办理该操作"
    ]


def test_the_supervisor_cannot_answer_for_the_agency():
    assert refusals("answer", MatterFacts(State.SENT, SUP)) == [
        "只有被监督单位的业务科长或分管局长可以办理该操作"
    ]


def test_an_answer_is_refused_once_the_matter_is_answered():
    assert refusals("answer", MatterFacts(State.ANSWERED, AGENCY)) == [
        "监督事项当前状态为“已答复”，不能答复整改情况"
    ]


def test_an_objection_is_decided_by_the_supervisor_either_way():
    assert target("accept_objection", State.OBJECTED) is State.CLOSED
    assert target("reject_objection", State.OBJECTED) is State.SENT
    assert refusals("accept_objection", MatterFacts(State.OBJECTED, AGENCY)) == [
        "只有本级或上级执法监督员可以办理该操作"
    ]


def test_a_proposal_to_the_government_needs_an_ignored_or_major_matter():
    refused = refusals("propose", MatterFacts(State.SENT, SUP, ignored=False, major=False))
    assert len(refused) == 1 and "第二十九条" in refused[0]
    assert refusals("propose", MatterFacts(State.SENT, SUP, ignored=True)) == []
    assert refusals("propose", MatterFacts(State.SENT, SUP, major=True)) == []


def test_the_decision_report_belongs_to_the_agency_after_the_government_decided():
    assert refusals("report", MatterFacts(State.DECIDED, AGENCY)) == []
    assert refusals("report", MatterFacts(State.PROPOSED, AGENCY)) == [
        "监督事项当前状态为“已提出处理建议”，不能报告决定执行情况"
    ]


def test_publication_and_officer_measures_leave_the_state_where_it_is():
    for code in ("publish", "recommend", "measure_decide"):
        assert target(code, State.DECIDED) is State.DECIDED
        assert State.OPENED not in ACTIONS[code].sources


def test_a_closed_matter_cannot_be_sent_again():
    assert refusals("send", MatterFacts(State.CLOSED, SUP)) == [
        "监督事项当前状态为“已办结”，不能发函"
    ]


@pytest.mark.parametrize(
    ("kinds", "channel"),
    [
        (["reconsideration"], "行政复议"),
        (["litigation"], "行政诉讼"),
        (["litigation", "reconsideration", "litigation"], "行政复议、行政诉讼"),
    ],
)
def test_a_decision_under_pending_review_is_no_supervision_matter(kinds, channel):
    (reason,) = open_refusals(kinds)
    assert f"正在{channel}中" in reason and f"通过{channel}程序解决" in reason
    assert "第三十三条第三款" in reason
    assert open_refusals([]) == []


def test_the_opinion_period_is_thirty_calendar_days_not_counting_the_day_it_is_sent():
    limit = law.reply_limit(law.OPINION, law.DEFAULT_OPINION_REPLY_DAYS)
    # Sent 2026-04-20: 30 calendar days run through the 劳动节 holiday to 2026-05-20.
    due = due_date(limit, dt.date(2026, 4, 20), WorkingCalendar())
    assert due == dt.date(2026, 5, 20)
    assert not law.is_late(due, due, due)
    assert law.is_late(due, None, due + dt.timedelta(days=1))


def test_an_agency_period_ending_on_a_holiday_does_not_roll_over():
    limit = law.report_limit(30)
    # Decided 2026-09-01: the 30th day is 2026-10-01, 国庆节; the agency's own limit stays.
    assert due_date(limit, dt.date(2026, 9, 1), WorkingCalendar()) == dt.date(2026, 10, 1)


def test_an_unknown_instrument_is_refused_in_chinese():
    with pytest.raises(ValueError, match="应为督办函或意见书"):
        law.reply_limit("letter", 30)
