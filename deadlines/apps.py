from __future__ import annotations

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "期限"
