from __future__ import annotations

from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "行政强制执行"

    def ready(self) -> None:
        from ledger.labels import register_actions, register_procedures
        from procedure.enforcement import ENFORCEMENT

        # What the record says for an enforcement's entries (ledger.labels).
        register_procedures((ENFORCEMENT,), prefix="强制执行·")
        register_actions(
            {
                "enforcement": "强制执行",
                "deferral_approve": "批准延期或分期缴纳罚款",
                "instalment_paid": "登记分期缴款",
            }
        )
