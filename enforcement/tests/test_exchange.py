"""The 行政强制 form counts the platform's enforcements (coercion.Enforcement rows and the
statistics summary the services write), and the exchange round trip keeps them: export, an empty
database, import, the same figures."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Case, Tally
from cases.tests.flow import advance, register
from coercion.models import Enforcement
from conftest import START
from enforcement.services import enforcement_act
from enforcement.tests.test_services import at, decided, noticed
from exchange.export import export_lines
from exchange.load import import_lines
from inspections.models import Inspection
from law.validators import make_credit_code
from orgs.services import regions_ensure
from supervision.selectors import Period, form_table
from zhifa import clock

pytestmark = pytest.mark.django_db


def coercion_form(org) -> list[tuple[str, dict]]:
    table = form_table("coercion", root=org.city, period=Period.year(2025))
    return [(r.label, dict(r.values)) for r in table.all_rows()]


def court_enforced(org) -> Case:
    case = decided(org)
    r = noticed(org, case)
    at(dt.date(2025, 10, 21))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="court", data={})
    data = {"court": "东昌府区人民法院", "materials_complete": True}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="draft", data=data)
    r = enforcement_act(record_id=r.pk, actor=org.director, decision="sign", data={"signed": True})
    on = {"on": "2025-10-21"}
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="accepted", data=on)
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="granted", data=on)
    assert r.outcome == "court_enforced"
    return case


def agency_enforced(org) -> Case:
    org.matter.own_enforcement_power = True
    # A grant over money (a fine taken by 划拨): 税收征收管理法第四十条.
    org.matter.enforcement_power_scope = "money"
    org.matter.enforcement_power_basis = "《中华人民共和国税收征收管理法》第四十条"
    org.matter.save()
    other = {
        "kind": "organisation",
        "name": "聊城市另一商贸有限公司",
        "id_number": make_credit_code("91371500MA3C0001X"),
        "address": "聊城市东昌府区柳园路2号",
        "legal_rep": "李某",
    }
    case = advance(org, register(org, parties=[other]), "execution")
    r = noticed(org, case)
    at(dt.date(2025, 10, 9))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={})
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="draft",
        data={"reason": "逾期不缴纳罚款", "type": "transfer_funds", "remedies_told": True},
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.director, decision="approve", data={"opinion": "同意"}
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": "2025-10-09"}
    )
    at(dt.date(2026, 1, 5))  # recorded in the new year, carried out in the old one
    carry = {
        "officers": [org.handler.pk, org.co_handler.pk],
        "carried_out_at": "2025-12-31T10:00:00+08:00",
        "methods": [],
    }
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="carry_out", data=carry)
    assert r.outcome == "enforced"
    assert Enforcement.objects.get(case=case).on == dt.date(2025, 12, 31)
    return case


def test_the_coercion_form_counts_platform_enforcements_and_keeps_them_through_the_exchange(org):
    regions_ensure()
    court_enforced(org)
    clock.set_now(START)
    agency_enforced(org)
    before = coercion_form(org)
    total = before[-1][1]
    assert (total["e_court"], total["e_transfer_funds"]) == (1, 1)
    assert total["enforcements_total"] == 1 and total["total"] == 2
    exported = list(export_lines())
    rows = sorted(Enforcement.objects.values_list("type", "on"))
    Case.objects.all().delete()
    Inspection.objects.all().delete()
    Tally.objects.all().delete()
    assert coercion_form(org)[-1][1]["total"] == 0
    import_lines(exported)
    assert sorted(Enforcement.objects.values_list("type", "on")) == rows
    assert coercion_form(org) == before
