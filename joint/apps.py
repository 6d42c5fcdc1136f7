from __future__ import annotations

from django.apps import AppConfig


class JointConfig(AppConfig):
    name = "joint"
    verbose_name = "城警联动"

    def ready(self) -> None:
        from ledger.labels import register_actions, register_procedures
        from procedure.joint import JOINT_PARKING

        register_procedures((JOINT_PARKING,))
        from cases.todo import register_todo
        from joint.selectors import review_todo

        register_todo("joint", "违停审核", review_todo)
        register_actions({"upload_retry": "重新上传交警系统", "notice_print": "打印违法停车提示单"})
        # The worker calls the module's handlers (the window's timer, the upload's result).
        from joint import services  # noqa: F401
