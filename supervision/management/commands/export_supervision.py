from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervision.export import export_errors, export_lines, export_schedule, write_export
from zhifa import clock


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"日期“{raw[:20]}”无效，应为YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "导出执法监督数据（监督事项、案卷评查结果、执法证汇总）供省级平台汇聚，"
        "格式见README“Exchange”一节；缺省导出昨天"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="起始日期（含），YYYY-MM-DD")
        parser.add_argument("--until", help="截止日期（含），YYYY-MM-DD")
        parser.add_argument("--out", default="-", help="输出文件，- 为标准输出")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="不立即导出，改为由后台任务每晚导出前一天的数据到SUPERVISION_EXPORT_DIR",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["schedule"]:
            timer = export_schedule()
            self.stdout.write(f"已安排每晚导出，下次：{timer.due_at:%Y-%m-%d %H:%M}")
            return
        yesterday = clock.today() - dt.timedelta(days=1)
        since = _date(str(options["since"])) if options["since"] else yesterday
        until = _date(str(options["until"])) if options["until"] else yesterday
        errors = export_errors(since, until)
        if errors:
            raise CommandError("；".join(errors))
        out = str(options["out"])
        if out == "-":
            for line in export_lines(since=since, until=until):
                sys.stdout.write(line)
            return
        n = write_export(Path(out), since=since, until=until)
        self.stderr.write(f"已导出 {n} 条记录到 {out}")
