"""双随机抽查的可验证摇号: the published, deterministic draw of targets and inspectors.

Everything here is pure (standard library only): the platform runs it at the draw, and anyone
holding the published lists and the revealed seed runs the same steps and gets the same result.

The procedure (published on the public site as `ALGORITHM_TEXT`):

1. Before the draw the platform freezes the two pools (一单两库: the 检查对象名录 in the plan's
   scope and the certified 执法检查人员) and the recorded conflicts, serialises each canonically
   (`canonical_lines`: one JSON array per line, UTF-8, no spaces, sorted, each line ending in
   "\\n") and publishes the text and its SM3 (`pools_hash`).
2. At the same moment it draws 32 secret random bytes, takes seed = SM3(secret) and publishes
   only the commitment SM3(seed) (`commitment`). Nobody, the platform's own staff included, sees
   the seed before the draw.
3. At the draw it reveals the seed; a seed whose SM3 is not the commitment is refused
   (`check_reveal`).
4. Targets: within each risk grade (A, B, C, D) every target is ranked by SM3(seed ‖ 登记号)
   ascending (the hex digest, ties by 登记号), and the first ⌈n × ratio⌉ are drawn (n the grade's
   targets, ratio the plan's percentage for the grade).
5. Inspectors: for each drawn target, in the order of step 4, every inspector with no conflict
   recorded for that target is ranked by SM3(seed ‖ 登记号 ‖ "/" ‖ 执法证号); the first is the
   lead inspector, the second the first of the rest from another agency when the plan is joint
   and such an inspector exists, otherwise the next one: two different persons, never one twice.

Seed ‖ text means the 32 seed bytes followed by the UTF-8 bytes of the text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "ALGORITHM_TEXT",
    "ALGORITHM_VERSION",
    "GRADES",
    "DrawImpossible",
    "DrawResult",
    "Inspector",
    "Pair",
    "RevealRefused",
    "Target",
    "canonical_lines",
    "check_reveal",
    "commitment",
    "draw",
    "inspector_rank",
    "pools_hash",
    "pools_text",
    "sample_size",
    "seed_from_secret",
    "sm3",
    "target_rank",
]

ALGORITHM_VERSION = "zhifa-draw-1"
#: The risk grades of the 检查对象名录库, A the lowest risk.
GRADES = ("A", "B", "C", "D")

ALGORITHM_TEXT = (
    "1. 抽取前，平台冻结本计划的检查对象名录（抽查范围内的对象）、执法检查人员名录"
    "（抽查当日持有效执法证的人员）和回避关系，按规范格式逐行序列化（每行一个JSON数组，UTF-8编码，无空格，按行排序，每行以换行符结尾），"
    "公布名录全文及其SM3杂凑值。",
    "2. 同时生成32字节秘密随机数，种子=SM3(秘密随机数)，只公布种子承诺值SM3(种子)。",
    "3. 摇号时公布种子；种子的SM3与承诺值不一致的，摇号被拒绝。",
    "4. 抽取检查对象：按风险等级（A、B、C、D）分组，组内每个对象"
    "按SM3(种子‖登记号)的十六进制值从小到大排序（相同时按登记号），取前⌈组内对象数×抽查比例⌉个。",
    "5. 匹配执法检查人员：按第4步的顺序，对每个抽中对象，将与其无回避关系的检查人员"
    "按SM3(种子‖登记号‖“/”‖执法证号)从小到大排序，第一位为主检人员；第二位取其余人员中第一位来自另一单位的人员（联合抽查且有此人员时），"
    "否则取下一位；两人不得为同一人。",
    "“种子‖文字”指32字节种子后接文字的UTF-8编码。任何人可以用公布的名录和种子重新计算，结果应当与公布的抽取结果完全一致。",
)


class DrawImpossible(ValueError):
    """The pools cannot give every drawn target two inspectors (the reasons in Chinese)."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = list(errors)


class RevealRefused(ValueError):
    """The revealed seed does not open the published commitment."""


@dataclass(frozen=True, slots=True)
class Target:
    """One entry of the 检查对象名录 as the draw sees it: its 登记号 (统一社会信用代码), category
    and risk grade. The name is left out: the published list then carries no person's name."""

    reg_no: str
    category: str
    grade: str

    def row(self) -> list[str]:
        return [self.reg_no, self.category, self.grade]


@dataclass(frozen=True, slots=True)
class Inspector:
    """One 执法检查人员: the number of the 执法证 valid at the freeze identifies the person."""

    cert_no: str
    name: str
    agency: str

    def row(self) -> list[str]:
        return [self.cert_no, self.name, self.agency]


@dataclass(frozen=True, slots=True)
class Pair:
    reg_no: str
    inspectors: tuple[str, str]


@dataclass(frozen=True, slots=True)
class DrawResult:
    targets: tuple[str, ...]
    pairs: tuple[Pair, ...]


def sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def canonical_lines(rows: Iterable[Sequence[str]]) -> str:
    """One compact JSON array per row (UTF-8 text, no spaces), sorted, each line ending in a
    newline: the same rows give the same text whatever order they came in."""
    lines = sorted(json.dumps(list(r), ensure_ascii=False, separators=(",", ":")) for r in rows)
    return "".join(f"{line}\n" for line in lines)


def pools_text(
    targets: Iterable[Target],
    inspectors: Iterable[Inspector],
    conflicts: Iterable[tuple[str, str]],
) -> tuple[str, str, str]:
    """The three frozen lists as their canonical texts: targets, inspectors, conflicts
    (执法证号, 登记号)."""
    return (
        canonical_lines(t.row() for t in targets),
        canonical_lines(i.row() for i in inspectors),
        canonical_lines([c, r] for c, r in conflicts),
    )


def pools_hash(targets_text: str, inspectors_text: str, conflicts_text: str) -> str:
    """SM3 over the three texts, each preceded by its length in bytes (so no text can run into
    the next): the single figure published for the frozen pools."""
    out = b""
    for text in (targets_text, inspectors_text, conflicts_text):
        raw = text.encode("utf-8")
        out += f"{len(raw)}:".encode() + raw
    return sm3(out)


def seed_from_secret(secret: bytes) -> str:
    """The seed (hex) made from the secret random bytes."""
    if len(secret) < 16:
        raise ValueError("秘密随机数至少16字节")
    return sm3(secret)


def _seed_bytes(seed_hex: str) -> bytes:
    try:
        raw = bytes.fromhex(seed_hex)
    except ValueError:
        raise RevealRefused("种子应为64位十六进制数") from None
    if len(raw) != 32:
        raise RevealRefused("种子应为64位十六进制数")
    return raw


def commitment(seed_hex: str) -> str:
    """SM3 of the seed's 32 bytes: published before the draw."""
    return sm3(_seed_bytes(seed_hex))


def check_reveal(seed_hex: str, published_commitment: str) -> None:
    """Refuse a revealed seed that does not open the commitment published before the draw."""
    if commitment(seed_hex) != published_commitment.strip().lower():
        raise RevealRefused("公布的种子与事先公布的种子承诺值不一致")


def target_rank(seed: bytes, reg_no: str) -> str:
    return sm3(seed + reg_no.encode("utf-8"))


def inspector_rank(seed: bytes, reg_no: str, cert_no: str) -> str:
    return sm3(seed + f"{reg_no}/{cert_no}".encode())


def sample_size(n: int, ratio: Fraction) -> int:
    """⌈n × ratio⌉: a grade with any target and a ratio above zero gives at least one."""
    if n < 0 or not 0 <= ratio <= 1:
        raise ValueError("抽查比例应在0至100%之间")
    product = n * ratio
    return -(-product.numerator // product.denominator)


def draw(
    seed_hex: str,
    targets: Sequence[Target],
    inspectors: Sequence[Inspector],
    ratios: Mapping[str, Fraction],
    conflicts: Iterable[tuple[str, str]] = (),
    *,
    joint: bool = False,
) -> DrawResult:
    """The draw of module docstring steps 4 and 5."""
    seed = _seed_bytes(seed_hex)
    drawn: list[str] = []
    for grade in GRADES:
        pool = [t.reg_no for t in targets if t.grade == grade]
        ranked = sorted(pool, key=lambda r: (target_rank(seed, r), r))
        drawn += ranked[: sample_size(len(pool), ratios.get(grade, Fraction(0)))]
    barred = set(conflicts)
    agency = {i.cert_no: i.agency for i in inspectors}
    pairs: list[Pair] = []
    errors: list[str] = []
    for reg_no in drawn:
        free = [i.cert_no for i in inspectors if (i.cert_no, reg_no) not in barred]
        ranked = sorted(free, key=lambda c: (inspector_rank(seed, reg_no, c), c))
        if len(ranked) < 2:
            errors.append(f"检查对象{reg_no}可匹配的执法检查人员不足两名")
            continue
        lead, rest = ranked[0], ranked[1:]
        other = [c for c in rest if agency[c] != agency[lead]] if joint else []
        pairs.append(Pair(reg_no, (lead, (other or rest)[0])))
    if errors:
        raise DrawImpossible(errors)
    return DrawResult(tuple(drawn), tuple(pairs))
