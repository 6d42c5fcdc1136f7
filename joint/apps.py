from __future__ import annotations

from django.apps import AppConfig


class JointConfig(AppConfig):
    name = "joint"
    verbose_name = "城警联动"
