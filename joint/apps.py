from __future__ import annotations

from django.apps import AppConfig


class JointConfig(AppConfig):
    name = "joint"
    verbose_name = "城警联动"

    def ready(self) -> None:
        # The worker calls the module's handlers (the window's timer, the upload's result).
        from joint import services  # noqa: F401
