from __future__ import annotations

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "期限"

    def ready(self) -> None:
        from ledger.labels import register_actions

        register_actions(
            {
                "deadline_approaching": "期限即将届满提醒",
                "deadline_overdue": "期限已届满未办结",
                "calendar_load": "载入节假日安排",
                "calendar_cliff_warned": "节假日安排即将用尽提醒",
            }
        )
        from deadlines.services import calendar_warn, register_periodic

        # A year without a holiday arrangement coming within reach: warn once, checked hourly.
        register_periodic("calendar_warn", every=3600.0, job=calendar_warn)
        from notices.services import notices_sms_due

        # The notices' SMS copies, one by one or as a digest (notices/services.py).
        register_periodic("notices_sms", every=60.0, job=notices_sms_due)
