from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = "数据交换"

    def ready(self) -> None:
        from ledger.labels import register_actions

        register_actions({"case_import": "导入案件"})
