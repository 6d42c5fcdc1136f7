from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from cases.models import Case


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"

    def ready(self) -> None:
        from ledger.labels import register_actions, register_procedures
        from procedure.general import GENERAL
        from procedure.recusal import RECUSAL
        from procedure.simple import SIMPLE

        # What the record says for the entries of the case's own procedures (ledger.labels).
        register_procedures((GENERAL, SIMPLE, RECUSAL))
        # 先行登记保存's own step names (申请, 审批…) need the measure's name before them.
        register_actions(
            {
                "preservation_request": "申请先行登记保存",
                "preservation_approve": "先行登记保存审批",
                "preservation_carry_out": "实施先行登记保存",
                "preservation_decide": "先行登记保存处理决定",
                "case_open": "当场处罚立案",
                "evidence_add": "登记证据",
                "review_file": "登记复议诉讼",
                "review_conclude": "登记复议诉讼结果",
                "party_response": "当事人在线陈述申辩/听证申请",
            }
        )
        from cases.ledger_check import check_cases
        from ledger.services import register_check

        # `ledger verify` also checks each case row against its stream.
        register_check("cases", check_cases)
        from cases.hooks import register_step_fact
        from cases.selectors import earlier_fines

        # 行政处罚法第二十九条: the fines a party already had for the same act, read where a fine is
        # decided (procedure.guards.no_second_fine, procedure.simple).
        for step in ("decision_issue", "simple_decide"):
            register_step_fact(step, "earlier_fines", earlier_fines)
        # 行政处罚法第三十六条: the harm recorded on the case, read where the time bar is checked
        # (procedure.guards.within_time_bar).
        for step in ("filing_request", "filing_approve"):
            register_step_fact(step, "harmful_consequences", _harm)
        from cases.selectors import preservations_todo, recusals_todo, responses_todo
        from cases.todo import register_todo

        # The 待办's kinds the core owns besides the case steps (web lists those itself).
        register_todo("recusal", "回避", recusals_todo)
        register_todo("preservation", "先行登记保存", preservations_todo)
        register_todo("response", "在线陈述申辩", responses_todo)


def _harm(case: Case) -> bool:
    return case.harmful_consequences
