"""What every answer about a run carries, whatever its kind: the API's schemas of each kind add
their own fields (an import's file and count, a scan's cases and items, an export's period and
file) to these."""

from __future__ import annotations

from typing import Any

from jobs.models import JobRun


def run_answer(run: JobRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "total": run.total,
        "done": run.done,
        "errors": [str(e) for e in run.errors],
        "requested_at": run.requested_at,
        "finished_at": run.finished_at,
    }
