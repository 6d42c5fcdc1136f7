"""Identifier validators: 居民身份证号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

Only what the standards define is checked: the character set, the check character and (for the
ID card) a real, past birth date. Region codes are deliberately not checked against the birth
year, and the registration-authority / category characters of a credit code are not restricted:
python-stdnum does both and rejects valid numbers (older 371502 ID numbers of 东昌府区, village
collectives' codes starting with N, and codes starting with A or Y) — see shared/law.md.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from operator import mul

from law.calendar import SHANGHAI

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "CREDIT_CODE_WEIGHTS",
    "ID_CARD_CHECK_CHARS",
    "ID_CARD_WEIGHTS",
    "birth_date_from_id",
    "credit_code_check_char",
    "credit_code_errors",
    "id_card_check_char",
    "id_card_errors",
    "is_valid_credit_code",
    "is_valid_id_card",
    "make_credit_code",
    "make_id_card",
    "name_errors",
    "normalize_credit_code",
    "normalize_id_card",
]

#: GB 11643-1999 §8.2: weights W_i = 2^(i-1) mod 11 for positions 18..2.
ID_CARD_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Check character for (Σ a_i·W_i) mod 11 = 0, 1, …, 10.
ID_CARD_CHECK_CHARS = "10X98765432"

#: GB 32100-2015: the 31 characters of a 统一社会信用代码 (no I, O, Z, S, V); a character's value
#: is its index.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: GB 32100-2015: weights W_i = 3^(i-1) mod 31 over the first 17 characters.
CREDIT_CODE_WEIGHTS: tuple[int, ...] = (
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
)  # fmt: skip


def normalize_id_card(value: str) -> str:
    """Surrounding spaces removed, a lowercase check ``x`` made ``X``."""
    return value.strip().upper()


def normalize_credit_code(value: str) -> str:
    """Surrounding spaces removed, upper case."""
    return value.strip().upper()


def id_card_check_char(prefix17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    if len(prefix17) != 17 or not prefix17.isascii() or not prefix17.isdigit():
        raise ValueError("身份证号码前17位应为17位数字")
    total = sum(map(mul, map(int, prefix17), ID_CARD_WEIGHTS))
    return ID_CARD_CHECK_CHARS[total % 11]


def _birth_date(digits: str) -> date | None:
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def id_card_errors(value: str, *, today: date | None = None) -> list[str]:
    """Why ``value`` is not a valid 居民身份证号码 (GB 11643-1999); empty = valid.

    18 characters: 17 digits, then the check character (0–9 or X, lowercase x accepted); digits
    7–14 a real birth date not after ``today`` (default: today in Asia/Shanghai).
    """
    number = normalize_id_card(value)
    if len(number) != 18:
        return [f"身份证号码应为18位，实际为{len(number)}位"]
    body, check = number[:17], number[17]
    if not (body.isascii() and body.isdigit()):
        return ["身份证号码前17位应为数字"]
    if check not in ID_CARD_CHECK_CHARS:
        return ["身份证号码第18位应为数字或X"]
    errors: list[str] = []
    birth = _birth_date(body[6:14])
    if birth is None:
        errors.append(f"身份证号码中的出生日期{body[6:14]}不是有效日期")
    else:
        reference = today or datetime.now(SHANGHAI).date()
        if birth > reference:
            errors.append(f"身份证号码中的出生日期{birth.isoformat()}晚于今天")
    expected = id_card_check_char(body)
    if check != expected:
        errors.append("身份证号码校验码错误，请核对号码")
    return errors


def is_valid_id_card(value: str, *, today: date | None = None) -> bool:
    return not id_card_errors(value, today=today)


def birth_date_from_id(value: str) -> date:
    """The birth date coded in a valid ID number; ValueError (with the reasons) otherwise."""
    errors = id_card_errors(value)
    if errors:
        raise ValueError("；".join(errors))
    birth = _birth_date(normalize_id_card(value)[6:14])
    assert birth is not None  # checked by id_card_errors
    return birth


def make_id_card(prefix17: str) -> str:
    """The 18-character ID number: ``prefix17`` plus its check character (for demo data)."""
    return prefix17 + id_card_check_char(prefix17)


def credit_code_check_char(prefix17: str) -> str:
    """The GB 32100-2015 check character: C18 = 31 − (Σ C_i·W_i mod 31), 31 → 0."""
    if len(prefix17) != 17:
        raise ValueError("统一社会信用代码前17位长度应为17")
    total = 0
    for char, weight in zip(prefix17, CREDIT_CODE_WEIGHTS, strict=True):
        index = CREDIT_CODE_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"统一社会信用代码含有无效字符“{char}”")
        total += index * weight
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_errors(value: str) -> list[str]:
    """Why ``value`` is not a valid 统一社会信用代码 (GB 32100-2015); empty = valid."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        return [f"统一社会信用代码应为18位，实际为{len(code)}位"]
    invalid = sorted({c for c in code if c not in CREDIT_CODE_ALPHABET})
    if invalid:
        shown = "、".join(f"“{c}”" for c in invalid)
        return [f"统一社会信用代码含有无效字符{shown}（不使用I、O、Z、S、V）"]
    if code[17] != credit_code_check_char(code[:17]):
        return ["统一社会信用代码校验码错误，请核对代码"]
    return []


def is_valid_credit_code(value: str) -> bool:
    return not credit_code_errors(value)


def make_credit_code(prefix17: str) -> str:
    """The 18-character code: ``prefix17`` (upper-cased) plus its check character."""
    prefix = prefix17.upper()
    return prefix + credit_code_check_char(prefix)


# --- names -----------------------------------------------------------------------------------

#: Unicode categories no name is written with: control (Cc), format (Cf: zero-width space and
#: joiners, BOM, bidirectional overrides), unassigned (Cn), private use (Co), surrogates (Cs),
#: and line/paragraph separators (Zl, Zp).
_INVISIBLE = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"})


def name_errors(name: str) -> list[str]:
    """A person's or organisation's name as a document prints it: some visible character, and
    none that prints as nothing (a name of zero-width spaces, or one hiding a control or a
    right-to-left override between its characters, would print blank or read otherwise)."""
    hidden = sorted({f"U+{ord(c):04X}" for c in name if unicodedata.category(c) in _INVISIBLE})
    if hidden:
        return [f"姓名或名称含有不可见或控制字符（{'、'.join(hidden)}），请删除后重新填写"]
    if not name.strip():
        return ["缺少姓名或名称"]
    return []
