from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from supervision.services import scan_schedule, supervision_scan


class Command(BaseCommand):
    help = "按监督规则检查全部案件，对新发现的问题生成监督事项（可重复运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="不立即检查，改为由后台任务每晚2点检查"
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["schedule"]:
            timer = scan_schedule()
            self.stdout.write(f"已安排每晚检查，下次：{timer.due_at:%Y-%m-%d %H:%M}")
            return
        created = supervision_scan()
        self.stdout.write(f"新增监督事项 {created} 项")
