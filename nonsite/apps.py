from __future__ import annotations

from django.apps import AppConfig


class NonsiteConfig(AppConfig):
    name = "nonsite"
    verbose_name = "非现场执法"
