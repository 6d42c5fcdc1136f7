from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from personal import keys
from zhifa import crypto


class Command(BaseCommand):
    help = (
        "个人信息密钥（ZHIFA_DATA_KEY_FILE）：init 生成密钥文件；status 各密钥下的数据量；"
        "rotate 新增数据密钥并分批重新加密全部数据；rotate-index 更换检索索引密钥并重建索引；"
        "retire 删除已无数据使用的旧数据密钥"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("init", help="生成密钥文件（已有时不覆盖）")
        sub.add_parser("status", help="各数据密钥下加密存储的值的数量")
        sub.add_parser("rotate", help="新增数据密钥，并把全部数据分批改用它加密（旧密钥保留）")
        sub.add_parser("rotate-index", help="新增检索索引密钥并重建全部索引，完成后删除旧索引密钥")
        sub.add_parser("retire", help="删除已无数据使用的旧数据密钥")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        path = crypto.key_file()
        try:
            existed = path.exists()
            ring = crypto.ring()
        except crypto.KeyFileError as exc:
            raise CommandError(str(exc)) from exc
        if action == "init":
            said = "密钥文件已存在，未覆盖" if existed else "已生成密钥文件"
            self.stdout.write(f"{said}：{path}")
        elif action == "status":
            self._status()
        elif action == "rotate":
            kid = ring.add_data_key()
            crypto.write_ring(ring)
            self.stdout.write(f"新数据密钥 {kid}，开始重新加密")
            for col in keys.columns():
                n = keys.reencrypt(col)
                self.stdout.write(f"{col.context}：重新加密 {n} 条")
            self._status()
        elif action == "rotate-index":
            kid = ring.add_index_key()
            crypto.write_ring(ring)
            self.stdout.write(f"新索引密钥 {kid}，开始重建索引")
            for col in keys.columns():
                n = keys.reindex(col)
                self.stdout.write(f"{col.context}：重建索引 {n} 条")
            ring = crypto.ring()
            ring.index = ring.index[:1]
            crypto.write_ring(ring)
            self.stdout.write("旧索引密钥已删除")
        elif action == "retire":
            used = keys.usage()
            if used.get(""):
                raise CommandError(f"仍有 {used['']} 条未加密的数据，请先执行 migrate")
            old = [k for k in ring.data if k != ring.active]
            busy = [k for k in old if used.get(k)]
            if busy:
                counts = "，".join(f"密钥 {k}：{used[k]} 条" for k in busy)
                raise CommandError(f"旧密钥仍在使用（{counts}），请先执行 rotate")
            for k in old:
                del ring.data[k]
            crypto.write_ring(ring)
            self.stdout.write(f"已删除旧数据密钥：{'、'.join(old) or '无'}")

    def _status(self) -> None:
        ring = crypto.ring()
        used = keys.usage()
        for kid in sorted(ring.data, key=int):
            mark = "（当前）" if kid == ring.active else ""
            self.stdout.write(f"数据密钥 {kid}{mark}：{used.get(kid, 0)} 条")
        if used.get(""):
            self.stdout.write(f"未加密：{used['']} 条")
