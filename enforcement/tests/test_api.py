"""强制执行 over the API: a round trip, Chinese errors by field, 404 out of scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from enforcement.models import EnforcementRecord
from enforcement.tests.test_services import at, decided, fined_and_ordered
from ledger.models import Entry
from procedure.enforcement import ENFORCEMENT

pytestmark = pytest.mark.django_db

NOTICE = {
    "party": 0,
    "obligation": "money",
    "term_ends": "2025-09-30",
    "manner": "到指定银行缴纳罚款",
    "amount": "5000.00",
    "rights_told": True,
}


def test_an_enforcement_goes_notice_serve_statement_over_the_api_and_shows_in_the_inbox(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    handler = ApiUser(Client(), "handler")
    inbox = handler.get("/api/enforcements/inbox?role=handler").json()
    assert [u["case_id"] for u in inbox["unpaid"]] == [case.pk]
    r = handler.post(f"/api/cases/{case.pk}/enforcements", NOTICE)
    assert r.status_code == 201, r.content
    made = EnforcementRecord.objects.get()
    entry = Entry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert entry is not None
    assert r.json() == {
        "case_id": case.pk,
        "record": "enforcement",
        "record_id": made.pk,
        "step": "en_notice_serve",
        "step_name": ENFORCEMENT.step("en_notice_serve").name,
        "status": "",
        "decision": "issue",
        "limits": [],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }
    e = handler.get(f"/api/enforcements/{made.pk}").json()
    assert (e["id"], e["step"], e["actions"][:1]) == (made.pk, "en_notice_serve", ["serve"])
    assert e["surcharge"] == "5000.00"  # 3 % a day for months: capped at the fine
    assert (e["window_opens"], e["window_closes"]) == ("2025-09-04", "2025-12-03")
    r = handler.post(
        f"/api/enforcements/{e['id']}/act", {"decision": "serve", "served_on": "2025-09-29"}
    )
    assert r.status_code == 200, r.content
    entry = Entry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert entry is not None
    assert r.json() | {"limits": []} == {
        "case_id": case.pk,
        "record": "enforcement",
        "record_id": e["id"],
        "step": "en_statement",
        "step_name": r.json()["step_name"],
        "status": "",
        "decision": "serve",
        "limits": [],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }
    assert handler.get(f"/api/enforcements/{e['id']}").json()["notice_served_on"] == "2025-09-29"
    r = handler.post(
        f"/api/enforcements/{e['id']}/act", {"decision": "record", "no_statement": True}
    )
    assert r.json()["step"] == "en_review"
    chief = ApiUser(Client(), "chief")
    waiting = chief.get("/api/enforcements/inbox").json()["waiting"]
    assert [w["id"] for w in waiting] == [e["id"]]


def test_bad_input_gets_chinese_errors_by_field_and_changes_nothing(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    handler = ApiUser(Client(), "handler")
    before = Entry.objects.count()
    bad = {**NOTICE, "term_ends": "2025-02-30", "amount": "1e999", "manner": "x" * 3000}
    r = handler.post(f"/api/cases/{case.pk}/enforcements", bad)
    assert r.status_code == 422
    assert {"term_ends", "amount", "manner"} <= set(r.json()["fields"])
    r = handler.post(f"/api/cases/{case.pk}/enforcements", {**NOTICE, "rights_told": False})
    assert r.status_code == 422 and "第三十五条第四项" in r.json()["errors"][0]
    r = handler.post(f"/api/cases/{case.pk}/enforcements", {**NOTICE, "manner": "a\x00b"})
    assert r.status_code == 422
    assert Entry.objects.count() == before and not EnforcementRecord.objects.exists()


def test_an_officer_id_beyond_any_row_is_refused_by_field_not_a_server_error(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    handler = ApiUser(Client(), "handler")
    r = handler.post(f"/api/cases/{case.pk}/enforcements", NOTICE)
    assert r.status_code == 201, r.content
    record = r.json()["record_id"]
    before = Entry.objects.count()
    # The first is what the API fuzz sent (a 500 then); 2**63 is past every database's integer.
    for officers in ([-195274653838234559872761856], [2**63], [0]):
        r = handler.post(
            f"/api/enforcements/{record}/act",
            {"decision": "serve", "served_on": "2025-09-29", "officers": officers},
        )
        assert r.status_code == 422, (officers, r.content)
        assert any(f.startswith("officers") for f in r.json()["fields"])
    assert Entry.objects.count() == before


def test_another_agency_gets_404(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    made = ApiUser(Client(), "handler").post(f"/api/cases/{case.pk}/enforcements", NOTICE)
    e = {"id": made.json()["record_id"]}
    other = ApiUser(Client(), org.other_officer.username)
    assert other.get(f"/api/enforcements/{e['id']}").status_code == 404
    assert other.get(f"/api/cases/{case.pk}/enforcements").status_code == 404
    r = other.post(
        f"/api/enforcements/{e['id']}/act", {"decision": "serve", "served_on": "2025-09-29"}
    )
    assert r.status_code == 404
    assert ApiUser(Client(), "supervisor").get(f"/api/enforcements/{e['id']}").status_code == 200


def test_the_openapi_document_describes_the_enforcement_endpoints(org):
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert "422" in paths["/api/enforcements/{record_id}/act"]["post"]["responses"]
    opened = paths["/api/cases/{case_id}/enforcements"]["post"]["responses"]
    assert "404" in opened
    made = opened["201"]["content"]["application/json"]["schema"]
    assert made == {"$ref": "#/components/schemas/RecordStepOut"}


def test_the_head_approves_an_instalment_plan_over_the_api(org):
    case = decided(org)
    at(dt.date(2025, 3, 20))
    plan = {
        "party": 0,
        "schedule": [
            {"due": "2025-04-18", "amount": "2000"},
            {"due": "2025-05-18", "amount": "3000"},
        ],
        "reason": "当事人确有经济困难",
    }
    r = ApiUser(Client(), "handler").post(f"/api/cases/{case.pk}/deferrals", plan)
    assert r.status_code == 422 and "分管局长" in r.json()["errors"][0]
    r = ApiUser(Client(), "director").post(f"/api/cases/{case.pk}/deferrals", plan)
    assert r.status_code == 201 and r.json()["ends_on"] == "2025-05-18"


def test_the_handler_records_an_instalment_paid_over_the_api_and_others_get_404(org):
    case = decided(org)
    at(dt.date(2025, 3, 20))
    plan = {
        "party": 0,
        "schedule": [
            {"due": "2025-04-18", "amount": "2000"},
            {"due": "2025-05-18", "amount": "3000"},
        ],
        "reason": "当事人确有经济困难",
    }
    assert (
        ApiUser(Client(), "director").post(f"/api/cases/{case.pk}/deferrals", plan).status_code
        == 201
    )
    at(dt.date(2025, 4, 18))
    url = f"/api/cases/{case.pk}/deferrals/instalments"
    paid = {"party": 0, "instalment": 1, "paid_on": "2025-04-18"}
    for outsider in ("scjg-officer", "county-officer"):
        assert ApiUser(Client(), outsider).post(url, paid).status_code == 404
    r = ApiUser(Client(), "handler").post(url, {**paid, "instalment": 3})
    assert r.status_code == 422 and set(r.json()["fields"]) == {"instalment"}
    r = ApiUser(Client(), "handler").post(url, paid)
    assert r.status_code == 200 and r.json()["ends_on"] == "2025-05-18"
    at(dt.date(2025, 4, 19))
    inbox = ApiUser(Client(), "handler").get("/api/enforcements/inbox").json()
    assert inbox["unpaid"] == []


def test_a_fine_and_a_demolition_of_one_decision_get_their_own_notice_over_the_api(org):
    case = fined_and_ordered(org)
    at(dt.date(2025, 9, 29))
    handler = ApiUser(Client(), "handler")
    demolish = {
        **NOTICE,
        "obligation": "performance",
        "manner": "自行拆除",
        "amount": None,
        "act": "拆除违法建设的二层彩钢房",
    }
    r = handler.post(f"/api/cases/{case.pk}/enforcements", demolish)
    assert r.status_code == 201, r.content
    opened = handler.get(f"/api/enforcements/{r.json()['record_id']}").json()
    assert (opened["obligation"], opened["obligation_name"]) == (
        "performance",
        "排除妨碍、恢复原状等行为义务",
    )
    r = handler.post(f"/api/cases/{case.pk}/enforcements", NOTICE)
    assert r.status_code == 201 and r.json()["step"] == "en_notice_serve"
    opened = handler.get(f"/api/enforcements/{r.json()['record_id']}").json()
    assert opened["obligation"] == "money"
    listed = handler.get(f"/api/cases/{case.pk}/enforcements").json()
    assert sorted(e["obligation"] for e in listed) == ["money", "performance"]
    before = Entry.objects.count()
    r = handler.post(f"/api/cases/{case.pk}/enforcements", {**NOTICE, "obligation": "fine"})
    assert r.status_code == 422 and "obligation" in r.json()["fields"]
    r = handler.post(f"/api/cases/{case.pk}/enforcements", NOTICE)
    assert r.status_code == 422
    assert "金钱给付义务（罚款、加处罚款等）已有强制执行记录" in r.json()["errors"][0]
    assert Entry.objects.count() == before and EnforcementRecord.objects.count() == 2
