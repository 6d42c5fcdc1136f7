from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notices.services import notices_sms_due


class Command(BaseCommand):
    help = (
        "把待发的提醒短信交给发件箱：少量逐条发送，短时间内过多时合并为一条"
        "（run_worker 每分钟也会执行）。"
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(notices_sms_due() or "没有待发的提醒短信")
