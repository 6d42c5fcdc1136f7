from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "执法监督"

    def ready(self) -> None:
        from cases.todo import register_todo
        from supervision.selectors import matters_todo_items

        register_todo("matter", "执法监督事项", matters_todo_items)
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
                # 执法监督事项 (行政执法监督条例 2026): supervision/matters.py
                "matter_open": "立执法监督事项",
                "matter_send": "发出督办函/意见书",
                "matter_answer": "答复整改情况",
                "matter_object": "提出异议",
                "matter_accept_objection": "异议成立",
                "matter_reject_objection": "异议不成立",
                "matter_return": "退回重新整改",
                "matter_close": "办结执法监督事项",
                "matter_propose": "提请本级人民政府处理",
                "matter_decide": "登记政府决定书",
                "matter_report": "报告决定书执行情况",
                "matter_publish": "通报/公开",
                "matter_recommend": "建议处理执法人员",
                "matter_measure_decide": "登记有权机关决定",
                "matter_reply_overdue": "答复期限届满未答复",
                "matter_report_overdue": "报告期限届满未报告",
                "oversight_periods_set": "设置执法监督答复期限",
            }
        )
        # The worker runs the nightly irregularity scan and the nightly export to the province
        # through their timer handlers; the scan asked for from the dashboard and a form's file
        # over a long period are jobs (jobs.registry) the services register.
        from supervision import export, matters, services  # noqa: F401
