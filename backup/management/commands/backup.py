from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backup.archive import BackupRefused, backup_dir, create


class Command(BaseCommand):
    help = (
        "数据备份：数据库（PostgreSQL 用 pg_dump 自定义格式，SQLite 用在线备份）和 MEDIA_ROOT 的"
        "全部文件写入一个 tar 归档，附清单（时间、数据库类型、迁移、各表行数、全过程记录的链头和"
        "最新检查点、各部分的 SHA-256）；签名密钥和 secret_key 不在归档中，须另行备份"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", help="归档目录（默认 ZHIFA_BACKUP_DIR，即 var/backups）")
        parser.add_argument(
            "--keep", type=int, help="备份成功后只保留目录中最新的 N 个归档，删除更早的"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        directory = Path(opts["dir"]) if opts["dir"] else backup_dir()
        try:
            made = create(directory, keep=opts["keep"])
        except BackupRefused as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        m = made.manifest
        cp = m["ledger"]["checkpoint"]
        self.stdout.write(
            f"已备份到 {made.path}（{made.path.stat().st_size} 字节）：{m['vendor']} 数据库"
            f" {sum(m['rows'].values())} 行，文件 {m['files']} 个，全过程记录 "
            f"{m['ledger']['entries']} 条，"
            + (f"最新检查点 {cp['id']}（Merkle 根 {cp['merkle_root']}）" if cp else "尚无检查点")
        )
        for path in made.removed:
            self.stdout.write(f"已删除较早的归档 {path.name}")
