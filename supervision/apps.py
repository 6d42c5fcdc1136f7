from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "执法监督"

    def ready(self) -> None:
        # The worker runs the nightly irregularity scan through its timer handler.
        from supervision import matters, services  # noqa: F401
