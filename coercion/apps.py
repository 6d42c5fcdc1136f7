from __future__ import annotations

from django.apps import AppConfig


class CoercionConfig(AppConfig):
    name = "coercion"
    verbose_name = "行政强制"
