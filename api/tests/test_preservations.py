"""证据先行登记保存 over the API: the whole flow, a bad request, and scope."""

from __future__ import annotations

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from cases.models import Preservation
from cases.tests.flow import advance, register
from ledger.models import Entry

pytestmark = pytest.mark.django_db

REQUEST = {
    "items": [{"name": "涉案广告牌", "quantity": "1块", "note": "3米×6米"}],
    "reason": "当事人正在拆除，证据可能灭失",
}


@pytest.fixture
def investigating(org):
    return advance(org, register(org), until="investigation")


def test_requested_approved_kept_and_decided_over_the_api(org, investigating):
    base = f"/api/cases/{investigating.pk}/preservations"
    handler = ApiUser(Client(), "handler")
    r = handler.post(base, REQUEST)
    assert r.status_code == 201, r.content
    made = Preservation.objects.get()
    entry = Entry.objects.filter(stream=investigating.stream).order_by("-seq").first()
    assert entry is not None
    assert r.json() == {
        "case_id": investigating.pk,
        "record": "preservation",
        "record_id": made.pk,
        "step": "requested",
        "step_name": made.get_status_display(),
        "status": "requested",
        "decision": "submit",
        "limits": [],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }
    (item,) = handler.get(base).json()
    assert item["id"] == made.pk
    assert item["status"] == "requested" and item["items"][0]["name"] == "涉案广告牌"
    r = ApiUser(Client(), "director").post(
        f"{base}/{item['id']}/approve", {"approved": True, "opinion": "同意"}
    )
    assert r.status_code == 200 and r.json()["step"] == "approved"
    r = handler.post(f"{base}/{item['id']}/carry-out", {"on": "2025-03-03"})
    assert r.status_code == 200, r.content
    entry = Entry.objects.filter(stream=investigating.stream).order_by("-seq").first()
    assert entry is not None
    assert r.json() == {
        "case_id": investigating.pk,
        "record": "preservation",
        "record_id": item["id"],
        "step": "in_force",
        "step_name": r.json()["step_name"],
        "status": "in_force",
        "decision": "carry_out",
        "limits": [
            {
                "code": r.json()["limits"][0]["code"],
                "name": r.json()["limits"][0]["name"],
                "party": None,
                "due_on": "2025-03-12",
                "status": "running",
                "moved": "started",
            }
        ],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }
    assert handler.get(base).json()[0]["decision_due"] == "2025-03-12"
    r = handler.post(f"{base}/{item['id']}/decide", {"disposition": "release", "note": "退还"})
    assert r.status_code == 200, r.content
    assert [(x["due_on"], x["moved"]) for x in r.json()["limits"]] == [("2025-03-12", "stopped")]
    read = ApiUser(Client(), "supervisor").get(base)
    assert read.status_code == 200
    assert read.json()[0]["disposition_label"] == "解除先行登记保存，退还当事人"


def test_a_bad_request_gets_422_and_changes_nothing(org, investigating):
    before = Entry.objects.count()
    handler = ApiUser(Client(), "handler")
    base = f"/api/cases/{investigating.pk}/preservations"
    assert handler.post(base, {**REQUEST, "items": []}).status_code == 422
    r = handler.post(base, REQUEST)
    item = r.json()
    r = handler.post(f"{base}/{item['record_id']}/approve", {"approved": True, "opinion": "同意"})
    assert r.status_code == 422 and "行政机关负责人批准" in r.json()["errors"][0]
    r = handler.post(f"{base}/{item['record_id']}/decide", {"disposition": "burn", "note": ""})
    assert r.status_code == 422
    assert Entry.objects.count() == before + 1
    assert Preservation.objects.get().status == "requested"


@pytest.mark.parametrize("who", ["scjg-officer", "county-officer", "sysadmin"])
def test_a_caller_outside_the_case_scope_gets_404(org, investigating, who):
    outsider = ApiUser(Client(), who)
    base = f"/api/cases/{investigating.pk}/preservations"
    assert outsider.get(base).status_code == 404
    assert outsider.post(base, REQUEST).status_code == 404
    assert not Preservation.objects.exists()


def test_the_openapi_document_gives_a_request_the_lean_answer():
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in ("/api/cases/{case_id}/preservations", "/api/cases/{case_id}/recusals"):
        made = paths[path]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
        assert made == {"$ref": "#/components/schemas/RecordStepOut"}
        assert "422" in paths[path]["post"]["responses"]
