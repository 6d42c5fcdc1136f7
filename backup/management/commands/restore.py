from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backup.archive import BackupRefused, restore, verify_archive


class Command(BaseCommand):
    help = (
        "数据恢复：先核对归档每一部分的 SHA-256 和清单签名，再恢复到空数据库和空的 MEDIA_ROOT，"
        "然后校验全过程记录（ledger verify，含案件状态）并与清单比对行数和链头"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="manage.py backup 写出的归档")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库或 MEDIA_ROOT 非空时仍然恢复（覆盖数据库，原文件目录移到一旁）",
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="只核对归档的哈希和签名，不作任何恢复"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        archive = Path(opts["archive"])
        if opts["verify_only"]:
            try:
                manifest = verify_archive(archive)
            except (BackupRefused, OSError) as exc:
                raise CommandError(f"归档核对未通过：{exc}") from exc
            self.stdout.write(
                f"归档完好：{manifest['created_at']} 的 {manifest['vendor']} 备份，"
                f"{len(manifest['parts'])} 个部分的 SHA-256 均与清单一致"
            )
            return
        try:
            done = restore(archive, force=opts["force"])
        except BackupRefused as exc:
            raise CommandError(f"未恢复：{exc}") from exc
        m = done.manifest
        self.stdout.write(f"已恢复 {m['created_at']} 的备份（{m['vendor']}）")
        for line in done.report:
            self.stdout.write(line)
        if done.problems:
            for line in done.problems:
                self.stderr.write(line)
            raise CommandError(f"恢复后的检查未通过：{done.problems[0]}")
        self.stdout.write(self.style.SUCCESS("恢复完成，检查全部通过"))
