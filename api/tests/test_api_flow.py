from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from cases.tests.flow import JPEG, ORDER, ORG_CODE, payloads
from conftest import PASSWORD
from deadlines.models import Deadline
from demo.testing import otp_code
from ledger.models import Entry
from orgs.identity import totp_device
from orgs.models import User

pytestmark = pytest.mark.django_db


class ApiUser:
    def __init__(self, client: Client, username: str) -> None:
        self.client = client
        body = {"username": username, "password": PASSWORD}
        user = User.objects.get(username=username)
        if totp_device(user) is not None:  # the supervisor, the director, the 三员
            body["otp_token"] = otp_code(user)
        r = client.post("/api/auth/token", body, content_type="application/json")
        assert r.status_code == 200, r.content
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}

    def get(self, url: str):
        return self.client.get(url, **self.auth)

    def post(self, url: str, body: dict):
        return self.client.post(url, json.dumps(body), content_type="application/json", **self.auth)


LEAD = {
    "source": "complaint",
    "clue": "群众投诉某公司擅自设置户外广告牌",
    "discovered_on": "2025-03-03",
    "act_on": "2025-02-20",
    "place": "柳园路",
    "parties": [
        {
            "kind": "organisation",
            "name": "聊城市某某商贸有限公司",
            "id_number": ORG_CODE,
            "address": "聊城市东昌府区柳园路1号",
        }
    ],
}


def test_five_officers_take_a_case_through_all_eighteen_steps_over_the_api(org):
    client = Client()
    users = {
        u.username: ApiUser(client, u.username)
        for u in (org.handler, org.co_handler, org.chief, org.legal, org.director)
    }
    r = users["handler"].post("/api/cases", LEAD)
    assert r.status_code == 201, r.content
    case_id = r.json()["id"]
    assert r.json()["next_action"]["step"] == "lead_approve"

    from cases.models import Case

    case = Case.objects.get(pk=case_id)
    steps = payloads(org, case)
    answers: dict[str, dict[str, Any]] = {}
    for step in ORDER:
        if step == "investigation":
            up = client.post(
                f"/api/cases/{case_id}/evidence",
                {
                    "kind": "photo",
                    "title": "现场照片",
                    "file": _upload("photo.jpg", JPEG, "image/jpeg"),
                },
                **users["cohandler"].auth,
            )
            assert up.status_code == 201, up.content
        actor, decision, data = steps[step]
        r = users[actor.username].post(
            f"/api/cases/{case_id}/{step}", {"decision": decision, **data}
        )
        assert r.status_code == 200, (step, r.content.decode())
        answer = r.json()
        # The answer is the step's own: where the case now stands and the entry it appended.
        last = Entry.objects.filter(stream=f"case:{case_id}").order_by("-seq").first()
        assert last is not None
        assert answer["entry"] == {"seq": last.seq, "hash": last.hash, "action": step}
        assert answer["step"] == Case.objects.get(pk=case_id).step
        answers[step] = answer
    assert answers["filing_approve"]["result"]["case_no"] == "聊城管罚立〔2025〕1号"
    assert [(m["code"], m["moved"]) for m in answers["filing_approve"]["limits"]] == [
        ("decision_limit", "started")
    ]
    decision_due = Deadline.objects.get(case_id=case_id, code="decision_limit").due_on
    assert answers["filing_approve"]["limits"][0]["due_on"] == decision_due.isoformat()
    assert [(m["code"], m["party"], m["moved"]) for m in answers["delivery"]["limits"]] == [
        ("delivery", 0, "stopped"),
        ("payment", 0, "started"),
    ]
    assert answers["closing_approve"]["status"] == "closed"
    assert answers["closing_approve"]["step"] == "end"
    body = users["chief"].get(f"/api/cases/{case_id}").json()
    assert body["status"] == "closed" and body["outcome"] == "penalty"
    assert body["decisions"][0]["number"] == "聊城管罚决〔2025〕1号"

    record = users["chief"].get(f"/api/cases/{case_id}/record").json()
    assert record["verified"] is True
    roles = {e["role"] for e in record["entries"]}
    assert {"handler", "co_handler", "section_chief", "legal_reviewer", "deputy_director"} <= roles
    assert Entry.objects.filter(stream=f"case:{case_id}").count() == len(record["entries"])


def test_a_refused_step_answers_422_with_chinese_reasons_and_changes_nothing(org):
    client = Client()
    handler, chief = ApiUser(client, "handler"), ApiUser(client, "chief")
    case_id = handler.post("/api/cases", LEAD).json()["id"]
    before = Entry.objects.count()
    r = handler.post(f"/api/cases/{case_id}/lead_approve", {"decision": "file", "opinion": "x"})
    assert r.status_code == 422
    assert any("业务科长" in e or "section_chief" in e for e in r.json()["errors"])
    r = chief.post(f"/api/cases/{case_id}/lead_approve", {"decision": "file"})
    assert r.status_code == 422 and "请填写审核（审批）意见" in r.json()["errors"]
    assert Entry.objects.count() == before


def test_bad_identity_numbers_are_refused_at_registration(org):
    handler = ApiUser(Client(), "handler")
    bad = {
        **LEAD,
        "parties": [{"kind": "person", "name": "某某", "id_number": "110105194912310021"}],
    }
    r = handler.post("/api/cases", bad)
    assert r.status_code == 422
    assert "校验" in "".join(r.json()["errors"])


def test_the_openapi_document_describes_every_step_endpoint(org):
    doc = Client().get("/api/openapi.json").json()
    paths = doc["paths"]
    for step in ORDER:
        op = paths[f"/api/cases/{{case_id}}/{step}"]["post"]
        assert op["summary"] and op["description"]
    assert all(op.get("summary") for p in paths.values() for op in p.values())


def _upload(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
