from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deadlines.services import calendar_load


class Command(BaseCommand):
    help = "导入国务院公布的年度节假日及调休安排（CSV: date,kind,name），用于计算工作日期限"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--year", type=int, default=None, help="只载入该年度：表中其他年份的日期视为错误"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            years = calendar_load(
                text=opts["file"].read_text(encoding="utf-8-sig"), year=opts["year"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已载入 {'、'.join(map(str, years))} 年的节假日安排"))
