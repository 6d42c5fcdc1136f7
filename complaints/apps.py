from __future__ import annotations

from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from cases.todo import register_todo
        from complaints.selectors import complaints_todo

        register_todo("complaint", "投诉举报", complaints_todo)
        from disclosure.portal import register_section
        from ledger.labels import register_actions, register_procedures, register_roles
        from procedure.complaint import COMPLAINT

        register_section("complaints-public:new", "投诉举报", order=80)
        register_procedures((COMPLAINT,))
        register_actions(
            {
                "complaint_submitted": "提交投诉举报",
                "complaint_overdue": "投诉举报受理超期",
            }
        )
        register_roles({"public": "社会公众"})
        # The worker's periodic job marks complaints not decided in time.
        from complaints import services  # noqa: F401
