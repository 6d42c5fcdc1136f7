"""The idle session timeout on its edges: each request within the age renews the session, so an
officer who keeps working past the first expiry stays logged in; one idle past the age is out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


class WallClock:
    """Django's own clock (sessions read `django.utils.timezone.now`), moved by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, **delta: float) -> None:
        self.now = T0 + dt.timedelta(**delta)


@pytest.fixture
def wall(monkeypatch) -> WallClock:
    clock = WallClock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def logged_in(client: Client) -> bool:
    r = client.get("/")
    assert r.status_code in (200, 302)
    return r.status_code == 200


@pytest.fixture
def officer(org, wall) -> Client:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    assert client.login(username=org.handler.username, password=PASSWORD)
    return client


def test_an_officer_active_past_the_first_expiry_stays_logged_in(officer, wall):
    wall.at(minutes=20)
    assert logged_in(officer)
    wall.at(minutes=45)  # past the login's 30 minutes, within 30 of the last request
    assert logged_in(officer)
    wall.at(minutes=74)
    assert logged_in(officer)


def test_an_officer_idle_a_minute_short_of_the_age_is_still_logged_in(officer, wall):
    wall.at(minutes=29)
    assert logged_in(officer)


def test_an_officer_idle_a_minute_past_the_age_is_logged_out(officer, wall):
    wall.at(minutes=31)
    r = officer.get("/")
    assert r.status_code == 302 and r["Location"].startswith(settings.LOGIN_URL)


def test_an_officer_idle_past_the_age_after_some_activity_is_logged_out(officer, wall):
    wall.at(minutes=20)
    assert logged_in(officer)
    wall.at(minutes=51)
    assert not logged_in(officer)
