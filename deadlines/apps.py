from __future__ import annotations

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "期限"

    def ready(self) -> None:
        from deadlines.services import calendar_warn, register_periodic

        # A year without a holiday arrangement coming within reach: warn once, checked hourly.
        register_periodic("calendar_warn", every=3600.0, job=calendar_warn)
