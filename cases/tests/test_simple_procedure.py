"""简易程序: 行政处罚法 Art. 51 (amount limits), 52 (on the spot), 68-71 (collection)."""

from __future__ import annotations

import pytest

from cases.models import Case
from cases.services.steps import case_act, case_register
from cases.tests.flow import ORG_CODE, PERSON_ID, act, register, written
from deadlines.models import Deadline
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db


def _open(org, kind: str = "person") -> Case:
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
        act_on=clock.today(),
        matter_code=org.matter.code,
        parties=[party],
    )


def _decide(org, case: Case, amount: str, **extra):
    data = {
        "certificate_shown": True,
        "facts": "店外乱设广告牌",
        "basis": "条例第三十六条",
        "place": "柳园路",
        "penalties": [{"type": "fine", "amount": amount}],
        "delivered_on_spot": True,
        **extra,
    }
    return case_act(
        case_id=case.pk, actor=org.handler, step="simple_decide", decision="submit", data=data
    )


@pytest.mark.parametrize(
    ("kind", "limit", "over"),
    [
        ("person", "200.00", "200.01"),
        ("organisation", "3000.00", "3000.01"),
    ],
)
def test_the_on_the_spot_fine_limit_is_200_for_a_citizen_and_3000_for_an_organisation(
    org, kind, limit, over
):
    case = _open(org, kind)
    assert_refused(lambda: _decide(org, case, over), "第五十一条", unchanged=written)
    assert _decide(org, case, limit).step == "simple_execute"


def test_the_officer_must_show_the_certificate(org):
    case = _open(org)
    assert_refused(
        lambda: _decide(org, case, "50.00", certificate_shown=False),
        "出示执法证件",
        unchanged=written,
    )


def test_a_simple_case_is_decided_collected_and_filed(org):
    case = _decide(org, _open(org), "100.00")
    assert case.decisions.get().number == "聊城管当罚决〔2025〕1号"
    case = case_act(
        case_id=case.pk,
        actor=org.handler,
        step="simple_execute",
        decision="submit",
        data={"kind": "on_spot", "amount": "100.00", "receipt_no": "NO.0001"},
    )
    handover = Deadline.objects.get(case=case, code="on_spot_fine_handover")
    assert handover.due_on.isoformat() == "2025-03-05"  # 2 working days (Art. 71)
    case = case_act(
        case_id=case.pk,
        actor=org.chief,
        step="simple_record",
        decision="approve",
        data={"opinion": "已备案"},
    )
    assert case.status == Case.Status.CLOSED
    assert Deadline.objects.get(pk=handover.pk).status == Deadline.Status.MET


def test_more_than_100_yuan_is_not_collected_on_the_spot_unless_later_collection_is_hard(org):
    case = _decide(org, _open(org, "organisation"), "500.00")
    data = {"kind": "on_spot", "amount": "500.00", "receipt_no": "NO.0002"}
    assert_refused(
        lambda: case_act(
            case_id=case.pk,
            actor=org.handler,
            step="simple_execute",
            decision="submit",
            data=data,
        ),
        "第六十八条",
        unchanged=written,
    )
    case = case_act(
        case_id=case.pk,
        actor=org.handler,
        step="simple_execute",
        decision="submit",
        data={**data, "hard_to_collect_later": True},
    )
    assert case.step == "simple_record"


def test_a_lead_may_be_turned_into_a_simple_case(org):
    case = register(org, matter_code=org.matter.code)
    case = act(org, case, "lead_approve", decision="simple")
    assert (case.procedure, case.step) == ("simple", "simple_decide")
