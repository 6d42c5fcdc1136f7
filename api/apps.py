from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The programs' faces: the HTTP API and the `case` command, which speak the same payloads
    and answers."""

    name = "api"
    verbose_name = "接口"
