"""Shared fixtures: a small org tree built through the services, personas, a frozen clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password

from deadlines.services import calendar_forget
from orgs.testing import Org, build_test_org
from zhifa import clock

__all__ = ["PASSWORD", "SHANGHAI", "START", "Org", "move"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "Test-pass-2025"
# 2025-03-03 is a Monday; 2025 is covered by chinesecalendar.
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing in tests; production keeps Django's default PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test's database starts without an administrator holiday table.
    calendar_forget()


@pytest.fixture
def frozen() -> Iterator[type[clock.frozen_at]]:
    """The platform clock frozen at START; call `move(days=…)` to advance it."""
    clock.set_now(START)
    yield clock.frozen_at
    clock.set_now(None)


def move(**delta: float) -> None:
    clock.set_now(clock.now() + dt.timedelta(**delta))


@pytest.fixture
def org(db, frozen) -> Org:
    return build_test_org(make_password(PASSWORD))
