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
from jobs.models import JobRun
from jobs.services import jobs_due
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
    # The upload is queued (202, the run as documented): no target until the worker runs it.
    assert upload.status_code == 202
    run = matches(doc, "/api/random/targets/import", "post", upload)
    assert (run["status"], run["imported"]) == ("queued", 0)
    assert not RandomTarget.objects.exists()
    jobs_due()
    polled = chief.get(f"/api/random/targets/imports/{run['id']}")
    assert polled.status_code == 200
    done = matches(doc, "/api/random/targets/imports/{run_id}", "get", polled)
    assert (done["status"], done["imported"], done["total"], done["done"]) == ("done", 40, 40, 40)
    assert RandomTarget.objects.count() == 40
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


def test_an_import_with_a_bad_row_fails_its_run_by_row_and_column_and_imports_nothing(org):
    chief = ApiUser(Client(), "chief")
    bad = csv_of(3).replace(b",B,", b",Z,", 1)
    r = chief.client.post(
        "/api/random/targets/import", {"file": SimpleUploadedFile("a.csv", bad)}, **chief.auth
    )
    assert r.status_code == 202
    jobs_due()
    run = chief.get(f"/api/random/targets/imports/{r.json()['id']}").json()
    assert (run["status"], run["imported"]) == ("failed", 0)
    assert [e for e in run["errors"] if "“风险等级”" in e] == [
        "第2行“风险等级”：应为A、B、C、D之一"
    ]
    assert not RandomTarget.objects.exists()


def test_an_upload_over_the_size_limit_is_422_by_field_and_queues_nothing(org, settings):
    settings.RANDOM_IMPORT_MAX_BYTES = 100
    chief = ApiUser(Client(), "chief")
    r = chief.client.post(
        "/api/random/targets/import",
        {"file": SimpleUploadedFile("a.csv", csv_of(10))},
        **chief.auth,
    )
    assert r.status_code == 422 and r.json()["fields"]["file"] == ["文件超过100字节"]
    assert not JobRun.objects.exists()


@pytest.mark.parametrize("who", ["scjg-officer", "county-officer", "sysadmin", "handler"])
def test_another_units_officer_or_one_without_the_role_gets_404_for_an_import_run(org, who):
    chief = ApiUser(Client(), "chief")
    r = chief.client.post(
        "/api/random/targets/import",
        {"file": SimpleUploadedFile("a.csv", csv_of(2))},
        **chief.auth,
    )
    jobs_due()
    outsider = ApiUser(Client(), who)
    assert outsider.get(f"/api/random/targets/imports/{r.json()['id']}").status_code == 404
    assert chief.get(f"/api/random/targets/imports/{r.json()['id']}").status_code == 200


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
