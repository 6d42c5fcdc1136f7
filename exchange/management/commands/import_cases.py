from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exchange.load import DEFAULT_BATCH, BulkLockError, RecordError, import_lines, open_text
from orgs.services import regions_ensure


class Command(BaseCommand):
    help = "导入 zhifa.case/1 与 zhifa.inspection/1 数据（JSON Lines；- 为标准输入；支持 .gz）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="文件路径，.gz 自动解压；- 读取标准输入")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="每批行数")
        parser.add_argument(
            "--workers", type=int, default=1, help="并行校验的进程数（写入仍按文件顺序逐批进行）"
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="批量装载（用于停机窗口内的大批量导入，如历史数据初始化、数据汇聚）：整个导入为一个"
            "事务，先删除案件表的二级索引和外键、导入后按原定义重建；导入期间其他用户无法读写案件",
        )

    def handle(self, *args: object, **options: object) -> None:
        path = str(options["file"])
        batch = int(str(options["batch_size"]))
        if batch < 1:
            raise CommandError("每批行数应大于0")
        regions_ensure()
        start = time.perf_counter()
        try:
            with open_text(path) as fh:
                report = import_lines(
                    fh,
                    batch_size=batch,
                    source=path,
                    workers=int(str(options["workers"])),
                    bulk=bool(options["bulk"]),
                )
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{path}") from None
        except RecordError as exc:
            raise CommandError(f"{exc}（该批次未导入，之前的批次已导入）") from None
        except BulkLockError as exc:
            raise CommandError(f"{exc}；未导入任何数据") from None
        seconds = time.perf_counter() - start
        records = report.cases + report.inspections
        rate = records / seconds if seconds else 0.0
        self.stdout.write(
            f"导入案件 {report.cases} 件、行政检查 {report.inspections} 次"
            f"（替换 {report.replaced} 条；{report.batches} 批；"
            f"新建单位 {len(report.units_created)} 个、事项 {len(report.matters_created)} 个；"
            f"{seconds:.1f} 秒，{rate:,.0f} 条/秒"
            + (f"，其中重建索引和外键 {report.rebuild_seconds:.1f} 秒" if options["bulk"] else "")
            + "）"
        )
