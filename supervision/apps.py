from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "执法监督"

    def ready(self) -> None:
        # The worker runs the nightly irregularity scan and the nightly export to the province
        # through their timer handlers.
        from supervision import export, services  # noqa: F401
