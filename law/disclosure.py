"""事后公示 of penalty decisions: which decisions are published, how the party is masked, what a
published text may not contain, and how long it stays on the public site.

Pure: the platform's settings are passed in (law.md, "执法公示 and 双随机": Shandong's scope,
masking and retention are unconfirmed; the defaults are the 市场监督管理行政处罚信息公示规定 model).

- Scope: decisions of the 普通程序 that impose a penalty; a decision that is only a 警告 is
  left out unless the setting includes it; a 简易程序 decision never (山东省社会信用条例 Art. 13 ¶2
  keeps them off the public list).
- Masking: a natural person's name keeps its first character (张** / 张*); the ID number, the
  address of a natural person and any phone number never appear; an organisation's name and its
  统一社会信用代码 are shown (企业信息公示暂行条例 Art. 7).
- Retention: three months from publication when the decision is only 通报批评 or a low fine (警告
  counts with them), three years otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from law.calendar import add_months
from law.penalties import PenaltyType
from law.validators import id_card_errors

__all__ = [
    "PERSON",
    "Retention",
    "leaks",
    "mask_name",
    "publishable",
    "retention",
    "scrub",
    "shown_name",
]

PERSON = "person"
GENERAL = "general"

#: The light types a short retention allows (with a fine up to the low ceiling).
_LIGHT = frozenset({PenaltyType.WARNING, PenaltyType.CRITICISM})

# An 18-character 居民身份证号码 (the check digit is tested separately) and a 15-digit old one.
_ID18 = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")
# A mainland mobile number, and a fixed line with its area code (0xx-xxxxxxxx).
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])0[1-9][0-9]{1,2}-?[0-9]{7,8}(?![0-9])")


def mask_name(name: str) -> str:
    """A natural person's name as published: its first character, then one ``*`` for each of
    the others (``张*``, ``张**``); a one-character name is all masked."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


def shown_name(kind: str, name: str) -> str:
    """The party's name as the public reads it: masked for a natural person only."""
    return mask_name(name) if kind == PERSON else name.strip()


def publishable(
    *,
    procedure: str,
    outcome: str,
    types: Iterable[PenaltyType],
    include_warning_only: bool,
) -> bool:
    """Whether a decision is published: a penalty of the 普通程序 (a warning alone only when the
    setting includes it)."""
    kinds = set(types)
    if procedure != GENERAL or outcome != "penalty" or not kinds:
        return False
    return include_warning_only or kinds != {PenaltyType.WARNING}


@dataclass(frozen=True)
class Retention:
    months: int
    until: date  # the last day the decision is shown

    @property
    def label(self) -> str:
        return f"{self.months // 12}年" if self.months % 12 == 0 else f"{self.months}个月"


def retention(
    *,
    published_on: date,
    items: Iterable[tuple[PenaltyType, Decimal | None]],
    low_fine: Decimal,
    short_months: int,
    long_years: int,
) -> Retention:
    """How long a published decision stays on the site: ``short_months`` when it is only
    通报批评 (or 警告) and fines totalling at most ``low_fine`` 元, ``long_years`` otherwise."""
    fines = Decimal(0)
    light = True
    for kind, amount in items:
        if kind == PenaltyType.FINE:
            fines += amount or Decimal(0)
        elif kind not in _LIGHT:
            light = False
    months = short_months if light and fines <= low_fine else long_years * 12
    return Retention(months, add_months(published_on, months))


def _phone(phone: str) -> re.Pattern[str] | None:
    """The party's own number as written in any text: its digits, spaces or dashes between them;
    None when it has fewer than 7 digits (too short to tell from other numbers)."""
    digits = re.sub(r"[^0-9]", "", phone)
    if len(digits) < 7:
        return None
    return re.compile(r"(?<![0-9])" + r"[\s-]?".join(digits) + r"(?![0-9])")


def _valid_id(candidate: str, today: date) -> bool:
    return not id_card_errors(candidate, today=today)


def leaks(
    text: str,
    *,
    today: date,
    kind: str,
    name: str,
    id_number: str = "",
    address: str = "",
    phone: str = "",
) -> list[str]:
    """Why ``text`` may not be published for this party (empty: it may). A text names no
    居民身份证号码 (any number whose check digit is right, and the party's own), no phone number,
    and for a natural person neither the full name nor the address."""
    reasons: list[str] = []
    upper = text.upper()
    own = id_number.strip().upper()
    if (own and kind == PERSON and own in upper) or any(
        _valid_id(m.group(0).upper(), today) for m in _ID18.finditer(text)
    ):
        reasons.append("公示内容不得包含身份证件号码")
    elif _ID15.search(text):
        reasons.append("公示内容不得包含身份证件号码（15位）")
    own_phone = _phone(phone)
    if (
        _MOBILE.search(text)
        or _LANDLINE.search(text)
        or (own_phone is not None and own_phone.search(text))
    ):
        reasons.append("公示内容不得包含电话号码")
    if kind == PERSON:
        full = name.strip()
        if len(full) > 1 and full in text:
            reasons.append(f"公示内容不得出现自然人的完整姓名，应写作“{mask_name(full)}”")
        home = address.strip()
        if len(home) > 3 and home in text:
            reasons.append("公示内容不得包含自然人的住址")
    return reasons


def scrub(
    text: str,
    *,
    today: date,
    kind: str,
    name: str,
    id_number: str = "",
    address: str = "",
    phone: str = "",
) -> str:
    """``text`` with what :func:`leaks` refuses taken out: ID and phone numbers blotted, a natural
    person's name masked and address left out. The draft of a publication starts from it."""
    own = id_number.strip()
    if own and kind == PERSON:
        text = re.sub(re.escape(own), "（证件号码不予公开）", text, flags=re.IGNORECASE)
    text = _ID18.sub(
        lambda m: "（证件号码不予公开）" if _valid_id(m.group(0).upper(), today) else m.group(0),
        text,
    )
    text = _ID15.sub("（证件号码不予公开）", text)
    text = _MOBILE.sub("（电话不予公开）", text)
    text = _LANDLINE.sub("（电话不予公开）", text)
    own_phone = _phone(phone)
    if own_phone is not None:
        text = own_phone.sub("（电话不予公开）", text)
    if kind == PERSON:
        home = address.strip()
        if len(home) > 3:
            text = text.replace(home, "（住址不予公开）")
        full = name.strip()
        if len(full) > 1:
            text = text.replace(full, mask_name(full))
    return text
