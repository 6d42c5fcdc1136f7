from __future__ import annotations

from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "行政强制执行"

    def ready(self) -> None:
        from cases.todo import register_todo
        from enforcement.selectors import enforcement_todo

        register_todo("enforcement", "强制执行", enforcement_todo)
        from cases.hooks import register_step_fact
        from enforcement.selectors import payment_terms
        from ledger.labels import register_actions, register_procedures
        from procedure.enforcement import ENFORCEMENT

        # Step 17 charges the surcharge over the recorded reviews and the approved deferral.
        register_step_fact("execution", "payment_terms", payment_terms)

        # What the record says for an enforcement's entries (ledger.labels).
        register_procedures((ENFORCEMENT,), prefix="强制执行·")
        register_actions(
            {
                "enforcement": "强制执行",
                "deferral_approve": "批准延期或分期缴纳罚款",
                "instalment_paid": "登记分期缴款",
            }
        )
