"""投诉举报 over HTTP: the public's JSON filing and status, the officers' actions and scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cases.models import Case
from complaints.models import Complaint
from complaints.tests.test_actions import PARTY
from ledger.models import Entry

pytestmark = pytest.mark.django_db


def _filing(org: Any, **over: Any) -> dict[str, Any]:
    body = {
        "facts": "工地夜间施工噪声扰民",
        "place": "东昌府区兴华路工地",
        "happened_on": "2025-03-02",
        "unit_id": org.cgj.pk,
        "contact_phone": "13800000000",
    }
    body.update(over)
    return body


def _post(client: Client, url: str, body: dict, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def _officer(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_public_files_by_json_and_reads_the_status_by_its_code(org):
    client = Client(enforce_csrf_checks=True)  # no session, no CSRF token: a mini-program
    r = _post(client, "/api/complaints/public", _filing(org))
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert r.json()["unit"] == org.cgj.name
    r = client.get(f"/api/complaints/public/{code}")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "pending" and body["contact_phone"] == "138****0000"
    assert client.get("/api/complaints/public/ACDEFGHJKMNP").status_code == 404


def test_a_refused_json_filing_answers_422_by_field_and_writes_nothing(org):
    r = _post(Client(), "/api/complaints/public", _filing(org, contact_phone="12345"))
    assert r.status_code == 422
    assert "contact_phone" in r.json()["fields"]
    r = _post(Client(), "/api/complaints/public", _filing(org, happened_on="2099-01-01"))
    assert r.status_code == 422 and "happened_on" in r.json()["fields"]
    r = _post(Client(), "/api/complaints/public", _filing(org, unit_id=2**40))
    assert r.status_code == 422
    assert not Complaint.objects.exists() and not Entry.objects.exists()


def test_the_json_filing_is_held_to_the_same_limit_with_retry_after(org, settings):
    settings.COMPLAINT_LIMIT_PER_IP = 1
    client = Client()
    assert _post(client, "/api/complaints/public", _filing(org)).status_code == 201
    r = _post(client, "/api/complaints/public", _filing(org, contact_phone=""))
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0 and "同一网络地址" in r.json()["errors"][0]
    assert Complaint.objects.count() == 1


def test_the_officers_act_through_the_api_in_their_scope(org):
    code = _post(Client(), "/api/complaints/public", _filing(org)).json()["code"]
    c = Complaint.objects.get(code=code)
    chief, handler = _officer(org.chief), _officer(org.handler)
    assert [x["code"] for x in chief.get("/api/complaints").json()] == [code]
    other = _officer(org.other_officer)
    assert other.get("/api/complaints").json() == []
    assert other.get(f"/api/complaints/{c.pk}").status_code == 404
    assert _post(other, f"/api/complaints/{c.pk}/accept", {}).status_code == 404
    assert Client().get(f"/api/complaints/{c.pk}").status_code == 401
    r = _post(chief, f"/api/complaints/{c.pk}/reject", {"reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    assert _post(chief, f"/api/complaints/{c.pk}/accept", {}).json()["status"] == "accepted"
    r = _post(handler, f"/api/complaints/{c.pk}/file", {"parties": [PARTY]})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "filed"
    assert Case.objects.get(pk=r.json()["case_id"]).source == "complaint"
    r = _post(handler, f"/api/complaints/{c.pk}/conclude", {"result": "已立案查处"})
    assert r.json()["status"] == "concluded"


def test_a_transfer_through_the_api_answers_with_the_complaint_now_elsewhere(org):
    code = _post(Client(), "/api/complaints/public", _filing(org)).json()["code"]
    c = Complaint.objects.get(code=code)
    r = _post(_officer(org.chief), f"/api/complaints/{c.pk}/transfer", {"unit_id": org.scjg.pk})
    assert r.status_code == 200 and r.json()["unit_code"] == org.scjg.code


def test_the_openapi_document_declares_the_public_429_with_its_header(client):
    doc = client.get("/api/openapi.json").json()
    answer = doc["paths"]["/api/complaints/public"]["post"]["responses"]["429"]
    assert "Retry-After" in answer["headers"]
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert "security" not in doc["paths"]["/api/complaints/public"]["post"]
