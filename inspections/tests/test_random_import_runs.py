"""The 检查对象名录 upload runs in the worker (issue 15 item 8): the request keeps the file and
queues the import; the run checks every row (all or nothing), records its progress and its result
or its errors by row and column, shown on its page to the unit's planners only; the requester
gets one notice when it has finished."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from inspections.models import RandomTarget
from inspections.tests.random_helpers import csv_of
from jobs.models import JobRun
from jobs.services import JOB_STALE, jobs_due
from ledger.models import Entry
from notices.models import Notice
from web.tests.test_reads import no_write
from zhifa import clock

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def upload(c: Client, content: bytes, name: str = "名录.csv"):
    return c.post("/random/targets/", {"file": SimpleUploadedFile(name, content)})


def test_the_upload_queues_the_import_and_writes_no_target_until_the_worker_runs(org):
    c = client_for(org.chief)
    r = upload(c, csv_of(5))
    run = JobRun.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/random/targets/imports/{run.pk}/"
    assert (run.kind, run.status, run.unit_id, run.input_name) == (
        "targets_import",
        "queued",
        org.cgj.pk,
        "名录.csv",
    )
    assert bytes(run.input_data) == csv_of(5)
    assert not RandomTarget.objects.exists()
    assert not Entry.objects.filter(action="random_targets_import").exists()
    page = c.get(r["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "等待后台任务开始" in page


def test_the_worker_imports_the_file_and_the_page_shows_the_count(org):
    c = client_for(org.chief)
    r = upload(c, csv_of(7))
    call_command("run_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run = JobRun.objects.get()
    assert (run.status, run.total, run.done, run.result_count) == ("done", 7, 7, 7)
    assert bytes(run.input_data) == b""  # the file is not kept once imported
    assert RandomTarget.objects.filter(unit=org.cgj).count() == 7
    assert Entry.objects.filter(action="random_targets_import").count() == 1
    page = c.get(r["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "共导入（新增或更新）检查对象 <strong>7</strong> 个" in page
    assert f'href="/random/targets/imports/{run.pk}/"' in c.get("/random/targets/").content.decode()


def test_a_bad_row_fails_the_run_naming_row_and_column_and_imports_nothing(org):
    c = client_for(org.chief)
    bad = csv_of(4).replace(b",B,", b",Q,", 3)  # rows 2 to 4 bad, row 5 good
    r = upload(c, bad)
    jobs_due()
    run = JobRun.objects.get()
    assert (run.status, run.result_count) == ("failed", 0)
    assert run.errors == [f"第{n}行“风险等级”：应为A、B、C、D之一" for n in (2, 3, 4)]
    assert not RandomTarget.objects.exists()
    assert not Entry.objects.filter(action="random_targets_import").exists()
    page = c.get(r["Location"]).content.decode()
    assert "共3处问题" in page and "第4行“风险等级”：应为A、B、C、D之一" in page


def test_an_empty_or_oversized_upload_is_refused_by_field_and_queues_nothing(org, settings):
    c = client_for(org.chief)
    empty = upload(c, b"")
    assert empty.status_code == 422 and "文件没有内容" in empty.content.decode()
    settings.RANDOM_IMPORT_MAX_BYTES = 50
    big = upload(c, csv_of(3))
    assert big.status_code == 422 and "文件超过50字节" in big.content.decode()
    assert not JobRun.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "handler", "supervisor"])
def test_another_units_officer_or_one_without_the_role_gets_404_on_the_run_page(org, who):
    upload(client_for(org.chief), csv_of(2))
    run = JobRun.objects.get()
    assert (
        client_for(getattr(org, who)).get(f"/random/targets/imports/{run.pk}/").status_code == 404
    )
    # The unit's other planner (分管局长) sees it.
    assert client_for(org.director).get(f"/random/targets/imports/{run.pk}/").status_code == 200
    assert client_for(org.chief).get("/random/targets/imports/99999999999/").status_code == 404


def test_a_get_of_the_run_page_writes_nothing(org):
    c = client_for(org.chief)
    r = upload(c, csv_of(2))
    for _ in range(2):
        with no_write():
            assert c.get(r["Location"]).status_code == 200
        jobs_due()


def test_the_requester_gets_one_notice_when_the_import_has_finished(org):
    c = client_for(org.chief)
    upload(c, csv_of(2))
    upload(c, csv_of(1).replace(b",B,", b",Q,"))
    assert not Notice.objects.exists()
    jobs_due()
    jobs_due()
    ok, bad = JobRun.objects.order_by("id")
    notices = list(Notice.objects.order_by("id"))
    assert [(n.user_id, n.kind, n.subject, n.url) for n in notices] == [
        (org.chief.pk, "job_done", f"job:{ok.pk}", f"/random/targets/imports/{ok.pk}/"),
        (org.chief.pk, "job_done", f"job:{bad.pk}", f"/random/targets/imports/{bad.pk}/"),
    ]
    assert notices[0].text == "导入检查对象名录已完成：已导入2个检查对象（名录.csv）"
    assert notices[1].text.startswith("导入检查对象名录失败：名录.csv共1处问题")


def test_a_run_that_lost_its_worker_is_queued_again_and_imports_once(org):
    upload(client_for(org.chief), csv_of(3))
    run = JobRun.objects.get()
    JobRun.objects.filter(pk=run.pk).update(status="running", beat_at=clock.now(), done=1)
    assert jobs_due() is None  # its worker may still be at it
    JobRun.objects.filter(pk=run.pk).update(beat_at=clock.now() - JOB_STALE * 2)
    assert "重新排队中断的后台任务1项" in (jobs_due() or "")
    run.refresh_from_db()
    assert (run.status, run.result_count) == ("done", 3)
    assert RandomTarget.objects.count() == 3
    assert Notice.objects.filter(subject=f"job:{run.pk}").count() == 1
