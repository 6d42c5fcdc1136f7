"""Writes of runs: queued by the request, carried out by the worker (`jobs_due`), the progress
committed as it moves (a page reading the run sees it), the end recorded in one transaction with
the requester's notice (kind `job_done`, once per run)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction

from jobs.models import JobRun
from jobs.registry import JobFailed, job_kind
from notices.services import notice_emit
from orgs.models import Unit, User
from zhifa import clock

log = logging.getLogger(__name__)

# A running run whose progress has not moved for this long lost its worker: it is queued again
# (the kinds are idempotent: an import updates the same rows, an export is built anew).
JOB_STALE = dt.timedelta(minutes=30)
FAILED_TEXT = "处理时出现系统错误，未完成；请重新发起，或联系系统管理员"


def job_queue(
    *,
    kind: str,
    unit: Unit,
    actor: User,
    params: dict[str, Any] | None = None,
    input_name: str = "",
    input_data: bytes = b"",
    reuse: bool = False,
    shared: bool = False,
) -> JobRun:
    """Queue a run for the worker, inside the caller's transaction. With `reuse`, the actor's
    run of the same kind and parameters still queued or running is the answer (asking twice does
    not build twice); `shared` makes it anyone's run of the unit (a scan of a subtree)."""
    job_kind(kind)  # an unknown kind is a programming error
    params = params or {}
    if reuse or shared:
        if shared:
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
        else:
            User.objects.select_for_update().filter(pk=actor.pk).first()
        waiting = JobRun.objects.filter(
            kind=kind,
            unit=unit,
            params=params,
            status__in=[JobRun.Status.QUEUED, JobRun.Status.RUNNING],
        )
        if not shared:
            waiting = waiting.filter(requested_by=actor)
        found = waiting.first()
        if found is not None:
            return found
    return JobRun.objects.create(
        kind=kind,
        unit=unit,
        requested_by=actor,
        requested_at=clock.now(),
        params=params,
        input_name=input_name[:200],
        input_data=input_data,
    )


def _finish(run: JobRun) -> None:
    """The run's end and the requester's notice, in one transaction."""
    spec = job_kind(run.kind)
    run.finished_at = clock.now()
    with transaction.atomic():
        run.save()
        notice_emit(
            users=[run.requested_by_id],
            kind="job_done",
            subject=f"job:{run.pk}",
            occasion="finished",
            text=f"{spec.label}{run.get_status_display()}：{spec.summary(run)}",
            url=spec.url(run),
        )


def job_run_execute(run: JobRun) -> JobRun:
    """Carry out a run taken by the worker; its kind's failure (JobFailed) keeps the reasons,
    anything else keeps a plain message (the trace goes to the log)."""
    spec = job_kind(run.kind)

    def progress(done: int, total: int) -> None:
        run.done, run.total = done, total
        JobRun.objects.filter(pk=run.pk).update(done=done, total=total, beat_at=clock.now())

    try:
        spec.execute(run, progress)
    except JobFailed as exc:
        run.status, run.errors = JobRun.Status.FAILED, exc.errors[:1000]
        run.output_data, run.result_count = b"", 0
    except Exception:
        log.exception("job run %s failed", run.pk)
        run.status, run.errors = JobRun.Status.FAILED, [FAILED_TEXT]
        run.output_data, run.result_count = b"", 0
    else:
        run.status, run.errors = JobRun.Status.DONE, []
    run.input_data = b""  # the uploaded file is not kept once its run has ended
    _finish(run)
    return run


def job_files_expire() -> int:
    """Drop the built files of runs that ended more than JOB_FILE_KEEP_DAYS days ago (the runs
    stay, with their counts); returns how many files went."""
    cutoff = clock.now() - dt.timedelta(days=settings.JOB_FILE_KEEP_DAYS)
    return (
        JobRun.objects.filter(finished_at__lt=cutoff)
        .exclude(output_data=b"")
        .update(output_data=b"", output_name="", output_type="")
    )


def jobs_due() -> str | None:
    """The worker's job: requeue the runs that lost their worker, then take each queued run
    (compare-and-set, so two workers never take the same) and carry it out. Returns the worker's
    line, None when there was nothing to do."""
    lines = []
    expired = job_files_expire()
    if expired:
        lines.append(f"删除过期的后台任务文件{expired}个")
    lost = JobRun.objects.filter(
        status=JobRun.Status.RUNNING, beat_at__lt=clock.now() - JOB_STALE
    ).update(status=JobRun.Status.QUEUED, done=0)
    if lost:
        lines.append(f"重新排队中断的后台任务{lost}项")
    while True:
        run = JobRun.objects.filter(status=JobRun.Status.QUEUED).order_by("id").first()
        if run is None:
            break
        won = JobRun.objects.filter(pk=run.pk, status=JobRun.Status.QUEUED).update(
            status=JobRun.Status.RUNNING, started_at=clock.now(), beat_at=clock.now()
        )
        if not won:
            continue
        run.refresh_from_db()
        run = job_run_execute(run)
        lines.append(f"{job_kind(run.kind).label} {run.pk}：{run.get_status_display()}")
    return "；".join(lines) or None
