from __future__ import annotations

import gzip
import io
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exchange.export import export_lines
from orgs.models import Unit


class Command(BaseCommand):
    help = "导出 zhifa.case/1 与 zhifa.inspection/1 数据（JSON Lines）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="单位代码：导出该单位及其下级单位")
        parser.add_argument("--year", type=int, help="年度：导出该年度有统计事项的案件")
        parser.add_argument("--output", help="输出文件（.gz 压缩）；缺省为标准输出")

    def handle(self, *args: object, **options: object) -> None:
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=str(options["unit"])).first()
            if unit is None:
                raise CommandError(f"单位不存在：{options['unit']}")
        year = options["year"]
        output = options["output"]
        n = 0
        with ExitStack() as stack:
            out: IO[str] = sys.stdout
            if output and str(output).endswith(".gz"):
                raw = stack.enter_context(gzip.open(str(output), "wb"))
                out = stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8"))
            elif output:
                out = stack.enter_context(Path(str(output)).open("w", encoding="utf-8"))
            for line in export_lines(unit=unit, year=int(str(year)) if year else None):
                out.write(line + "\n")
                n += 1
        if output:
            self.stdout.write(f"导出 {n} 条记录到 {output}")
