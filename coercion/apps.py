from __future__ import annotations

from django.apps import AppConfig


class CoercionConfig(AppConfig):
    name = "coercion"
    verbose_name = "行政强制"

    def ready(self) -> None:
        # The worker calls the module's handler for the emergency measure's 24-hour timer.
        from coercion import services  # noqa: F401
