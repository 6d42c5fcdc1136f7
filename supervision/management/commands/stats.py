from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from orgs.models import Unit
from supervision.render import as_csv, as_text, as_xlsx
from supervision.selectors import Period, default_root, form_table
from supervision.tables import FORMS


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"日期格式应为YYYY-MM-DD：{raw}") from None


class Command(BaseCommand):
    help = "统计报表：行政许可、行政处罚、行政强制、行政征收征用、行政检查"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--form", required=True, choices=sorted(FORMS))
        parser.add_argument("--year", type=int, help="统计年度")
        parser.add_argument("--from", dest="start", help="统计期间起（YYYY-MM-DD）")
        parser.add_argument("--to", dest="end", help="统计期间止（YYYY-MM-DD）")
        parser.add_argument("--unit", help="单位代码：统计该单位及其下级单位（缺省为全市）")
        parser.add_argument("--format", default="text", choices=("text", "csv", "xlsx"))
        parser.add_argument("--output", help="输出文件；缺省为标准输出（xlsx 必须指定）")

    def handle(self, *args: object, **options: object) -> None:
        year, start, end = options["year"], options["start"], options["end"]
        if year and (start or end):
            raise CommandError("--year 与 --from/--to 只能选其一")
        if year:
            period = Period.year(int(str(year)))
        elif start and end:
            period = Period(_day(str(start)), _day(str(end)))
            if period.end < period.start:
                raise CommandError("统计期间止不能早于统计期间起")
        else:
            raise CommandError("请指定 --year，或同时指定 --from 和 --to")
        if options["unit"]:
            root = Unit.objects.select_related("region").filter(code=str(options["unit"])).first()
            if root is None:
                raise CommandError(f"单位不存在：{options['unit']}")
            if root.kind == Unit.Kind.JUSTICE and root.parent is not None:
                root = root.parent  # a justice bureau's forms cover its government's subtree
        else:
            try:
                root = default_root()
            except Unit.DoesNotExist as exc:
                raise CommandError(str(exc)) from None
        table = form_table(str(options["form"]), root=root, period=period)
        fmt, output = str(options["format"]), options["output"]
        if fmt == "xlsx":
            if not output:
                raise CommandError("xlsx 格式请用 --output 指定文件")
            Path(str(output)).write_bytes(as_xlsx(table))
        else:
            text = as_text(table) if fmt == "text" else as_csv(table)
            if output:
                Path(str(output)).write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        if output:
            self.stdout.write(f"已写入 {output}")
        for w in table.warnings:
            self.stderr.write(f"提示：{w}")
