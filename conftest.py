"""Shared fixtures: a small org tree built through the services, personas, a frozen clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password

from deadlines.services import calendar_forget
from demo.testing import Org, build_test_org
from ledger.testing import allow_test_flush
from zhifa import clock

__all__ = ["PASSWORD", "SHANGHAI", "SHOTS", "START", "Org", "move"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "Test-pass-2025"
# 2025-03-03 is a Monday; 2025 is covered by chinesecalendar.
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)

# The ledger is append-only in the database (ledger migration 0002); only the test flush passes.
allow_test_flush()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing in tests; production keeps Django's default PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test's database starts without an administrator holiday table.
    calendar_forget()


@pytest.fixture(autouse=True)
def _test_logins_pass_the_second_factor(monkeypatch):
    """`Client.login` and `force_login` stand for a finished login: for a persona with an
    authenticator that includes the code (demo.testing.otp_passed). The login form and the
    API's token, where the code is checked, are tested through their own requests."""
    from django.test.client import ClientMixin

    from demo.testing import otp_passed

    original = vars(ClientMixin)["_login"]

    def _login(self, user, backend=None):
        original(self, user, backend)
        otp_passed(self, user)

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture
def frozen() -> Iterator[type[clock.frozen_at]]:
    """The platform clock frozen at START; call `move(days=…)` to advance it."""
    clock.set_now(START)
    yield clock.frozen_at
    clock.set_now(None)


def move(**delta: float) -> None:
    clock.set_now(clock.now() + dt.timedelta(**delta))


# Browser tests: Debian's chromium driven by Playwright (no browser download), screenshots here.
SHOTS = Path(__file__).resolve().parent / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser actions are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def org(db, frozen) -> Org:
    return build_test_org(make_password(PASSWORD))
