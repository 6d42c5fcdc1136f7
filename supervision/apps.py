from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "执法监督"

    def ready(self) -> None:
        from ledger.labels import register_actions

        register_actions(
            {
                "item_raise": "提出监督事项",
                "item_send": "下发监督事项",
                "item_send_back": "退回重新整改",
                "item_answer": "答复整改情况",
                "item_close": "办结监督事项",
                "file_review_create": "发起案卷评查",
                "file_review_score": "案卷评查评分",
                "file_review_publish": "公布案卷评查结果",
                "file_review_item": "就评查案卷提出监督事项",
                "report_submit": "统计填报",
                "report_replace": "更正统计填报",
            }
        )
        # The worker runs the nightly irregularity scan and the nightly export to the province
        # through their timer handlers.
        from supervision import export, services  # noqa: F401
