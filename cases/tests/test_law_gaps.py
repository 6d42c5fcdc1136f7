"""Law gaps of issue 15 item 9: a 简易程序 fine outside the matter's legal range is refused at once
(行政处罚法第五十一条), and a second fine for the same act of the same party in another case is
refused (第二十九条: 对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Case
from cases.services.steps import case_act, case_register
from cases.tests.flow import ORG_CODE, PERSON_ID, act, advance, register, written
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db


def _simple(org, *, kind: str = "person", act_on: dt.date | None = None) -> Case:
    party = (
        {"kind": "person", "name": "李某", "id_number": PERSON_ID, "address": "某地"}
        if kind == "person"
        else {"kind": "organisation", "name": "某公司", "id_number": ORG_CODE, "address": "某地"}
    )
    return case_register(
        actor=org.handler,
        procedure="simple",
        source="patrol",
        clue="当场发现",
        discovered_on=clock.today(),
        act_on=act_on or clock.today(),
        matter_code=org.matter.code,
        parties=[party],
    )


def _decide(org, case: Case, *penalties: dict[str, str]) -> Case:
    data = {
        "certificate_shown": True,
        "facts": "店外乱设广告牌",
        "basis": "条例第三十六条",
        "place": "柳园路",
        "penalties": list(penalties) or [{"type": "fine", "amount": "100.00"}],
        "delivered_on_spot": True,
    }
    return case_act(
        case_id=case.pk, actor=org.handler, step="simple_decide", decision="submit", data=data
    )


def test_an_on_the_spot_fine_below_the_legal_minimum_is_refused_at_once(org):
    org.matter.legal_min = Decimal("50")
    org.matter.save()
    case = _simple(org)
    assert_refused(
        lambda: _decide(org, case, {"type": "fine", "amount": "49.99"}),
        "法定幅度（50.00–10000.00元）",
        "第五十一条",
        unchanged=written,
    )
    assert _decide(org, case, {"type": "fine", "amount": "50.00"}).step == "simple_execute"


def test_a_second_on_the_spot_fine_for_the_same_act_is_refused_by_article_29(org):
    first = _decide(org, _simple(org))
    number = first.decisions.get().number
    second = _simple(org)
    assert_refused(
        lambda: _decide(org, second),
        f"已在处罚决定书{number}中被处以罚款",
        "第二十九条",
        unchanged=written,
    )
    # A warning for the act is not a second fine.
    assert _decide(org, second, {"type": "warning"}).step == "simple_execute"


def test_a_fine_for_an_act_on_another_day_is_another_act(org):
    _decide(org, _simple(org, act_on=clock.today() - dt.timedelta(days=1)))
    assert _decide(org, _simple(org)).step == "simple_execute"


def test_a_general_case_cannot_fine_a_party_already_fined_on_the_spot_for_the_act(org):
    act_on = clock.today() - dt.timedelta(days=10)  # the act of cases.tests.flow.register
    earlier = _decide(org, _simple(org, kind="organisation", act_on=act_on))
    case = advance(org, register(org), until="decision_issue")
    assert_refused(
        lambda: act(org, case, "decision_issue"),
        f"已在处罚决定书{earlier.decisions.get().number}中被处以罚款",
        "第二十九条",
        unchanged=written,
    )


def test_a_continuing_act_overlapping_the_earlier_one_is_the_same_act(org):
    act_on = clock.today() - dt.timedelta(days=10)
    _decide(org, _simple(org, kind="organisation", act_on=act_on + dt.timedelta(days=3)))
    case = register(org, act_ended_on=act_on + dt.timedelta(days=3))
    case = advance(org, case, until="decision_issue")
    assert_refused(lambda: act(org, case, "decision_issue"), "第二十九条", unchanged=written)
    later = register(org, act_on=act_on, act_ended_on=act_on + dt.timedelta(days=2))
    later = advance(org, later, until="decision_issue")
    assert act(org, later, "decision_issue").step == "delivery"


# --- 行政处罚法第三十六条: five years only with harm recorded on the case ---------------


def test_a_five_year_matter_files_an_old_act_only_with_the_harm_recorded_on_the_case(org):
    org.matter.time_bar_years = 5
    org.matter.save()
    today = clock.today()
    # Discovered two years and a day after the act: past the ordinary bar, within the five years.
    case = register(org, act_on=today.replace(year=today.year - 2) - dt.timedelta(days=1))
    case = act(org, case, "lead_approve")
    assert_refused(
        lambda: act(org, case, "filing_request"),
        "超过2年追责时效",
        "本案未记录危害后果",
        "第三十六条",
        unchanged=written,
    )
    case = act(org, case, "filing_request", harmful_consequences=True)
    assert Case.objects.get(pk=case.pk).harmful_consequences is True
    case = act(org, case, "filing_review")
    assert act(org, case, "filing_approve").step == "investigation"


def test_the_harm_is_checked_again_when_filing_is_approved(org):
    org.matter.time_bar_years = 5
    org.matter.save()
    today = clock.today()
    case = register(org, act_on=today.replace(year=today.year - 2) - dt.timedelta(days=1))
    case = act(org, act(org, case, "lead_approve"), "filing_request", harmful_consequences=True)
    case = act(org, case, "filing_review")
    Case.objects.filter(pk=case.pk).update(harmful_consequences=False)
    assert_refused(
        lambda: act(org, case, "filing_approve"), "本案未记录危害后果", unchanged=written
    )
