from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledger import signing
from ledger.models import Entry
from ledger.services import (
    ledger_checkpoint,
    ledger_export_checkpoints,
    ledger_verify,
    ledger_verify_witness,
)


class Command(BaseCommand):
    help = (
        "全过程记录：verify 校验哈希链、检查点签名和案件状态；checkpoint 生成签名检查点；"
        "keygen 生成检查点签名密钥；export-checkpoints 导出已签名检查点（见证文件）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验全部记录链和检查点，发现篡改时以非零状态退出")
        verify.add_argument(
            "--stream",
            help="只校验一条记录链及持有它的最近一个检查点（不校验整条检查点链），如 case:12",
        )
        verify.add_argument(
            "--witness", help="见证文件（export-checkpoints 导出）：核对其中每个检查点仍原样在库"
        )
        verify.add_argument(
            "--all-signatures",
            action="store_true",
            help="逐个校验每个检查点的签名（默认只校验最新的）",
        )
        sub.add_parser("checkpoint", help="把自上个检查点以来变动的链头写入新检查点并签名")
        sub.add_parser("keygen", help="生成 SM2 签名密钥（已有密钥时不覆盖），并输出公钥")
        export = sub.add_parser("export-checkpoints", help="以 JSON Lines 输出已签名的检查点")
        export.add_argument("--after", type=int, default=0, help="只输出编号大于此值的检查点")
        export.add_argument("--output", help="写入的文件（默认标准输出；已有文件时追加）")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "checkpoint":
            cp = ledger_checkpoint()
            self.stdout.write(f"检查点 {cp.pk} {cp.hash}" if cp else "没有新的记录，无需检查点")
            return
        if action == "keygen":
            path = signing.key_file()
            made = signing.write_key(path, signing.generate())
            said = "已生成签名密钥" if made else "签名密钥已存在，未覆盖"
            self.stdout.write(f"{said}：{path}\n公钥（SM2）：{signing.public_key()}")
            return
        if action == "export-checkpoints":
            out = open(opts["output"], "a", encoding="utf-8") if opts["output"] else sys.stdout  # noqa: SIM115
            try:
                for record in ledger_export_checkpoints(after=opts["after"]):
                    out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            finally:
                if out is not sys.stdout:
                    out.close()
            return
        breaks = ledger_verify(stream=opts.get("stream"), all_signatures=opts["all_signatures"])
        if opts.get("witness"):
            try:
                with open(opts["witness"], encoding="utf-8") as fh:
                    breaks += ledger_verify_witness(fh)
            except OSError as exc:
                raise CommandError(f"无法读取见证文件：{exc}") from exc
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
