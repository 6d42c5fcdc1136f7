from __future__ import annotations

from django.apps import AppConfig


class PersonalConfig(AppConfig):
    name = "personal"
    verbose_name = "个人信息保护"

    def ready(self) -> None:
        from ledger.labels import register_actions
        from personal.services import ACTIONS

        register_actions(ACTIONS)
