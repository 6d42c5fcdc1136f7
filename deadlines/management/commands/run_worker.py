from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from deadlines.services import run_worker_once
from ledger.services import ledger_checkpoint


class Command(BaseCommand):
    help = "期限处理：标记即将到期和已超期的法定期限，并定期生成全过程记录检查点。可多进程并行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="只处理一轮后退出")
        parser.add_argument("--interval", type=float, default=60.0, help="两轮之间的秒数")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **opts: Any) -> None:
        while True:
            counts = run_worker_once(batch=opts["batch"])
            cp = ledger_checkpoint()
            self.stdout.write(
                f"即将到期 {counts['approaching']} 件，已超期 {counts['overdue']} 件"
                + (f"，检查点 {cp.pk}" if cp else "")
            )
            if opts["once"]:
                return
            time.sleep(opts["interval"])
