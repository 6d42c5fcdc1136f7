"""双随机 over HTTP: answers as the OpenAPI document says, refusals by field changing nothing,
404 out of scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from api.tests.test_api_flow import ApiUser
from api.tests.test_certificate_api import matches
from inspections.models import RandomPlan, RandomTarget
from inspections.tests.random_helpers import csv_of, drawn_plan, plan_for
from ledger.models import Entry

pytestmark = pytest.mark.django_db


def test_a_planner_plans_freezes_and_draws_over_the_api_and_an_inspector_records(org):
    doc = Client().get("/api/openapi.json").json()
    chief = ApiUser(Client(), "chief")
    upload = chief.client.post(
        "/api/random/targets/import",
        {"file": SimpleUploadedFile("a.csv", csv_of(40))},
        **chief.auth,
    )
    assert upload.status_code == 200 and upload.json() == {"imported": 40}
    m = chief.post(
        "/api/random/matters",
        {"code": "M1", "name": "户外广告检查", "checklist": ["许可", "安全"]},
    )
    assert m.status_code == 200
    body = {
        "title": "API计划",
        "matter_id": m.json()["id"],
        "categories": ["餐饮"],
        "ratios": {g: "5" for g in "ABCD"},
        "ratio_confirmed": True,
        "starts_on": "2025-03-03",
        "ends_on": "2025-03-31",
    }
    r = chief.post("/api/random/plans", body)
    assert r.status_code == 201
    plan = matches(doc, "/api/random/plans", "post", r)
    r = chief.post(f"/api/random/plans/{plan['id']}/freeze", {})
    assert r.status_code == 200 and r.json()["seed"] is None and r.json()["commitment"]
    r = chief.post(f"/api/random/plans/{plan['id']}/draw", {})
    assert r.status_code == 200 and len(r.json()["seed"]) == 64
    RandomPlan.objects.get(pk=plan["id"]).tasks.update(lead=org.handler, second=org.co_handler)
    handler = ApiUser(Client(), "handler")
    tasks = handler.get("/api/random/tasks")
    assert tasks.status_code == 200 and len(tasks.json()) == 2
    task = tasks.json()[0]
    result = {
        "checked_on": "2025-03-03",
        "items": [{"passed": True}, {"passed": True}],
        "result": "no_problem",
    }
    r = handler.post(f"/api/random/tasks/{task['id']}/result", result)
    assert r.status_code == 200
    assert matches(doc, "/api/random/tasks/{task_id}/result", "post", r)["result"] == "no_problem"


def test_a_refused_plan_is_422_by_field_and_changes_nothing(org):
    chief = ApiUser(Client(), "chief")
    plan_for(org)
    before = Entry.objects.count(), RandomPlan.objects.count()
    r = chief.post(
        "/api/random/plans",
        {
            "title": "x",
            "matter_id": 1,
            "categories": ["餐饮"],
            "ratios": {g: "5" for g in "ABCD"},
            "ratio_confirmed": False,
            "starts_on": "2025-03-03",
            "ends_on": "2025-03-31",
        },
    )
    assert r.status_code == 422
    assert r.json()["fields"]["ratio_confirmed"] == ["请确认抽查比例"]
    assert (Entry.objects.count(), RandomPlan.objects.count()) == before


def test_an_import_with_errors_is_422_and_imports_nothing(org):
    chief = ApiUser(Client(), "chief")
    bad = csv_of(1).replace(b",B,", b",Z,")
    r = chief.client.post(
        "/api/random/targets/import", {"file": SimpleUploadedFile("a.csv", bad)}, **chief.auth
    )
    assert r.status_code == 422 and "第2行“风险等级”" in r.json()["fields"]["file"][0]
    assert not RandomTarget.objects.exists()


@pytest.mark.parametrize("who", ["scjg-officer", "county-officer", "sysadmin"])
def test_another_agencys_officer_gets_404_for_the_plan_and_its_task(org, who):
    plan = drawn_plan(org)
    task = plan.tasks.first()
    assert task is not None
    outsider = ApiUser(Client(), who)
    before = Entry.objects.count()
    assert outsider.get(f"/api/random/plans/{plan.pk}").status_code == 404
    assert outsider.post(f"/api/random/plans/{plan.pk}/freeze", {}).status_code == 404
    result = {"checked_on": "2025-03-03", "items": [], "result": "no_problem"}
    assert outsider.post(f"/api/random/tasks/{task.pk}/result", result).status_code == 404
    assert Entry.objects.count() == before
    assert outsider.get("/api/random/plans").json() == []
