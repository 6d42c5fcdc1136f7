from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from deadlines.services import register_periodic
        from jobs.services import jobs_due

        # A run queued by a page (an import, a long export) starts on the worker's next round.
        register_periodic("jobs_due", every=1.0, job=jobs_due)
