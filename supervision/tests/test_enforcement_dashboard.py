"""The dashboard's 强制执行 figures: unpaid decisions by days past the party's term, court windows
closing within the warn days, enforcements completed in the period by route; each a drill-down
list scoped to the supervisor's subtree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cases.models import Case, Decision
from conftest import PASSWORD, SHANGHAI
from supervision.selectors import Period, enforcement_sets
from supervision.tests.test_api import bearer
from supervision.tests.test_enforcement_rules import (
    at,
    carried_out,
    decided,
    due_of,
    window_of,
)
from supervision.tests.test_enforcement_rules import city as city
from zhifa import clock

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)


def figures(org: Any, root: Any = None) -> dict[str, int]:
    found = enforcement_sets(root or org.city, YEAR, clock.today())
    return {k: len(v) for k, v in found.items() if v}


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_an_unpaid_decision_moves_band_the_day_after_each_bands_last_day(city):
    case = decided(city)
    due = due_of(case)
    at(due)
    assert figures(city) == {}  # the party's last day
    at(due + dt.timedelta(days=1))
    assert figures(city) == {"unpaid_30": 1}
    at(due + dt.timedelta(days=30))
    assert figures(city) == {"unpaid_30": 1}
    at(due + dt.timedelta(days=31))
    assert figures(city) == {"unpaid_90": 1}
    at(due + dt.timedelta(days=90))
    assert figures(city) == {"unpaid_90": 1}
    at(due + dt.timedelta(days=91))
    assert figures(city) == {"unpaid_180": 1}
    at(due + dt.timedelta(days=180))
    assert figures(city) == {"unpaid_180": 1}
    at(due + dt.timedelta(days=181))
    assert figures(city)["unpaid_over"] == 1


def test_a_paid_decision_is_not_unpaid(city):
    case = decided(city)
    at(due_of(case) + dt.timedelta(days=5))
    Decision.objects.filter(case=case).update(executed_on=clock.today())
    assert figures(city) == {}


def test_a_court_window_counts_from_the_warn_day_to_its_last_day(city, settings):
    case = decided(city)
    closes = window_of(case).closes
    warn = closes - dt.timedelta(days=settings.ENFORCEMENT_COURT_WARN_DAYS)
    at(warn - dt.timedelta(days=1))
    assert "court_closing" not in figures(city)
    at(warn)
    assert figures(city)["court_closing"] == 1
    at(closes)
    assert figures(city)["court_closing"] == 1
    at(closes + dt.timedelta(days=1))
    assert "court_closing" not in figures(city)


def test_an_enforcement_completed_in_the_period_counts_by_its_route(city):
    carried_out(city, dt.datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI))
    assert figures(city)["enforced_agency"] == 1
    assert not enforcement_sets(city.city, Period.year(2024), clock.today())["enforced_agency"]


def test_the_figures_link_to_drill_down_lists_a_supervisor_of_another_district_never_sees(city):
    case = decided(city)
    at(due_of(case) + dt.timedelta(days=31))
    page = login(city.supervisor).get("/supervision/?year=2025")
    assert page.status_code == 200
    html = page.content.decode()
    link = 'data-figure="unpaid_90" href="/supervision/cases/?kind=unpaid_90&from=2025-01-01'
    assert link in html
    drill = login(city.supervisor).get("/supervision/cases/?kind=unpaid_90&year=2025")
    assert drill.status_code == 200 and f"/cases/{case.pk}/" in drill.content.decode()
    assert "逾期未履行31至90日" in drill.content.decode()
    # Another district's supervisor: none of the figures, an empty list, 404 on the unit.
    assert figures(city, root=city.county) == {}
    other = login(city.county_supervisor)
    assert (
        f"/cases/{case.pk}/"
        not in other.get("/supervision/cases/?kind=unpaid_90&year=2025").content.decode()
    )
    assert (
        other.get(f"/supervision/cases/?kind=unpaid_90&unit={case.unit_id}&year=2025").status_code
        == 404
    )
    # Officers, of the unit or another, have no supervision pages.
    for officer in (city.handler, city.other_officer):
        assert login(officer).get("/supervision/cases/?kind=unpaid_90").status_code == 404
    assert Client().get("/supervision/cases/?kind=unpaid_90").status_code == 302
    assert login(city.supervisor).get("/supervision/cases/?kind=no_such").status_code == 404


def test_the_dashboard_api_gives_the_same_figures(city):
    case = decided(city)
    at(due_of(case) + dt.timedelta(days=31))
    body = Client().get("/api/supervision/dashboard?year=2025", **bearer(city.supervisor)).json()
    assert body["enforcement"]["unpaid_90"] == 1
    other = (
        Client()
        .get("/api/supervision/dashboard?year=2025", **bearer(city.county_supervisor))
        .json()
    )
    assert other["enforcement"]["unpaid_90"] == 0
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_rules_page_lists_the_enforcement_rules_with_their_articles(city):
    html = login(city.supervisor).get("/supervision/rules/").content.decode()
    assert "逾期未申请法院强制执行" in html and "行政强制法第四十三条第一款" in html
    assert login(city.handler).get("/supervision/rules/").status_code == 404
