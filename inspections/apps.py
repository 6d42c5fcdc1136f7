from __future__ import annotations

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "行政检查"

    def ready(self) -> None:
        from ledger.labels import register_actions

        register_actions({"inspection_record": "记录行政检查"})
        from cases.counts import register_recount
        from inspections.selectors import tally_rows

        # The 行政检查 form reads the statistics summary: inspections are in its recount.
        register_recount(other=tally_rows)
