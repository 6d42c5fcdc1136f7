"""The register over HTTP: answers as the OpenAPI document says, refusals in Chinese by field with
nothing changed, 404 out of scope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from api.tests.test_api_flow import ApiUser
from conftest import PASSWORD
from ledger.models import Entry
from orgs.models import Certificate, User
from orgs.services import user_upsert
from procedure.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org) -> dict[str, User]:
    pw = make_password(PASSWORD)

    def person(name: str, unit: Any, *roles: Role) -> User:
        return user_upsert(username=name, full_name=name, unit=unit, roles=roles, password_hash=pw)

    return {
        "admin": person("cgj-certadmin", org.cgj, Role.CERT_ADMIN),
        "other": person("scjg-certadmin", org.scjg, Role.CERT_ADMIN),
        "newcomer": person("newcomer", org.cgj, Role.HANDLER),
    }


def _schema(doc: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    content = doc["paths"][path][method]["responses"][str(status)]["content"]
    schema = content["application/json"]["schema"]
    if schema.get("type") == "array":
        schema = schema["items"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    return dict(doc["components"]["schemas"][name])


def matches(doc: dict[str, Any], path: str, method: str, r: Any) -> Any:
    """The answer's keys are the documented schema's properties, its required ones all present."""
    schema = _schema(doc, path, method, r.status_code)
    body = r.json()
    for item in body if isinstance(body, list) else [body]:
        assert set(item) <= set(schema["properties"]), (set(item), schema["properties"].keys())
        assert set(schema.get("required", [])) <= set(item)
    return body


ISSUE = {
    "number": "37150020250009",
    "valid_from": "2025-03-03",
    "valid_until": "2028-03-02",
    "scope": "城市管理",
    "region_code": "371500",
    "issuer": "山东省人民政府",
    "training_hours": 60,
    "exam_on": "2025-02-20",
    "exam_score": "88",
}


def state() -> tuple[Any, ...]:
    return (
        Entry.objects.count(),
        tuple(Certificate.objects.order_by("pk").values_list("number", "status", "status_on")),
    )


def test_an_administrator_issues_suspends_reinstates_and_revokes_over_the_api(org, people):
    doc = Client().get("/api/openapi.json").json()
    admin = ApiUser(Client(), "cgj-certadmin")
    r = admin.post("/api/certificates", {**ISSUE, "holder_id": people["newcomer"].pk})
    assert r.status_code == 201
    cert = matches(doc, "/api/certificates", "post", r)
    assert cert["status"] == "valid" and cert["holder"] == "newcomer"
    base = f"/api/certificates/{cert['id']}"
    path = "/api/certificates/{certificate_id}"
    r = admin.post(f"{base}/suspend", {"reason": "涉嫌违纪", "on": "2025-03-03"})
    assert matches(doc, path + "/suspend", "post", r)["status_label"] == "暂扣"
    r = admin.post(f"{base}/reinstate", {"reason": "查无实据"})
    assert matches(doc, path + "/reinstate", "post", r)["status"] == "valid"
    r = admin.post(
        f"{base}/revoke", {"kind": "cancel", "reason": "调离执法岗位", "on": "2025-03-03"}
    )
    assert matches(doc, path + "/revoke", "post", r)["status_label"] == "注销"
    r = admin.get("/api/certificates?status=revoked")
    assert [c["number"] for c in matches(doc, "/api/certificates", "get", r)] == [ISSUE["number"]]
    assert Entry.objects.filter(stream=f"certificate:{cert['id']}").count() == 4


def test_a_refused_issue_answers_422_by_field_in_chinese_and_changes_nothing(org, people):
    doc = Client().get("/api/openapi.json").json()
    admin = ApiUser(Client(), "cgj-certadmin")
    User.objects.filter(pk=people["newcomer"].pk).update(employment="dispatched")
    before = state()
    r = admin.post(
        "/api/certificates",
        {**ISSUE, "holder_id": people["newcomer"].pk, "valid_until": "9999-12-31"},
    )
    assert r.status_code == 422
    body = matches(doc, "/api/certificates", "post", r)
    assert "劳务派遣人员不得从事行政执法" in body["fields"]["holder"][0]
    assert body["fields"]["valid_until"] == ["应在2000年至2099年之间"]
    assert state() == before


@pytest.mark.parametrize(
    "body",
    [
        {"holder_id": 10**30},
        {"exam_score": "NaN"},
        {"exam_score": "1e400"},
        {"number": "A\x00"},
        {"region_code": "37\x001500"},
        {"valid_from": 0},
    ],
)
def test_hostile_input_is_a_422_never_a_500(org, people, body):
    admin = ApiUser(Client(), "cgj-certadmin")
    before = state()
    r = admin.post("/api/certificates", {**ISSUE, "holder_id": people["newcomer"].pk, **body})
    assert r.status_code == 422, r.content
    assert r.json()["errors"] and state() == before


def test_out_of_scope_certificates_are_404_for_another_agency_and_an_outsider(org, people):
    cert = Certificate.objects.get(user=org.handler)
    url = f"/api/certificates/{cert.pk}"
    assert ApiUser(Client(), "cgj-certadmin").get(url).status_code == 200
    before = state()
    for who in ("scjg-certadmin", "handler"):
        caller = ApiUser(Client(), who)
        r = caller.get(url)
        assert r.status_code == 404 and r.json() == {"errors": ["执法证不存在"]}
        r = caller.post(f"{url}/suspend", {"reason": "违纪", "on": "2025-03-03"})
        assert r.status_code == 404
    assert ApiUser(Client(), "handler").get("/api/certificates").json() == []
    assert ApiUser(Client(), "cgj-certadmin").get(f"/api/certificates/{10**30}").status_code in (
        404,
        422,
    )
    assert state() == before


def test_the_supervisor_reads_the_register_but_cannot_suspend(org, people):
    cert = Certificate.objects.get(user=org.handler)
    supervisor = ApiUser(Client(), "supervisor")
    assert supervisor.get(f"/api/certificates/{cert.pk}").status_code == 200
    before = state()
    r = supervisor.post(f"/api/certificates/{cert.pk}/suspend", {"reason": "违纪"})
    assert r.status_code == 422 and r.json()["errors"] == ["只有执法证管理员可以管理执法证"]
    assert state() == before


def test_the_openapi_document_lists_the_register(org):
    doc = Client().get("/api/openapi.json").json()
    assert {"/api/certificates", "/api/certificates/{certificate_id}/revoke"} <= set(doc["paths"])
    assert json.dumps(doc, ensure_ascii=False).count("执法证") > 3
