from __future__ import annotations

from django.apps import AppConfig


class NonsiteConfig(AppConfig):
    name = "nonsite"
    verbose_name = "非现场执法"

    def ready(self) -> None:
        from ledger.labels import register_actions, register_procedures
        from procedure.nonsite import NONSITE_REVIEW

        register_procedures((NONSITE_REVIEW,))
        from cases.todo import register_todo
        from nonsite.selectors import queue_todo, statements_todo

        register_todo("statement", "陈述申辩", statements_todo)
        register_todo("nonsite", "超限审核", queue_todo)
        register_actions(
            {
                "device_review": "设备法制和技术审核",
                "monitoring_evidence": "登记检测数据证据",
                "monitoring_notice": "告知当事人超限检测结果",
                "party_statement": "当事人在线陈述申辩",
            }
        )
