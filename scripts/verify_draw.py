#!/usr/bin/env python3
"""Recompute a published 双随机 draw from its public data, independently of the platform.

Usage:
    python3 scripts/verify_draw.py https://HOST/gs/choucha/12/data.json
    python3 scripts/verify_draw.py data.json

Reads the plan's published JSON (the frozen lists, the commitment, the revealed seed, the ratios
and the drawn pairs), and checks, by the algorithm the public site publishes (zhifa-draw-1):
the lists' SM3, that the seed opens the commitment, and that the draw recomputed from the lists
and the seed is the published one. Prints each check and exits 0 when all hold, 1 when one fails,
2 when the data cannot be read. Needs only the standard library and gmssl (SM3).
"""

from __future__ import annotations

import json
import sys
import urllib.request
from fractions import Fraction
from pathlib import Path
from typing import Any

from gmssl import func, sm3

GRADES = ("A", "B", "C", "D")
ALGORITHM = "zhifa-draw-1"


def sm3_hex(data: bytes) -> str:
    return str(sm3.sm3_hash(func.bytes_to_list(data)))


def pools_hash(targets: str, inspectors: str, conflicts: str) -> str:
    out = b""
    for text in (targets, inspectors, conflicts):
        raw = text.encode("utf-8")
        out += f"{len(raw)}:".encode() + raw
    return sm3_hex(out)


def rows(text: str) -> list[list[str]]:
    return [json.loads(line) for line in text.splitlines() if line]


def ceil_share(n: int, ratio: Fraction) -> int:
    product = n * ratio
    return -(-product.numerator // product.denominator)


def draw(seed_hex: str, data: dict[str, Any], lists: dict[str, str]) -> list[list[str]]:
    """Steps 4 and 5 of the published algorithm."""
    seed = bytes.fromhex(seed_hex)
    targets = rows(lists["targets"])  # [登记号, 类别, 风险等级]
    inspectors = rows(lists["inspectors"])  # [执法证号, 姓名, 单位]
    barred = {(c, r) for c, r in rows(lists["conflicts"])}  # (执法证号, 登记号)
    ratios = {g: Fraction(str(v)) / 100 for g, v in data["ratios"].items()}
    joint = bool(data.get("partners"))
    drawn: list[str] = []
    for grade in GRADES:
        pool = [t[0] for t in targets if t[2] == grade]
        ranked = sorted(pool, key=lambda r: (sm3_hex(seed + r.encode("utf-8")), r))
        drawn += ranked[: ceil_share(len(pool), ratios.get(grade, Fraction(0)))]
    agency = {i[0]: i[2] for i in inspectors}
    pairs = []
    for reg_no in drawn:
        free = [i[0] for i in inspectors if (i[0], reg_no) not in barred]
        ranked = sorted(free, key=lambda c: (sm3_hex(seed + f"{reg_no}/{c}".encode()), c))
        if len(ranked) < 2:
            raise ValueError(f"检查对象{reg_no}可匹配的执法检查人员不足两名")
        lead, rest = ranked[0], ranked[1:]
        other = [c for c in rest if agency[c] != agency[lead]] if joint else []
        pairs.append([reg_no, lead, (other or rest)[0]])
    return pairs


def load(source: str) -> dict[str, Any]:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as answer:
            return dict(json.load(answer))
    return dict(json.loads(Path(source).read_text(encoding="utf-8")))


def verify(data: dict[str, Any]) -> list[tuple[str, bool]]:
    lists = data["lists"]
    checks = [("算法版本 " + ALGORITHM, data.get("algorithm") == ALGORITHM)]
    checks.append(
        (
            "名录SM3与公布值一致",
            pools_hash(lists["targets"], lists["inspectors"], lists["conflicts"])
            == data["pools_sm3"],
        )
    )
    seed = data.get("seed")
    if not seed:
        checks.append(("尚未摇号：种子未公布", True))
        return checks
    opens = sm3_hex(bytes.fromhex(seed)) == data["commitment"]
    checks.append(("种子与事先公布的承诺值一致", opens))
    checks.append(("重新计算的抽取结果与公布结果一致", draw(seed, data, lists) == data["pairs"]))
    return checks


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：verify_draw.py URL或data.json文件", file=sys.stderr)
        return 2
    try:
        data = load(argv[1])
        checks = verify(data)
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"无法读取或计算：{e}", file=sys.stderr)
        return 2
    print(f"{data.get('plan_no', '')} {data.get('title', '')}")
    for label, ok in checks:
        print(f"{'通过' if ok else '不符'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
