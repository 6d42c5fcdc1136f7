"""执法证 and who may hold one, as data (no Django imports).

- Only officers with 行政执法资格 act (处罚法 Arts. 42, 55; 强制法 Art. 17); liability
  where "执法人员未取得执法证件" (处罚法 Art. 76(5)).
- 山东省行政执法监督条例 Art. 10: contract (合同制), dispatched (劳务派遣), seconded (借调)
  and other unqualified staff never enforce: they are refused a certificate, and the guards
  treat them as uncertified even if one was issued before their type was recorded.
- Validity length, 年审, 暂扣, 吊销 in Shandong are unconfirmed (law.md "执法证"): each
  certificate holds its status (valid / suspended / revoked / expired) as data, expiry computed
  from the printed date, no 年审 rule.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

EMPLOYMENT_ARTICLE = "《山东省行政执法监督条例》第十条"


class Employment(StrEnum):
    STAFF = "staff"
    CONTRACT = "contract"
    DISPATCHED = "dispatched"
    SECONDED = "seconded"
    OTHER = "other"


EMPLOYMENT_LABELS: dict[Employment, str] = {
    Employment.STAFF: "在编",
    Employment.CONTRACT: "合同制",
    Employment.DISPATCHED: "劳务派遣",
    Employment.SECONDED: "借调",
    Employment.OTHER: "其他",
}

# The only employment under which an officer may enforce (山东监督条例 Art. 10).
ENFORCING = frozenset({Employment.STAFF})


def may_enforce(employment: str) -> bool:
    return employment in ENFORCING


class Stored(StrEnum):
    """The status an administrator sets; "expired" is never stored, it follows from the date."""

    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Status(StrEnum):
    """The status shown for a day."""

    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    PENDING = "pending"  # valid_from not reached yet


STATUS_LABELS: dict[Status, str] = {
    Status.VALID: "有效",
    Status.SUSPENDED: "暂扣",
    Status.REVOKED: "吊销（注销）",
    Status.EXPIRED: "已过期",
    Status.PENDING: "未生效",
}


class RevokeKind(StrEnum):
    REVOKE = "revoke"  # 吊销: a sanction
    CANCEL = "cancel"  # 注销: the holder left enforcement (transfer, retirement, …)


REVOKE_LABELS: dict[RevokeKind, str] = {RevokeKind.REVOKE: "吊销", RevokeKind.CANCEL: "注销"}


def status_on(
    stored: str,
    changed_on: dt.date | None,
    valid_from: dt.date,
    valid_until: dt.date,
    day: dt.date,
) -> Status:
    """The certificate's status on `day`. A suspension or revocation counts from the day it was
    recorded as taking effect (`changed_on`; unknown: always), so the register answers for past
    step dates as well as for today. Expiry: `valid_until` is the last valid day."""
    if stored != Stored.VALID and (changed_on is None or changed_on <= day):
        return Status(stored)
    if day > valid_until:
        return Status.EXPIRED
    if day < valid_from:
        return Status.PENDING
    return Status.VALID


def expires_within(valid_until: dt.date, day: dt.date, days: int) -> bool:
    """Still valid on `day` and its last valid day falls within the next `days` days."""
    return day <= valid_until <= day + dt.timedelta(days=days)
