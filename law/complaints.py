"""投诉举报 from the public: the numbers and checks the intake applies. Pure.

No national rule fixes how long an agency may take to decide whether it accepts a complaint:
7 working days is the common practice of the rules on 投诉举报 (市场监督管理投诉举报处理暂行办法
uses it for that field), but law.md gives no figure, so the platform keeps it as a setting
(COMPLAINT_ACCEPT_WORKING_DAYS, default ACCEPT_WORKING_DAYS) and counts working days on the
State Council calendar as 行政处罚法第八十五条 does.

A complaint about an act older than the extended time bar (行政处罚法第三十六条: two years,
five where life, health, financial security is concerned) can no longer lead to a penalty; the
form refuses a date further back than COMPLAINT_MAX_AGE_DAYS (default: five years) as absurd.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from law.calendar import WorkingCalendar

ACCEPT_WORKING_DAYS = 7
MAX_AGE_DAYS = 5 * 366
# Tracking codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or copied by hand is still right.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 12
MAX_FACTS = 2000
MAX_PLACE = 200
MAX_NAME = 50
MAX_REASON = 500
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def tracking_code() -> str:
    """A fresh tracking code: 12 characters of a 25-letter alphabet, about 55 bits of chance."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(value: str) -> str:
    """What a person typed as a code: spaces and dashes dropped, upper case."""
    return re.sub(r"[\s\-]", "", value).upper()[: CODE_LENGTH * 2]


def is_code(value: str) -> bool:
    return len(value) == CODE_LENGTH and all(c in CODE_ALPHABET for c in value)


def mobile_errors(value: str) -> list[str]:
    """A mainland mobile number: 11 digits starting 13–19 (工业和信息化部 号段)."""
    if not value:
        return []
    if not _MOBILE.fullmatch(value):
        return ["手机号码应为11位中国大陆手机号码，以13至19开头"]
    return []


def happened_errors(happened_on: date, today: date, max_age_days: int) -> list[str]:
    if happened_on > today:
        return ["发生日期不能晚于今天"]
    if (today - happened_on).days > max_age_days:
        return [f"发生日期距今超过{max_age_days}天，请核对"]
    return []


def accept_due(filed_on: date, working_days: int, calendar: WorkingCalendar) -> date:
    """The last day to decide 受理 or 不予受理: the n-th working day after filing (the filing day
    itself is not counted, as 行政处罚法第八十五条 counts)."""
    return calendar.add_working_days(filed_on, working_days)


def accept_overdue(due_on: date, today: date) -> bool:
    """Late from the day after the last day."""
    return today > due_on


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the status page never shows a whole name."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
