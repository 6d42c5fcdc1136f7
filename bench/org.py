"""The benchmarks' org: the same small org tree the tests build (demo.testing), made through
the services, with an unusable password (nobody logs in; no PBKDF2 cost at set-up)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from demo.testing import Org, build_test_org

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in 2025, a year chinesecalendar covers: every working-day limit can be computed.
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)

__all__ = ["START", "Org", "build_org"]


def build_org() -> Org:
    return build_test_org(make_password(None))
