"""Chinese motor-vehicle plate numbers (GA 36-2018 《中华人民共和国机动车号牌》). Pure.

Ordinary plates: province abbreviation, issuing-authority letter, five serial characters (letters
other than I and O, digits), optionally a last character for special plates (挂 trailer, 学
learner, 警 police, 港/澳 cross-border, 领 consulate, 试 test, 超 oversize).
New-energy plates (eight characters): small vehicles carry D (battery electric) or F (other new
energy) first in the six-character serial, then a letter or digit and four digits (鲁PD12345,
鲁PFA1234); large vehicles carry it last
(鲁P12345D).
"""

from __future__ import annotations

import re

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_L = "A-HJ-NP-Z"  # letters without I and O
_ORDINARY = re.compile(rf"^[{PROVINCES}][{_L}][{_L}0-9]{{4}}[{_L}0-9挂学警港澳领试超]$")
_NEV_SMALL = re.compile(rf"^[{PROVINCES}][{_L}][DF][{_L}0-9][0-9]{{4}}$")
_NEV_LARGE = re.compile(rf"^[{PROVINCES}][{_L}][0-9]{{5}}[DF]$")

KIND_LABELS = {"ordinary": "普通号牌", "new_energy": "新能源号牌"}


def normalize_plate(value: str) -> str:
    """Upper-case, without spaces, dots or dashes (鲁P·12345 → 鲁P12345)."""
    return re.sub(r"[\s·.\-]", "", value).upper()


def plate_kind(plate: str) -> str | None:
    """ "ordinary", "new_energy", or None when the plate is not a valid number."""
    if _NEV_SMALL.match(plate) or _NEV_LARGE.match(plate):
        return "new_energy"
    if _ORDINARY.match(plate):
        return "ordinary"
    return None


def plate_errors(value: str) -> list[str]:
    plate = normalize_plate(value)
    if not plate:
        return ["请填写车牌号码"]
    if plate[0] not in PROVINCES:
        return [f"车牌“{value}”的首字应为省、自治区、直辖市简称"]
    if plate_kind(plate) is None:
        return [
            f"车牌“{value}”格式不正确：普通号牌为简称+字母+5位（如鲁P12345），"
            "新能源号牌为简称+字母+6位（如鲁PD12345、鲁P12345D）"
        ]
    return []
