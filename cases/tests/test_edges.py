"""The case's statutory windows on their last day and the day after, each refused by its reason
with an actor who passes every other guard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cases.tests.flow import act, advance, register, written
from conftest import SHANGHAI
from deadlines.models import Deadline
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db

PARTY = "聊城市某某商贸有限公司"  # the party of `register`


def on(day: dt.date) -> None:
    clock.set_now(dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI))


# --- 行政处罚法第六十条: the decision within ninety days of 立案 ------------------------------

FILED = dt.date(2025, 3, 3)
NINETIETH = dt.date(2025, 6, 1)


def test_the_decision_is_approved_on_the_ninetieth_day_without_an_extension(org):
    case = advance(org, register(org), until="decision_approve")
    assert case.filed_on == FILED
    on(NINETIETH)
    case = act(org, case, "decision_approve")
    assert case.step == "decision_issue"


def test_the_decision_on_the_ninety_first_day_is_refused_without_an_extension(org):
    case = advance(org, register(org), until="decision_approve")
    on(NINETIETH + dt.timedelta(days=1))
    refusal = assert_refused(
        lambda: act(org, case, "decision_approve"), "第六十条", unchanged=written
    )
    assert refusal.errors == [
        "已超过作出处罚决定的期限（2025-06-01，《行政处罚法》第六十条），如依法延长须填写延期理由及依据"
    ]


# --- 行政处罚法第六十四条: the five working days to answer the notice -----------------------

# Notice served Mon 2025-03-03: 4, 5, 6, 7, 10 March.
WINDOW_END = dt.date(2025, 3, 10)


@pytest.fixture
def notified(org):
    case = advance(org, register(org), until="notice_response")
    window = Deadline.objects.get(case=case, code="hearing_request")
    assert window.due_on == WINDOW_END
    return case


def test_silence_cannot_be_recorded_on_the_last_day_of_the_statement_window(org, notified):
    on(WINDOW_END)
    refusal = assert_refused(
        lambda: act(org, notified, "notice_response", responses=[{"party": 0, "kind": "none"}]),
        "答复期限尚未届满",
        unchanged=written,
    )
    assert refusal.errors == [f"当事人“{PARTY}”的答复期限尚未届满，不能记为逾期未答复"]


def test_the_party_is_still_awaited_on_the_last_day_of_the_statement_window(org, notified):
    on(WINDOW_END)
    refusal = assert_refused(
        lambda: act(org, notified, "notice_response", responses=[]),
        "期限届满前须录入",
        unchanged=written,
    )
    assert refusal.errors == [
        f"当事人“{PARTY}”的陈述申辩、听证申请期限至2025-03-10届满，"
        "期限届满前须录入其陈述申辩或放弃声明"
    ]


def test_silence_is_recorded_the_day_after_the_statement_window_closes(org, notified):
    on(WINDOW_END + dt.timedelta(days=1))
    case = act(org, notified, "notice_response", responses=[{"party": 0, "kind": "none"}])
    assert case.step == "notice_review"


def test_a_statement_given_on_the_last_day_of_the_window_is_taken(org, notified):
    on(WINDOW_END)
    case = act(org, notified, "notice_response")
    assert case.step == "notice_review"


# --- a fine on a matter the catalogue gives no band (settings.FINE_CEILING_WITHOUT_BAND) -------


def test_a_fine_of_a_trillion_on_a_matter_without_a_band_is_refused_and_the_ceiling_passes(
    org, settings
):
    org.matter.legal_min = org.matter.legal_max = None
    org.matter.bands = None
    org.matter.save()
    case = advance(org, register(org), until="investigation_report")
    huge = [
        {
            "party": 0,
            "outcome": "penalty",
            "penalties": [{"type": "fine", "amount": "999999999999.99"}],
        }
    ]
    assert_refused(
        lambda: act(org, case, "investigation_report", proposals=huge),
        "超过本平台对未载明法定幅度的权责事项",
        "上限100000000.00元",
        unchanged=written,
    )
    settings.FINE_CEILING_WITHOUT_BAND = Decimal("999999999999.99")
    case = act(org, case, "investigation_report", proposals=huge)
    assert case.step == "investigation_review"
