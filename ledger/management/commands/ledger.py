from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledger.models import Entry
from ledger.services import ledger_checkpoint, ledger_verify


class Command(BaseCommand):
    help = "全过程记录：verify 校验哈希链；checkpoint 生成检查点"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验全部记录链和检查点，发现篡改时以非零状态退出")
        verify.add_argument("--stream", help="只校验一条记录链，如 case:12")
        sub.add_parser("checkpoint", help="把自上个检查点以来变动的链头写入新检查点")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "checkpoint":
            cp = ledger_checkpoint()
            self.stdout.write(f"检查点 {cp.pk} {cp.hash}" if cp else "没有新的记录，无需检查点")
            return
        breaks = ledger_verify(stream=opts.get("stream"))
        if breaks:
            for b in breaks:
                self.stderr.write(f"记录被破坏：{b}")
            raise CommandError(f"全过程记录校验失败：首个被破坏的记录为 {breaks[0]}")
        count = (
            Entry.objects.count()
            if not opts.get("stream")
            else Entry.objects.filter(stream=opts["stream"]).count()
        )
        self.stdout.write(self.style.SUCCESS(f"全过程记录完整：已校验 {count} 条记录"))
