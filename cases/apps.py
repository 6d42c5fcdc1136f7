from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"
