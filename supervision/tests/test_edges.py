"""Supervision on the edges: the decision-limit rule of the nightly scan on the ninetieth day and
the day after, and the year's forms on 1 January and 31 December."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cases.models import Case
from cases.tests.flow import act, advance, register
from conftest import SHANGHAI
from exchange.export import dump
from exchange.load import import_lines
from orgs.services import regions_ensure
from supervision.models import Item
from supervision.selectors import Period, form_table
from supervision.services import supervision_scan
from supervision.tests.records import PERSON, case, decision, fine, inspection, party
from zhifa import clock


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    return org


def imported(no: str, filed: str, decided: str) -> Case:
    record = case(
        "cgj",
        no,
        filed,
        decided,
        [party("person", "甲", PERSON, decision(f"{no}-1", decided, [fine("5000.00")]))],
    )
    import_lines(dump([record]).splitlines())
    return Case.objects.get(case_no=no)


def flagged_late() -> list[tuple[int, str]]:
    return list(Item.objects.filter(rule="decided_late").values_list("case_id", "detail"))


# --- 行政处罚法第六十条 through the scan ----------------------------------------------------------


def test_an_imported_decision_on_the_ninetieth_day_is_not_flagged_late(city):
    imported("DAY90", "2022-01-01", "2022-04-01")
    supervision_scan()
    assert flagged_late() == []


def test_an_imported_decision_on_the_ninety_first_day_is_flagged_late(city):
    c = imported("DAY91", "2022-01-01", "2022-04-02")
    supervision_scan()
    assert flagged_late() == [(c.pk, "2022-01-01立案，2022-04-02作出决定，超过期限2022-04-01")]


def on(day: dt.date) -> None:
    clock.set_now(dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI))


def test_a_platform_decision_on_the_ninetieth_day_is_not_flagged_late(city):
    c = advance(city, register(city), until="decision_approve")  # filed Mon 2025-03-03
    on(dt.date(2025, 6, 1))
    advance(city, c, until="end")
    assert supervision_scan() == 0
    assert flagged_late() == []


def test_a_platform_decision_on_the_ninety_first_day_is_flagged_late(city):
    c = advance(city, register(city), until="decision_approve")
    on(dt.date(2025, 6, 2))
    c = act(city, c, "decision_approve", extension_reason="案情复杂，经负责人批准延长")
    advance(city, c, until="end")
    assert supervision_scan() == 1
    assert flagged_late() == [(c.pk, "2025-03-03立案，2025-06-02作出决定，超过期限2025-06-01")]


# --- the year's forms: 1 January and 31 December inside, their neighbours outside --------------

DAYS = ("2021-12-31", "2022-01-01", "2022-12-31", "2023-01-01")


@pytest.fixture
def year_edges(city):
    records = [
        case(
            "cgj",
            f"EDGE-{day}",
            day,
            day,
            [party("person", "甲", PERSON, decision(f"EDGE-{day}-1", day, [fine("100.00")]))],
            measures=[{"type": "seize", "on": day}],
            enforcements=[{"type": "surcharge", "on": day}],
        )
        for day in DAYS
    ] + [inspection("cgj", f"INS-{day}", day) for day in DAYS]
    import_lines(dump(records).splitlines())
    return city


def total(form: str, org: Any, year: int) -> dict[str, Any]:
    return form_table(form, root=org.city, period=Period.year(year)).total.values


def test_the_years_penalty_form_counts_1_january_and_31_december_and_not_their_neighbours(
    year_edges,
):
    t = total("penalty", year_edges, 2022)
    assert (t["filed"], t["closed"], t["type_fine"], t["amount"]) == (2, 2, 2, Decimal("0.02"))


def test_the_years_coercion_form_counts_1_january_and_31_december_and_not_their_neighbours(
    year_edges,
):
    t = total("coercion", year_edges, 2022)
    assert (t["m_seize"], t["e_surcharge"], t["total"]) == (2, 2, 4)


def test_the_years_inspection_form_counts_1_january_and_31_december_and_not_their_neighbours(
    year_edges,
):
    assert total("inspection", year_edges, 2022)["inspections"] == 2


def test_31_december_and_1_january_each_count_in_their_own_year(year_edges):
    assert total("penalty", year_edges, 2021)["filed"] == 1
    assert total("penalty", year_edges, 2023)["filed"] == 1
    assert total("inspection", year_edges, 2021)["inspections"] == 1
    assert total("inspection", year_edges, 2023)["inspections"] == 1
