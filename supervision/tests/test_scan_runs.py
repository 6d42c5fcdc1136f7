"""The irregularity scan asked for from the dashboard runs in the worker, not in the request: the
page answers at once with a progress page that reloads itself until the worker has finished."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from conftest import PASSWORD
from jobs.models import JobRun
from jobs.services import job_run_execute, jobs_due
from notices.models import Notice
from orgs.services import regions_ensure
from supervision import services
from supervision.models import Item
from supervision.tests.test_edges import imported
from zhifa import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    return org


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_the_scan_is_queued_by_the_page_and_carried_out_by_the_worker(city):
    late = imported("DAY91", "2022-01-01", "2022-04-02")
    imported("DAY90", "2022-01-01", "2022-04-01")
    supervisor = login("supervisor")
    resp = supervisor.post("/supervision/scan/")
    run = JobRun.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/supervision/scan/{run.pk}/"
    # The request itself scanned nothing.
    assert (run.status, Item.objects.count()) == ("queued", 0)
    page = supervisor.get(resp["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "等待后台任务开始" in page
    # Asked again meanwhile: the same run, not a second scan.
    supervisor.post("/supervision/scan/")
    assert JobRun.objects.count() == 1
    call_command("run_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run.refresh_from_db()
    assert (run.status, run.total, run.done, run.result_count) == ("done", 2, 2, 1)
    assert list(Item.objects.values_list("case_id", "rule")) == [(late.pk, "decided_late")]
    page = supervisor.get(f"/supervision/scan/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "新增监督事项 <strong>1</strong> 项" in page
    assert f'href="/supervision/scan/{run.pk}/"' in supervisor.get("/supervision/").content.decode()
    # A second run finds nothing new (the scan is idempotent).
    supervisor.post("/supervision/scan/")
    jobs_due()
    assert JobRun.objects.order_by("-id").values_list("result_count", flat=True)[0] == 0


def test_a_running_scan_shows_how_far_it_is(city):
    run = services.scan_request(actor=city.supervisor)
    JobRun.objects.filter(pk=run.pk).update(status="running", total=400, done=100)
    page = login("supervisor").get(f"/supervision/scan/{run.pk}/").content.decode()
    assert 'value="25"' in page and "已检查 100 / 400 件" in page
    assert 'http-equiv="refresh"' in page


def test_a_scan_run_is_404_outside_the_supervisors_subtree(city):
    run = services.scan_request(actor=city.supervisor)
    url = f"/supervision/scan/{run.pk}/"
    assert login("supervisor").get(url).status_code == 200
    for username in ("county-supervisor", "handler"):  # another subtree's supervisor, an officer
        assert login(username).get(url).status_code == 404
    assert login("handler").post("/supervision/scan/").status_code == 404
    assert JobRun.objects.count() == 1


def test_a_scan_whose_worker_stopped_is_taken_again_after_thirty_minutes(city):
    from conftest import move

    imported("DAY91", "2022-01-01", "2022-04-02")
    run = services.scan_request(actor=city.supervisor)
    JobRun.objects.filter(pk=run.pk).update(status="running", beat_at=clock.now(), done=1)
    move(minutes=30)
    assert jobs_due() is None  # its last batch is 30 minutes old: still its own
    move(seconds=1)
    assert "重新排队中断的后台任务1项" in (jobs_due() or "")
    run.refresh_from_db()
    assert (run.status, run.done, run.result_count) == ("done", 1, 1)


def test_the_requester_gets_one_notice_when_the_scan_has_finished(city):
    imported("DAY91", "2022-01-01", "2022-04-02")
    login("supervisor").post("/supervision/scan/")
    run = JobRun.objects.get()
    assert not Notice.objects.exists()
    jobs_due()
    job_run_execute(run)  # the same run's end recorded again notifies no one twice
    notice = Notice.objects.get()
    assert (notice.user_id, notice.kind, notice.subject, notice.url) == (
        run.requested_by_id,
        "job_done",
        f"job:{run.pk}",
        f"/supervision/scan/{run.pk}/",
    )
    assert notice.text == "不规范执法行为检查已完成：新增监督事项1项"


def test_the_api_queues_the_scan_and_answers_its_progress_to_the_supervisor_alone(org):
    from django.test import Client

    from api.tests.test_api_flow import ApiUser

    api = ApiUser(Client(), org.supervisor.username)
    r = api.post("/api/supervision/scans", {})
    assert r.status_code == 202, r.content
    run = JobRun.objects.get()
    assert r.json() == {**r.json(), "id": run.pk, "status": "queued"}
    again = api.post("/api/supervision/scans", {})
    assert again.json()["id"] == run.pk and JobRun.objects.count() == 1
    jobs_due()
    assert api.get(f"/api/supervision/scans/{run.pk}").json()["status"] == "done"
    for who in (org.county_supervisor, org.handler):
        assert (
            ApiUser(Client(), who.username).get(f"/api/supervision/scans/{run.pk}").status_code
            == 404
        )
    assert (
        ApiUser(Client(), org.handler.username).post("/api/supervision/scans", {}).status_code
        == 404
    )
