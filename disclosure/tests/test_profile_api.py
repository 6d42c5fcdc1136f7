"""事前公示 over /api/disclosure/profile, as its page: the agency's legal reviewer or 分管局长 reads
and edits its own unit's lines (recorded on the unit's stream), an empty basis or a long field is
refused by field with nothing written, anyone else finds no such operation (404)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from api.tests.test_api_flow import ApiUser
from conftest import PASSWORD
from disclosure.models import AgencyProfile
from ledger.models import Entry
from orgs.services import user_upsert
from procedure.roles import Role

pytestmark = pytest.mark.django_db
BASIS = "《聊城市城市管理局职能配置、内设机构和人员编制规定》"


def written() -> tuple[int, int]:
    return Entry.objects.count(), AgencyProfile.objects.count()


def test_the_legal_reviewer_edits_the_agencys_profile_and_the_public_page_shows_it(org):
    legal = ApiUser(Client(), "legal")
    empty = legal.get("/api/disclosure/profile").json()
    assert (empty["unit_id"], empty["basis"]) == (org.cgj.pk, "")
    r = legal.post(
        "/api/disclosure/profile",
        {"basis": BASIS, "reconsideration_organ": "聊城市人民政府", "court": "东昌府区人民法院"},
    )
    assert r.status_code == 200 and r.json()["court"] == "东昌府区人民法院"
    profile = AgencyProfile.objects.get(unit=org.cgj)
    assert (profile.basis, profile.court) == (BASIS, "东昌府区人民法院")
    entry = Entry.objects.get(stream=f"unit:{org.cgj.pk}", action="agency_profile_set")
    assert entry.role == "legal_reviewer" and entry.actor_id == org.legal.pk
    assert legal.get("/api/disclosure/profile").json()["basis"] == BASIS
    page = Client().get(f"/gs/agencies/{org.cgj.code}/").content.decode()
    assert BASIS in page


def test_an_empty_basis_or_a_long_court_is_refused_by_field_and_nothing_is_written(org):
    director = ApiUser(Client(), "director")
    before = written()
    r = director.post("/api/disclosure/profile", {"basis": " "})
    assert r.status_code == 422 and r.json()["fields"] == {"basis": ["请填写执法主体资格依据"]}
    r = director.post("/api/disclosure/profile", {"basis": BASIS, "court": "x" * 101})
    assert r.status_code == 422 and set(r.json()["fields"]) == {"court"}
    r = director.post("/api/disclosure/profile", {"basis": "依据\x00"})
    assert r.status_code == 422 and "basis" in r.json()["fields"]
    assert written() == before


@pytest.mark.parametrize("who", ["handler", "chief", "supervisor", "sysadmin", "county-officer"])
def test_officers_without_the_role_find_no_profile_and_change_nothing(org, who):
    client = ApiUser(Client(), who)
    before = written()
    assert client.get("/api/disclosure/profile").status_code == 404
    assert client.post("/api/disclosure/profile", {"basis": BASIS}).status_code == 404
    assert written() == before


def test_another_agencys_reviewer_edits_only_its_own_unit_and_an_outsider_gets_401(org):
    user_upsert(
        username="scjg-legal",
        full_name="scjg-legal",
        unit=org.scjg,
        roles=[Role.LEGAL_REVIEWER],
        password_hash=make_password(PASSWORD),
    )
    r = ApiUser(Client(), "scjg-legal").post(
        "/api/disclosure/profile", {"basis": "市场监管局的依据"}
    )
    assert r.status_code == 200 and r.json()["unit_id"] == org.scjg.pk
    assert AgencyProfile.objects.get().unit == org.scjg
    before = written()
    r = Client().post("/api/disclosure/profile", {"basis": BASIS}, content_type="application/json")
    assert r.status_code == 401 and written() == before


def test_the_openapi_document_lists_the_profile_with_its_4xx_answers():
    doc = Client().get("/api/openapi.json").json()
    operations = doc["paths"]["/api/disclosure/profile"]
    assert {"401", "404"} <= set(operations["get"]["responses"])
    assert {"401", "403", "404", "422"} <= set(operations["post"]["responses"])
