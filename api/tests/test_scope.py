"""Data scope: an officer reads its unit, a supervisor its subtree; everyone else gets 404."""

from __future__ import annotations

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from cases.tests.flow import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org):
    return register(org)


def test_an_officer_of_the_unit_reads_its_case(org, case):
    r = ApiUser(Client(), "chief").get(f"/api/cases/{case.pk}")
    assert r.status_code == 200 and r.json()["lead_no"] == case.lead_no


def test_an_officer_of_another_agency_gets_404_for_the_case_and_its_record(org, case):
    other = ApiUser(Client(), "scjg-officer")
    assert other.get(f"/api/cases/{case.pk}").status_code == 404
    assert other.get(f"/api/cases/{case.pk}/record").status_code == 404
    assert (
        other.post(
            f"/api/cases/{case.pk}/lead_approve", {"decision": "file", "opinion": "同意"}
        ).status_code
        == 404
    )
    assert other.get("/api/cases").json()["count"] == 0


def test_an_officer_of_a_county_agency_gets_404(org, case):
    assert ApiUser(Client(), "county-officer").get(f"/api/cases/{case.pk}").status_code == 404


def test_the_city_justice_bureau_supervisor_reads_every_case_of_the_city(org, case):
    sup = ApiUser(Client(), "supervisor")
    assert sup.get(f"/api/cases/{case.pk}").status_code == 200
    assert sup.get(f"/api/cases/{case.pk}/record").json()["verified"] is True
    assert sup.get("/api/cases").json()["count"] == 1


def test_a_supervisor_reads_but_cannot_act_on_a_case(org, case):
    r = ApiUser(Client(), "supervisor").post(
        f"/api/cases/{case.pk}/lead_approve", {"decision": "file", "opinion": "同意"}
    )
    assert r.status_code == 422
    assert "只能办理本单位的案件" in r.json()["errors"]


def test_a_county_supervisor_does_not_see_a_city_agency_case(org, case):
    assert ApiUser(Client(), "county-supervisor").get(f"/api/cases/{case.pk}").status_code == 404


def test_a_system_administrator_does_not_read_cases(org, case):
    assert ApiUser(Client(), "sysadmin").get(f"/api/cases/{case.pk}").status_code == 404


def test_an_anonymous_caller_is_refused_everywhere(org, case):
    client = Client()
    assert client.get(f"/api/cases/{case.pk}").status_code == 401
    assert client.get("/api/cases").status_code == 401
    assert client.post(f"/api/cases/{case.pk}/lead_approve", {}).status_code == 401


def test_a_wrong_password_gets_no_token(org):
    r = Client().post(
        "/api/auth/token",
        {"username": "handler", "password": "wrong-pass"},
        content_type="application/json",
    )
    assert r.status_code == 401 and r.json()["errors"] == ["用户名或密码错误"]


def test_search_finds_a_case_by_party_name_and_id_number(org, case):
    chief = ApiUser(Client(), "chief")
    assert chief.get("/api/cases?q=某某商贸").json()["count"] == 1
    assert chief.get(f"/api/cases?q={case.parties.first().id_number}").json()["count"] == 1
    assert chief.get("/api/cases?q=不存在的公司").json()["count"] == 0


def test_a_revoked_token_no_longer_opens_anything(org):
    handler = ApiUser(Client(), "handler")
    assert handler.get("/api/me").status_code == 200
    assert handler.client.delete("/api/auth/token", **handler.auth).status_code == 204
    assert handler.get("/api/me").status_code == 401


def test_an_expired_token_is_refused(org):
    from conftest import move

    handler = ApiUser(Client(), "handler")
    move(hours=13)
    assert handler.get("/api/me").status_code == 401
