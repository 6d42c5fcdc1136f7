from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from deadlines.services import periodic_jobs, run_timers_once, run_worker_once
from ledger.services import ledger_checkpoint_due
from outbox.services import outbox_send_due


class Command(BaseCommand):
    help = (
        "后台处理：法定期限预警和超期、到期计时器（如违停限时驶离）、待发消息（短信、上传交管平台，"
        "失败按指数退避重试），并定期生成全过程记录检查点、清理未提交的文书文件，"
        "节假日安排即将不足时短信提醒系统管理员和执法监督员（每人每年度一次）。可多进程、多机器并行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="只处理一轮后退出")
        parser.add_argument("--interval", type=float, default=5.0, help="两轮之间的秒数")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **opts: Any) -> None:
        last_run: dict[str, float] = {}
        while True:
            for periodic in periodic_jobs():
                if time.monotonic() - last_run.get(periodic.name, -periodic.every) < periodic.every:
                    continue
                line = periodic.job()
                last_run[periodic.name] = time.monotonic()
                if line:
                    self.stdout.write(line)
            counts = run_worker_once(batch=opts["batch"])
            timers = run_timers_once(batch=opts["batch"])
            sent = outbox_send_due(batch=opts["batch"])
            cp = ledger_checkpoint_due()
            self.stdout.write(
                f"即将到期 {counts['approaching']} 件，已超期 {counts['overdue']} 件；"
                f"计时器触发 {timers['fired']} 个"
                f"（重试 {timers['retried']}，失败 {timers['failed']}）；"
                f"消息发送 {sent['sent']} 条（重试 {sent['retried']}，放弃 {sent['dead']}）"
                + (f"，检查点 {cp.pk}" if cp else "")
            )
            if opts["once"]:
                return
            time.sleep(opts["interval"])
