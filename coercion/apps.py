from __future__ import annotations

from django.apps import AppConfig


class CoercionConfig(AppConfig):
    name = "coercion"
    verbose_name = "行政强制"

    def ready(self) -> None:
        from ledger.labels import register_procedures
        from procedure.coercion import COERCION

        register_procedures((COERCION,), prefix="行政强制措施·")
        from cases.todo import register_todo
        from coercion.selectors import measures_todo

        register_todo("measure", "强制措施", measures_todo)
        from cases.counts import register_recount
        from cases.hooks import register_step_effect, register_step_fact
        from coercion.selectors import open_measures_count, tally_rows

        # Importing the services registers the handler of the emergency measure's 24-hour timer.
        from coercion.services import execution_enforcements_record

        # A case does not close while a measure is pending or in force.
        register_step_fact("closing_approve", "open_measures", open_measures_count)
        # 执行 records the enforcements the statistics count.
        register_step_effect("execution", execution_enforcements_record)
        # The 行政强制 form reads the statistics summary: measures and enforcements are in its
        # recount.
        register_recount(by_case=tally_rows)
