"""The run machinery on a kind of its own: a system error fails the run with a plain message (the
trace goes to the log), the requester's notice comes once, the scope decides who sees a run."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.http import Http404

from jobs.models import JobRun
from jobs.registry import JobFailed, JobKind, Progress, register_job
from jobs.selectors import job_run_for
from jobs.services import FAILED_TEXT, job_queue, job_run_execute, jobs_due
from notices.models import Notice

pytestmark = pytest.mark.django_db

SEEN: list[int] = []


def _execute(run: JobRun, progress: Progress) -> None:
    mode = run.params.get("mode")
    progress(1, 2)
    SEEN.append(run.pk)
    if mode == "crash":
        raise RuntimeError("disk on fire")
    if mode == "refuse":
        raise JobFailed(["第2行“名称”：不能为空"])
    run.result_count = 5
    progress(2, 2)


register_job(
    JobKind(
        kind="test_kind",
        label="测试任务",
        execute=_execute,
        scope=lambda user: Q(requested_by=user) if user.username == "chief" else None,
        url=lambda run: f"/x/{run.pk}/",
        summary=lambda run: f"结果{run.result_count}",
    )
)


def queue(org, mode: str = "") -> JobRun:
    return job_queue(kind="test_kind", unit=org.cgj, actor=org.chief, params={"mode": mode})


def test_a_system_error_fails_the_run_with_a_plain_message(org, caplog):
    run = job_run_execute(queue(org, "crash"))
    assert (run.status, run.errors) == ("failed", [FAILED_TEXT])
    assert "disk on fire" in caplog.text
    run.refresh_from_db()
    assert run.errors == [FAILED_TEXT] and run.finished_at is not None


def test_a_refused_input_keeps_every_reason_and_no_result(org):
    run = job_run_execute(queue(org, "refuse"))
    run.refresh_from_db()
    assert (run.status, run.errors, run.result_count) == ("failed", ["第2行“名称”：不能为空"], 0)


def test_the_worker_takes_each_queued_run_once_and_the_notice_comes_once(org):
    first, second = queue(org), queue(org)
    SEEN.clear()
    assert "测试任务" in (jobs_due() or "")
    assert jobs_due() is None
    assert [first.pk, second.pk] == SEEN
    first.refresh_from_db()
    assert (first.status, first.total, first.done, first.result_count) == ("done", 2, 2, 5)
    assert list(Notice.objects.values_list("user_id", "kind", "subject", "text", "url")) == [
        (org.chief.pk, "job_done", f"job:{first.pk}", "测试任务已完成：结果5", f"/x/{first.pk}/"),
        (org.chief.pk, "job_done", f"job:{second.pk}", "测试任务已完成：结果5", f"/x/{second.pk}/"),
    ]


def test_asking_again_for_a_waiting_run_with_reuse_gives_the_same_run(org):
    one = job_queue(kind="test_kind", unit=org.cgj, actor=org.chief, params={"a": 1}, reuse=True)
    two = job_queue(kind="test_kind", unit=org.cgj, actor=org.chief, params={"a": 1}, reuse=True)
    other = job_queue(kind="test_kind", unit=org.cgj, actor=org.chief, params={"a": 2}, reuse=True)
    assert one.pk == two.pk != other.pk


def test_a_run_out_of_the_kinds_scope_is_404(org):
    run = queue(org)
    assert job_run_for(org.chief, "test_kind", run.pk) == run
    for user, run_id in ((org.director, run.pk), (org.chief, run.pk + 1), (org.chief, 2**64)):
        with pytest.raises(Http404):
            job_run_for(user, "test_kind", run_id)
