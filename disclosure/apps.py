from __future__ import annotations

from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "执法公示"

    def ready(self) -> None:
        from disclosure.portal import register_section

        register_section("disclosure:home", "首页", order=0)
        register_section("disclosure:ledger_checkpoints", "全过程记录校验", order=90)
