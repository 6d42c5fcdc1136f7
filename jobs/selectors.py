from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from jobs.models import JobRun
from jobs.registry import job_kind
from orgs.models import User

MAX_ID = 2**63 - 1


def job_run_for(user: User, kind: str, run_id: int) -> JobRun:
    """The one access function for a run: a run of this kind within the scope its module gives
    the user (an import: the unit's officers who may import; an export: the statistics page's
    scope); any other, or none, is 404."""
    if not user.is_authenticated or not user.is_active:
        raise Http404("任务不存在")
    scope = job_kind(kind).scope(user)
    if scope is None or not isinstance(run_id, int) or not 0 < run_id <= MAX_ID:
        raise Http404("任务不存在")
    try:
        runs = JobRun.objects.select_related("unit", "requested_by")
        # The files are read only where they are used (the download), not on each page refresh.
        return runs.defer("input_data", "output_data").get(scope, pk=run_id, kind=kind)
    except (JobRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("任务不存在") from None


def job_runs_for(user: User, kind: str) -> QuerySet[JobRun]:
    """The runs of this kind the user may see (the same scope), newest first."""
    scope = job_kind(kind).scope(user) if user.is_authenticated and user.is_active else None
    if scope is None:
        return JobRun.objects.none()
    runs = JobRun.objects.filter(scope, kind=kind).select_related("requested_by")
    return runs.defer("input_data", "output_data")
