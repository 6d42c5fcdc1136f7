from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cases import counts


class Command(BaseCommand):
    help = (
        "统计汇总（按单位、日期、统计事项）：rebuild 从原始记录重新计算；"
        "check 与原始记录逐项核对，不一致时以非零状态退出并列出最先的差异"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("rebuild", "check"))

    def handle(self, *args: object, **options: object) -> None:
        start = time.perf_counter()
        if options["action"] == "rebuild":
            with transaction.atomic():
                rows = counts.rebuild()
            seconds = time.perf_counter() - start
            self.stdout.write(f"统计汇总已重建：{rows} 行，用时 {seconds:.1f} 秒")
            return
        differences = counts.differences()
        seconds = time.perf_counter() - start
        if differences:
            listed = "\n".join(f"  {d}" for d in differences)
            raise CommandError(
                f"统计汇总与原始记录不一致（列出最先的 {len(differences)} 处）：\n{listed}\n"
                "可执行 manage.py stats_summary rebuild 重建"
            )
        self.stdout.write(f"统计汇总与原始记录一致（用时 {seconds:.1f} 秒）")
