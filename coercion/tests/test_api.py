"""行政强制措施 over the API: a round trip, the same checks, 404 out of scope."""

from __future__ import annotations

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from cases.tests.flow import register
from coercion.models import CoerciveMeasure
from ledger.models import Entry

pytestmark = pytest.mark.django_db

PROPOSE = {
    "type": "seize",
    "items": [{"name": "户外广告牌", "quantity": "1块", "description": "6米×3米"}],
    "reason": "防止涉案财物被转移",
    "basis": "《广告法》第四十九条第二款",
}


def on_site(org) -> dict:
    return {
        "officers": [org.handler.pk, org.co_handler.pk],
        "certificate_shown": True,
        "party_present": True,
        "party_notified": True,
        "told": True,
        "statements_heard": True,
        "record_made": True,
        "party_signed": True,
        "decision_delivered": True,
    }


def proposed(case, measure: CoerciveMeasure, decision: str = "submit") -> dict:
    """The answer of a measure just proposed: the measure waiting for approval and its entry,
    not the case's list of measures."""
    entry = Entry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert entry is not None
    return {
        "case_id": case.pk,
        "record": "measure",
        "record_id": measure.pk,
        "step": "cm_approve",
        "step_name": "审批",
        "status": "",
        "decision": decision,
        "limits": [],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }


def test_a_measure_goes_propose_approve_carry_out_extend_and_lift_over_the_api(org):
    case = register(org)
    base = f"/api/cases/{case.pk}/measures"
    handler, director = ApiUser(Client(), "handler"), ApiUser(Client(), "director")
    r = handler.post(base, PROPOSE)
    assert r.status_code == 201, r.content
    made = r.json()
    assert made == proposed(case, CoerciveMeasure.objects.get())
    m = handler.get(base).json()[0]
    assert (m["id"], m["step"], m["actions"]) == (made["record_id"], "cm_approve", [])
    r = director.post(f"{base}/{m['id']}/decide", {"decision": "approve", "opinion": "同意扣押"})
    assert r.status_code == 200 and r.json()["step"] == "cm_carry_out"
    r = handler.post(f"{base}/{m['id']}/carry-out", on_site(org))
    assert r.status_code == 200, r.content
    assert [(x["code"], x["due_on"], x["moved"]) for x in r.json()["limits"]] == [
        ("seizure_period", "2025-04-02", "started")
    ]
    m = handler.get(base).json()[0]
    assert (m["step"], m["on"], m["due_on"]) == ("cm_in_force", "2025-03-03", "2025-04-02")
    assert m["actions"] == ["extend", "lift", "handle", "appraise"]
    r = handler.post(f"{base}/{m['id']}/extend", {"days": 30, "reason": "需技术鉴定"})
    assert r.status_code == 200 and r.json()["step"] == "cm_extend"
    r = director.post(
        f"{base}/{m['id']}/decide",
        {"decision": "approve", "opinion": "同意", "notice_in_writing": True},
    )
    assert handler.get(base).json()[0]["extended_until"] == "2025-05-02"
    r = handler.post(f"{base}/{m['id']}/lift", {"ground": "decided", "reason": "已作出处罚决定"})
    assert r.status_code == 200 and r.json()["status"] == "lifted"
    assert ApiUser(Client(), "supervisor").get(base).json()[0]["lifted_on"] == "2025-03-03"


def test_a_step_answers_with_the_measure_its_limits_and_its_entry_not_the_list(org):
    case = register(org)
    base = f"/api/cases/{case.pk}/measures"
    handler, director = ApiUser(Client(), "handler"), ApiUser(Client(), "director")
    handler.post(base, PROPOSE)
    m = handler.post(base, PROPOSE).json()
    director.post(f"{base}/{m['record_id']}/decide", {"decision": "approve", "opinion": "同意扣押"})

    r = handler.post(f"{base}/{m['record_id']}/carry-out", on_site(org))

    entry = Entry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert entry is not None
    assert r.json() == {
        "case_id": case.pk,
        "record": "measure",
        "record_id": m["record_id"],
        "step": "cm_in_force",
        "step_name": "执行中",
        "status": "",
        "decision": "carry_out",
        "limits": [
            {
                "code": "seizure_period",
                "name": "查封、扣押期限",
                "party": None,
                "due_on": "2025-04-02",
                "status": "running",
                "moved": "started",
            }
        ],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }


def test_a_refused_action_gets_422_with_the_articles_and_changes_nothing(org):
    case = register(org)
    base = f"/api/cases/{case.pk}/measures"
    handler = ApiUser(Client(), "handler")
    m = handler.post(base, PROPOSE).json()
    mine = {"decision": "approve", "opinion": "自己批"}
    r = handler.post(f"{base}/{m['record_id']}/decide", mine)
    assert r.status_code == 422 and "审批" in r.json()["errors"][0]
    ApiUser(Client(), "director").post(
        f"{base}/{m['record_id']}/decide", {"decision": "approve", "opinion": "同意"}
    )
    before = Entry.objects.count()
    r = handler.post(
        f"{base}/{m['record_id']}/carry-out", {**on_site(org), "officers": [org.handler.pk]}
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        "实施行政强制措施须由两名以上行政执法人员实施（《行政强制法》第十八条第二项）"
    ]
    r = handler.post(f"{base}/{m['record_id']}/extend", {"days": 31, "reason": "x"})
    assert r.status_code == 422
    assert Entry.objects.count() == before and CoerciveMeasure.objects.get().step == "cm_carry_out"


@pytest.mark.parametrize("who", ["scjg-officer", "county-officer", "sysadmin"])
def test_another_unit_or_an_outsider_gets_404(org, who):
    case = register(org)
    m = ApiUser(Client(), "handler").post(f"/api/cases/{case.pk}/measures", PROPOSE).json()
    other = ApiUser(Client(), who)
    assert other.get(f"/api/cases/{case.pk}/measures").status_code == 404
    assert other.post(f"/api/cases/{case.pk}/measures", PROPOSE).status_code == 404
    r = other.post(
        f"/api/cases/{case.pk}/measures/{m['record_id']}/decide",
        {"decision": "approve", "opinion": "x"},
    )
    assert r.status_code == 404 and CoerciveMeasure.objects.get().step == "cm_approve"


def test_an_officer_id_beyond_any_stored_id_is_refused_by_field_and_changes_nothing(org):
    case = register(org)
    handler = ApiUser(Client(), "handler")
    before = Entry.objects.count()
    body = {**PROPOSE, **on_site(org), "emergency_reason": "正在转移"}
    body["officers"] = [org.handler.pk, 36893488147419103232]
    r = handler.post(f"/api/cases/{case.pk}/measures/emergency", body)
    assert r.status_code == 422, r.content
    assert list(r.json()["fields"]) == ["officers[1]"]
    assert not CoerciveMeasure.objects.exists() and Entry.objects.count() == before


def test_a_measure_taken_in_an_emergency_answers_with_its_step_its_limit_and_its_entry(org):
    case = register(org)
    body = {**PROPOSE, **on_site(org), "emergency_reason": "当事人正在转移涉案广告牌"}
    r = ApiUser(Client(), "handler").post(f"/api/cases/{case.pk}/measures/emergency", body)
    assert r.status_code == 201, r.content
    measure = CoerciveMeasure.objects.get()
    entry = Entry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert entry is not None
    assert r.json() == {
        "case_id": case.pk,
        "record": "measure",
        "record_id": measure.pk,
        "step": "cm_report",
        "step_name": "补办批准",
        "status": "",
        "decision": "emergency",
        "limits": [  # carried out on the spot: the 30 days run from today (第二十五条)
            {
                "code": "seizure_period",
                "name": "查封、扣押期限",
                "party": None,
                "due_on": "2025-04-02",
                "status": "running",
                "moved": "started",
            }
        ],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }


def test_the_openapi_document_gives_both_ways_of_taking_a_measure_the_lean_answer():
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in ("/api/cases/{case_id}/measures", "/api/cases/{case_id}/measures/emergency"):
        made = paths[path]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
        assert made == {"$ref": "#/components/schemas/RecordStepOut"}
        assert "422" in paths[path]["post"]["responses"]
