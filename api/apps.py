from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The programs' faces: the HTTP API and the `case` command, which speak the same payloads
    and answers."""

    name = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        from api.idempotency import purge
        from deadlines.services import register_periodic

        register_periodic("idempotency_purge", every=3600.0, job=purge)
