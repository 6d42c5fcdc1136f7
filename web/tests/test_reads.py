"""A read writes nothing: a GET or HEAD of a page or of the API leaves the database as it was,
while the idle timeout holds as before (web/middleware.py) and logout and a password change
still revoke a session server-side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.tests.test_api_flow import ApiUser
from cases.models import Case
from cases.tests.flow import register
from conftest import PASSWORD
from web.middleware import ACTIVITY_COOKIE
from web.tests.test_edges import T0, WallClock

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@contextmanager
def no_write() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    sql = [q["sql"] for q in ctx.captured_queries]
    writes = [q for q in sql if q.lstrip().upper().startswith(WRITES)]
    assert not writes, writes
    assert sql, "the request read nothing: did it reach the view?"


@pytest.fixture
def wall(monkeypatch) -> WallClock:
    clock = WallClock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def signed_in(username: str) -> Client:
    """Through the login page, as a browser does: the answer brings the activity cookie."""
    client = Client()
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == settings.LOGIN_REDIRECT_URL
    assert ACTIVITY_COOKIE in client.cookies
    return client


def is_in(client: Client) -> bool:
    r = client.get("/")
    assert r.status_code in (200, 302)
    return r.status_code == 200


def is_out(client: Client) -> bool:
    r = client.get("/")
    return r.status_code == 302 and r["Location"].startswith(settings.LOGIN_URL)


@pytest.fixture
def case(org) -> Case:
    return register(org)


@pytest.mark.parametrize("method", ["get", "head"])
def test_reading_the_inbox_the_case_list_and_a_case_page_writes_nothing(org, case, method):
    client = signed_in(org.chief.username)
    for url in ("/", "/cases/", f"/cases/{case.pk}/"):
        with no_write():
            r = getattr(client, method)(url)
        assert r.status_code == 200, url
        assert ACTIVITY_COOKIE in r.cookies, url  # the read still counts as activity


def test_reading_the_api_with_the_session_writes_nothing(org, case):
    client = signed_in(org.chief.username)
    for url in ("/api/me", "/api/cases", f"/api/cases/{case.pk}", f"/api/cases/{case.pk}/record"):
        with no_write():
            r = client.get(url)
        assert r.status_code == 200, url


def test_reading_the_api_with_a_token_writes_nothing(org, case):
    api = ApiUser(Client(), org.chief.username)
    for url in ("/api/me", "/api/cases", f"/api/cases/{case.pk}"):
        with no_write():
            r = api.get(url)
        assert r.status_code == 200, url
        assert ACTIVITY_COOKIE not in r.cookies  # a token has no session to keep alive


def test_a_read_leaves_the_session_row_as_the_login_wrote_it(org, case, wall):
    client = signed_in(org.handler.username)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    before = Session.objects.get(pk=key)
    assert before.expire_date == T0 + dt.timedelta(hours=settings.SESSION_LIFETIME_HOURS)
    wall.at(minutes=20)
    for url in ("/", "/cases/", f"/cases/{case.pk}/", "/api/me"):
        client.get(url)
    after = Session.objects.get(pk=key)
    assert (after.session_data, after.expire_date) == (before.session_data, before.expire_date)


def test_a_post_still_writes_and_the_page_that_shows_its_message_does_not(org):
    client = signed_in(org.handler.username)
    with CaptureQueriesContext(connection) as ctx:
        r = client.post("/role/", {"role": "co_handler"}, HTTP_REFERER="/")
    assert r.status_code == 302
    assert any(q["sql"].lstrip().upper().startswith("UPDATE") for q in ctx.captured_queries)
    with no_write():
        page = client.get("/").content.decode()
    assert "已切换为" in page
    assert client.session["active_role"] == "co_handler"


def test_an_officer_active_past_the_first_expiry_stays_in_without_a_write(org, wall):
    client = signed_in(org.handler.username)
    for minutes in (20, 45, 74, 103):  # each within 30 of the last, the login long past
        wall.at(minutes=minutes)
        with no_write():
            assert is_in(client)


def test_an_officer_idle_a_second_short_of_the_age_is_in_and_at_the_age_is_out(org, wall):
    client = signed_in(org.handler.username)
    wall.at(minutes=10)
    assert is_in(client)
    wall.at(minutes=10, seconds=settings.SESSION_COOKIE_AGE - 1)
    assert is_in(client)
    wall.at(minutes=10, seconds=2 * settings.SESSION_COOKIE_AGE - 1)
    assert is_out(client)


def test_an_idle_officer_is_logged_out_and_the_session_row_is_gone(org, wall):
    client = signed_in(org.handler.username)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    wall.at(minutes=31)
    assert is_out(client)
    assert not Session.objects.filter(pk=key).exists()


def test_an_idle_session_gets_401_from_the_api(org, wall):
    client = signed_in(org.handler.username)
    wall.at(minutes=31)
    assert client.get("/api/me").status_code == 401


def test_a_tampered_activity_cookie_logs_out_at_once(org, wall):
    client = signed_in(org.handler.username)
    wall.at(minutes=1)
    stamp = client.cookies[ACTIVITY_COOKIE].value
    binding, at, signature = stamp.split(":", 2)
    # A later time under the old signature, to stretch the idle timeout.
    client.cookies[ACTIVITY_COOKIE] = f"{binding}:{int(at) + 3600}:{signature}"
    assert is_out(client)
    assert client.cookies[ACTIVITY_COOKIE].value == ""  # told to drop it


def test_a_missing_activity_cookie_leaves_only_the_login_to_count(org, wall):
    client = signed_in(org.handler.username)
    wall.at(minutes=20)
    assert is_in(client)
    del client.cookies[ACTIVITY_COOKIE]
    wall.at(minutes=31)  # 11 minutes after the last request, 31 after the login
    assert is_out(client)


def test_an_activity_cookie_of_another_session_does_not_keep_this_one_alive(org, wall):
    mine = signed_in(org.handler.username)
    other = signed_in(org.chief.username)
    wall.at(minutes=25)
    assert is_in(other)
    mine.cookies[ACTIVITY_COOKIE] = other.cookies[ACTIVITY_COOKIE].value
    wall.at(minutes=31)
    assert is_out(mine)


def test_a_login_lasts_its_lifetime_however_active(org, wall):
    client = signed_in(org.handler.username)
    lifetime = dt.timedelta(hours=settings.SESSION_LIFETIME_HOURS)
    step = dt.timedelta(minutes=25)
    at = step
    while at < lifetime:
        wall.now = T0 + at
        assert is_in(client), at
        at += step
    wall.now = T0 + lifetime
    assert is_out(client)


def test_a_session_cookie_replayed_after_logout_is_refused(org):
    client = signed_in(org.handler.username)
    assert is_in(client)
    stolen = {k: client.cookies[k].value for k in (settings.SESSION_COOKIE_NAME, ACTIVITY_COOKIE)}
    assert client.post("/logout/").status_code == 302
    assert not Session.objects.filter(pk=stolen[settings.SESSION_COOKIE_NAME]).exists()
    replay = Client()
    for name, value in stolen.items():
        replay.cookies[name] = value
    assert is_out(replay)
    assert replay.get("/api/me").status_code == 401


def test_a_password_change_logs_out_the_users_other_sessions(org):
    here, there = signed_in(org.handler.username), signed_in(org.handler.username)
    new = "Another-pass-2025"
    r = here.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert r.status_code == 302
    assert is_in(here)
    assert is_out(there)
