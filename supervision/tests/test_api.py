from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from demo.testing import otp_code
from exchange.export import dump
from exchange.load import import_lines
from orgs.identity import totp_device
from orgs.services import regions_ensure
from supervision.models import Item
from supervision.services import supervision_scan
from supervision.tests.records import known_2022


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    import_lines(dump(known_2022()).splitlines())
    return org


def bearer(user: Any) -> dict[str, str]:
    body = {"username": user.username, "password": PASSWORD}
    if totp_device(user) is not None:  # the supervisors log in with their second factor
        body["otp_token"] = otp_code(user)
    r = Client().post("/api/auth/token", body, content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_the_penalty_form_as_json_has_exact_amounts(city):
    r = Client().get("/api/supervision/forms/penalty?year=2022", **bearer(city.supervisor))
    assert r.status_code == 200
    body = r.json()
    assert body["title"] == "聊城市2022年行政处罚情况统计表"
    total = body["rows"][-1]
    assert total["label"] == "合计" and total["values"]["amount"] == "10.640049"
    assert total["values"]["filed"] == 6 and body["columns"][0] == {
        "key": "filed",
        "label": "立案数量",
    }


def test_a_county_supervisor_cannot_draw_another_subtree(city):
    auth = bearer(city.county_supervisor)
    assert (
        Client().get("/api/supervision/forms/penalty?year=2022&unit=371500-CGJ", **auth).status_code
        == 404
    )
    r = Client().get("/api/supervision/forms/penalty?year=2022", **auth)
    assert [row["label"] for row in r.json()["rows"]] == ["东昌府区", "合计"]


def test_the_dashboard_and_items_over_the_api(city):
    supervision_scan()
    auth = bearer(city.supervisor)
    dash = Client().get("/api/supervision/dashboard?year=2022", **auth).json()
    assert dash["totals"]["filed"] == 6 and dash["totals"]["closed"] == 5
    gx_item = Item.objects.get(case__case_no="F")
    r = Client().post(
        f"/api/supervision/items/{gx_item.pk}/send",
        {"kind": "notice"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200 and r.json()["status"] == "sent"
    again = Client().post(
        f"/api/supervision/items/{gx_item.pk}/send",
        {"kind": "notice"},
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 422 and again.json()["errors"]


@pytest.mark.parametrize("who", ["handler", "county_officer"])
def test_officers_get_404_from_the_supervisor_endpoints(city, who):
    auth = bearer(getattr(city, who))
    assert Client().get("/api/supervision/dashboard", **auth).status_code == 404
    assert Client().get("/api/supervision/forms/penalty", **auth).status_code == 404
    assert Client().get("/api/supervision/items", **auth).json() == []


def test_anonymous_callers_are_refused(city):
    assert Client().get("/api/supervision/forms/penalty").status_code == 401
