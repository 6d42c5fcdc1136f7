from __future__ import annotations

from django.core.management.base import BaseCommand

from supervision.services import supervision_scan


class Command(BaseCommand):
    help = "按监督规则检查全部案件，对新发现的问题生成监督事项（可重复运行）"

    def handle(self, *args: object, **options: object) -> None:
        created = supervision_scan()
        self.stdout.write(f"新增监督事项 {created} 项")
