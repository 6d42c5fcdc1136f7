"""Who sees a person's ID-card and phone numbers whole, and how the others see them.

个人信息保护法 Art. 28 counts an ID-card number as sensitive personal information, Art. 51 asks
for access limited by role ("合理确定个人信息处理的操作权限"); GB/T 35273-2020 §6.2 (去标识化/
展示限制) shows such a number partly hidden wherever the whole is not needed. Here:

Every reader sees the numbers masked on every read (pages, API answers, exports, lists): a read
never writes, so a whole number shown on a read would be a view nobody logged. A reader who needs
the whole number asks for it deliberately (a POST), which answers it on that response only and
appends an access entry (who, role, record, fields, reason):

- The officers of the record itself (the case's 承办人 and 协办人, the officer a record is
  assigned to) reveal without a reason, in one click: they serve the documents and reach the
  party; their entry's reason is "承办" (Sight.FULL).
- The other approving officers of the same unit (科长, 法制审核员, 分管局长, the unit's other
  承办人) reveal one with a reason (Sight.REVEALABLE).
- Everyone else — the 司法局's 执法监督员, other units, the 三员 — sees them masked only
  (Sight.MASKED).
- A 统一社会信用代码 (an organisation's number) is public (企业信息公示暂行条例 Art. 7):
  never masked.

Masks: an ID-card number keeps its first 3 and last 4 characters (370***********1234); a mobile
number its first 3 and last 4 (138****1234); another phone number its last 4.
"""

from __future__ import annotations

from enum import StrEnum

PERSON = "person"
# Roles of a unit that approve or review its cases and may reveal a number with a reason.
REVEALING_ROLES = frozenset({"handler", "section_chief", "legal_reviewer", "deputy_director"})


class Relation(StrEnum):
    OWN = "own"  # the record's own officer (承办人/协办人)
    UNIT = "unit"  # an officer of the record's unit
    OTHER = "other"  # anyone else who may read the record (supervisor, …)


# The reason logged when a record's own officer reveals a number (no reason asked).
OWN_REASON = "承办"


class Sight(StrEnum):
    """What a reader may do beyond the masked numbers every read shows."""

    FULL = "full"  # masked, and may be revealed without a reason (logged as 承办)
    REVEALABLE = "revealable"  # masked, and may be revealed with a logged reason
    MASKED = "masked"


def sight(relation: Relation, roles: frozenset[str] | set[str]) -> Sight:
    """How a reader sees the numbers of a record it may read."""
    if relation is Relation.OWN:
        return Sight.FULL
    if relation is Relation.UNIT and roles & REVEALING_ROLES:
        return Sight.REVEALABLE
    return Sight.MASKED


# 行政执法监督条例 Art. 22 counts 调阅、复制 case files among the supervisor's measures, logged:
# the 执法监督员 opens a 文书 or the 卷宗 as issued (the person's whole number in it) with a
# reason, though every page still shows it the numbers masked.
FILE_READING_ROLES = frozenset({"supervisor"})


def file_sight(relation: Relation, roles: frozenset[str] | set[str]) -> Sight:
    """How a reader may open a file that prints a person's whole number (a 文书, the 卷宗)."""
    seen = sight(relation, roles)
    if seen is Sight.MASKED and roles & FILE_READING_ROLES:
        return Sight.REVEALABLE
    return seen


def mask_id_number(value: str, kind: str = PERSON) -> str:
    """A person's ID number with its first 3 and last 4 characters; an organisation's code as is."""
    value = value.strip()
    if kind != PERSON or not value:
        return value
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """138****1234 for a mobile number; the last 4 digits of any other (****5678)."""
    value = value.strip()
    if not value:
        return ""
    if len(value) == 11 and value.isdigit():
        return f"{value[:3]}****{value[7:]}"
    if len(value) <= 4:
        return "*" * len(value)
    return "****" + value[-4:]
