"""The 执法监督事项 API: the whole flow, Chinese errors by field, 404 out of scope, and every
answer as the OpenAPI document describes it."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cases.models import Case
from supervision.models import Matter
from supervision.tests.test_api import bearer
from supervision.tests.test_matters import LAST, SENT, at, sent


def post(user: Any, url: str, body: dict[str, Any]) -> Any:
    return Client().post(
        f"/api/supervision{url}", body, content_type="application/json", **bearer(user)
    )


def test_an_opinion_ignored_goes_to_the_government_and_its_decision_is_reported(world):
    case = Case.objects.get(case_no="M-1")
    r = post(
        world.supervisor,
        "/matters",
        {"case_id": case.pk, "title": "公示超期", "facts": "未按期公示"},
    )
    assert r.status_code == 201, r.json()
    mid = r.json()["id"]
    r = post(world.supervisor, f"/matters/{mid}/send", {"instrument": "opinion", "demand": "公示"})
    assert (r.json()["status"], r.json()["reply_due_on"]) == ("sent", LAST.isoformat())
    at(LAST + dt.timedelta(days=1))
    assert Client().get(f"/api/supervision/matters/{mid}", **bearer(world.chief)).json()["late"]
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n0000").decode()
    r = post(world.chief, f"/matters/{mid}/answer", {"reply": "已公示", "evidence_base64": png})
    assert r.status_code == 200 and r.json()["late"] is True and r.json()["evidence_sha256"]
    r = post(world.supervisor, f"/matters/{mid}/propose", {"proposal": "建议责令改正"})
    assert r.json()["status"] == "proposed"
    r = post(
        world.supervisor,
        f"/matters/{mid}/decide",
        {"decided_on": clock_day(), "number": "聊政决1号", "content": "责令改正"},
    )
    assert r.json()["status"] == "decided" and r.json()["report_due_on"] == "2026-06-20"
    r = post(world.director, f"/matters/{mid}/report", {"report": "已改正"})
    assert r.json()["status"] == "reported" and r.json()["late"] is False
    r = post(
        world.supervisor,
        f"/matters/{mid}/measures",
        {"officer": world.handler.username, "measure": "criticism", "reason": "未公示"},
    )
    measure = r.json()["measures"][0]["id"]
    r = post(
        world.supervisor,
        f"/matters/{mid}/measures/{measure}/decide",
        {"authority": "市城管局", "decision": "批评教育", "decided_on": clock_day()},
    )
    assert r.json()["measures"][0]["decision"] == "批评教育"
    r = post(world.supervisor, f"/matters/{mid}/close", {"note": "已办结"})
    assert r.json()["status"] == "closed"


def clock_day() -> str:
    from zhifa import clock

    return clock.today().isoformat()


def test_the_api_refuses_a_matter_on_a_case_under_pending_litigation_by_field(world):
    case = Case.objects.get(case_no="M-2")
    r = post(world.supervisor, "/matters", {"case_id": case.pk, "title": "x", "facts": "y"})
    assert r.status_code == 422
    assert "正在行政诉讼中" in r.json()["fields"]["case"][0]
    assert not Matter.objects.exists()


def test_a_refused_action_answers_422_with_its_reason_and_changes_nothing(world):
    m = sent(world)
    r = post(world.supervisor, f"/matters/{m.pk}/propose", {"proposal": "建议"})
    assert r.status_code == 422 and "第二十九条" in r.json()["errors"][0]
    r = post(world.chief, f"/matters/{m.pk}/answer", {"reply": "x", "evidence_base64": "@@"})
    assert r.status_code == 422 and r.json()["fields"] == {
        "evidence_base64": ["证明材料应为base64编码"]
    }
    assert Matter.objects.get(pk=m.pk).status == "sent"


@pytest.mark.parametrize("who", ["county_supervisor", "other_officer", "sysadmin"])
def test_a_matter_out_of_scope_is_404_in_the_api(world, who):
    m = sent(world)
    user = getattr(world, who)
    assert Client().get(f"/api/supervision/matters/{m.pk}", **bearer(user)).status_code == 404
    r = post(user, f"/matters/{m.pk}/answer", {"reply": "x"})
    assert r.status_code == 404 and r.json()["errors"]
    ids = [x["id"] for x in Client().get("/api/supervision/matters", **bearer(user)).json()]
    assert m.pk not in ids


def test_bad_input_gets_422_not_500(world):
    m = sent(world)
    for url, body in [
        (f"/matters/{m.pk}/decide", {"decided_on": "9999-99-99", "number": "1", "content": "c"}),
        ("/matters", {"case_id": 10**30, "title": "x", "facts": "y"}),
        (f"/matters/{2**60}/close", {}),
    ]:
        assert post(world.supervisor, url, body).status_code in (404, 422)
    r = Client().get(f"/api/supervision/matters/{10**30}", **bearer(world.supervisor))
    assert r.status_code in (404, 422)


def test_the_openapi_document_describes_the_matter_answers(world):
    doc = Client().get("/api/openapi.json").json()
    send = doc["paths"]["/api/supervision/matters/{matter_id}/send"]["post"]
    assert {"200", "404", "422"} <= set(send["responses"])
    assert SENT.year == 2026


def test_the_periods_of_a_county_are_set_and_read_through_the_api(world):
    r = post(
        world.supervisor,
        "/periods",
        {
            "region_code": "371502",
            "urge_days": 10,
            "opinion_days": 20,
            "report_days": 25,
            "source": "示例",
        },
    )
    assert r.status_code == 200, r.json()
    got = Client().get(
        f"/api/supervision/periods/{world.county_scjg.code}", **bearer(world.supervisor)
    )
    assert got.json() == {"urge_days": 10, "opinion_days": 20, "report_days": 25, "source": "示例"}
    city = Client().get(f"/api/supervision/periods/{world.cgj.code}", **bearer(world.supervisor))
    assert city.json()["opinion_days"] == 30
    bad = post(
        world.supervisor,
        "/periods",
        {
            "region_code": "371502",
            "urge_days": 0,
            "opinion_days": 20,
            "report_days": 25,
            "source": "示例",
        },
    )
    assert bad.status_code == 422 and "urge_days" in str(bad.json())
    hidden = Client().get(
        f"/api/supervision/periods/{world.cgj.code}", **bearer(world.county_supervisor)
    )
    assert hidden.status_code == 404
