"""The register's pages: the administrator's forms with reasons by field, the supervisor's view,
and 404 for whoever is out of scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cases.models import Case
from ledger.models import Entry
from orgs.models import Certificate, User
from orgs.services import user_upsert
from procedure.roles import Role

pytestmark = pytest.mark.django_db


def _person(name: str, unit: Any, *roles: Role) -> User:
    return user_upsert(username=name, full_name=name, unit=unit, roles=roles, password_hash="!")


@pytest.fixture
def admin(org) -> User:
    return _person("cgj-certadmin", org.cgj, Role.CERT_ADMIN)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def state() -> tuple[Any, ...]:
    return (
        Entry.objects.count(),
        tuple(Certificate.objects.order_by("pk").values_list("number", "status", "status_on")),
    )


FORM = {
    "number": "37150020250021",
    "scope": "城市管理",
    "region": "371500",
    "issuer": "山东省人民政府",
    "valid_from": "2025-03-03",
    "valid_until": "2028-03-02",
    "training_hours": "60",
    "exam_on": "2025-02-20",
    "exam_score": "90",
}


def test_the_administrator_issues_through_the_form_and_sees_the_record(org, admin):
    newcomer = _person("newcomer", org.cgj, Role.HANDLER)
    client = client_for(admin)
    page = client.get("/certificates/")
    assert page.status_code == 200 and "C-handler" in page.content.decode()
    assert "执法证管理" in page.content.decode()  # the nav entry of the role
    r = client.post("/certificates/new/", {**FORM, "holder": newcomer.pk})
    cert = Certificate.objects.get(number=FORM["number"])
    assert r.status_code == 302 and r["Location"] == f"/certificates/{cert.pk}/"
    detail = client.get(r["Location"]).content.decode()
    assert "有效" in detail and "发证" in detail and "cgj-certadmin" in detail


def test_a_contract_worker_is_refused_on_the_form_by_field_and_nothing_changes(org, admin):
    worker = _person("worker", org.cgj, Role.HANDLER)
    User.objects.filter(pk=worker.pk).update(employment="contract")
    before = state()
    r = client_for(admin).post("/certificates/new/", {**FORM, "holder": worker.pk})
    assert r.status_code == 422
    errors = r.context["form"].errors
    assert "合同制人员不得从事行政执法" in errors["holder"][0]
    assert state() == before


def test_suspension_through_the_page_and_a_refused_reinstatement_of_a_valid_one(org, admin):
    cert = Certificate.objects.get(user=org.handler)
    client = client_for(admin)
    before = state()
    r = client.post(f"/certificates/{cert.pk}/reinstate/", {"reinstate-reason": "恢复"})
    assert r.status_code == 422 and "只有暂扣的证件可以恢复" in r.content.decode()
    assert state() == before
    r = client.post(
        f"/certificates/{cert.pk}/suspend/",
        {"suspend-reason": "涉嫌违纪", "suspend-on": "2025-03-03"},
    )
    assert r.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "suspended" and cert.status_on == dt.date(2025, 3, 3)


def test_pages_never_write_on_get(org, admin):
    cert = Certificate.objects.get(user=org.handler)
    before = state()
    for url in ("/certificates/", f"/certificates/{cert.pk}/", "/certificates/new/"):
        assert client_for(admin).get(url).status_code == 200
    supervisor = client_for(org.supervisor)
    for query in ("", "?page=99999999999999999999", "?page=x", "?page=-3"):
        assert supervisor.get(f"/certificates/oversight/{query}").status_code == 200, query
    for query in ("?page=99999999999999999999", "?q=&status=bogus"):
        assert client_for(admin).get(f"/certificates/{query}").status_code == 200, query
    assert (
        client_for(admin).get("/certificates/?q=%00").status_code == 422
    )  # the platform's NUL rule
    assert state() == before


def test_out_of_scope_is_404_for_another_agency_admin_and_an_outsider(org, admin):
    cert = Certificate.objects.get(user=org.handler)
    other = _person("scjg-certadmin", org.scjg, Role.CERT_ADMIN)
    assert client_for(admin).get(f"/certificates/{cert.pk}/").status_code == 200
    before = state()
    for outsider in (other, org.handler, org.county_supervisor):
        client = client_for(outsider)
        assert client.get(f"/certificates/{cert.pk}/").status_code == 404
        r = client.post(
            f"/certificates/{cert.pk}/suspend/",
            {"suspend-reason": "违纪", "suspend-on": "2025-03-03"},
        )
        assert r.status_code == 404
    assert client_for(org.handler).get("/certificates/").status_code == 404
    assert client_for(org.handler).get("/certificates/oversight/").status_code == 404
    assert state() == before


def test_the_supervisor_page_lists_expiring_certificates_and_acts_without_one(org):
    today = dt.date(2025, 3, 3)
    Certificate.objects.filter(user=org.chief).update(valid_until=today + dt.timedelta(days=10))
    worker = _person("worker", org.cgj, Role.HANDLER)
    User.objects.filter(pk=worker.pk).update(employment="dispatched")
    Case.objects.create(
        unit=org.cgj,
        procedure="general",
        source="patrol",
        clue="历史案件",
        case_no="聊城管罚〔2024〕7号",
        discovered_on=dt.date(2024, 5, 6),
        filed_on=dt.date(2024, 5, 8),
        step="end",
        status="closed",
        handler=worker,
        imported=True,
    )
    page = client_for(org.supervisor).get("/certificates/oversight/").content.decode()
    assert "C-chief" in page and "聊城管罚〔2024〕7号" in page
    assert "劳务派遣" in page and "60日内到期" in page
    county = client_for(org.county_supervisor).get("/certificates/oversight/").content.decode()
    assert "C-chief" not in county and "聊城管罚〔2024〕7号" not in county
