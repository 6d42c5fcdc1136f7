from __future__ import annotations

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "消息发件箱"

    def ready(self) -> None:
        from ledger.labels import register_actions

        register_actions(
            {
                "outbox_sent": "短信已发送",
                "outbox_attempt_failed": "短信发送失败，将重试",
                "outbox_given_up": "短信多次发送失败，已停止重试",
            }
        )
