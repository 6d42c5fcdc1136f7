from __future__ import annotations

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "行政检查"

    def ready(self) -> None:
        from cases.todo import register_todo
        from inspections.random_selectors import random_todo_items

        register_todo("random", "双随机抽查任务", random_todo_items)
        from ledger.labels import register_actions

        register_actions(
            {
                "inspection_record": "记录行政检查",
                "random_targets_import": "导入检查对象名录",
                "random_matter_save": "保存随机抽查事项",
                "random_plan_create": "制定双随机抽查计划",
                "random_conflict_add": "登记检查人员回避",
                "random_plan_freeze": "冻结名录并公布种子承诺",
                "random_plan_draw": "双随机摇号",
                "random_plan_redraw": "撤销摇号（重新摇号）",
                "random_task_complete": "记录双随机抽查结果",
                "random_plan_publish": "公示双随机抽查结果",
            }
        )
        from disclosure.portal import register_section

        register_section("inspections:public_plans", "双随机抽查", order=60)
        from disclosure.portal import register_agency_part
        from inspections.random_selectors import public_matters_part

        # 事前公示: each agency's 随机抽查事项清单 on its page.
        register_agency_part("random_matters", public_matters_part, order=40)
        from cases.counts import register_recount
        from inspections.selectors import tally_rows

        # The 行政检查 form reads the statistics summary: inspections are in its recount.
        register_recount(other=tally_rows)
        # The 名录 import runs in the worker (jobs): its kind registers on import.
        from inspections import random_services  # noqa: F401
