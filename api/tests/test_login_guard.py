"""Logins resist guessing (等保 三级 身份鉴别): per account and per address lockout on the API and
the login page, a record of every attempt, and the second factor for the roles that need it."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.handlers import proxy
from axes.models import AccessFailureLog, AccessLog
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from demo.testing import otp_code

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，该账号或该地址已被锁定30分钟"


def token(username: str, password: str = PASSWORD, address: str = "10.1.1.1", **extra):
    body = {"username": username, "password": password, **extra}
    return Client(REMOTE_ADDR=address).post(
        "/api/auth/token", body, content_type="application/json"
    )


def web_login(username: str, password: str = PASSWORD, address: str = "10.1.1.1", **extra):
    client = Client(REMOTE_ADDR=address)
    r = client.post("/login/", {"username": username, "password": password, **extra})
    return client, r


def test_four_wrong_passwords_on_the_api_still_let_the_right_one_in(org):
    for _ in range(4):
        assert token("handler", "wrong-Pass-1").status_code == 401
    assert token("handler").status_code == 200


def test_the_fifth_wrong_password_on_the_api_locks_the_account_even_for_the_right_one(org):
    for _ in range(4):
        assert token("handler", "wrong-Pass-1").status_code == 401
    r = token("handler", "wrong-Pass-1")
    assert r.status_code == 429 and LOCKED in r.json()["errors"][0]
    r = token("handler", address="10.9.9.9")  # the right password, from elsewhere
    assert r.status_code == 429 and LOCKED in r.json()["errors"][0]
    assert token("chief", address="10.9.9.9").status_code == 200  # others are not locked


def test_wrong_passwords_on_many_accounts_lock_the_address(org):
    for name in ("handler", "cohandler", "chief", "legal", "scjg-officer"):
        token(name, "wrong-Pass-1", address="10.2.2.2")
    r = token("county-officer", address="10.2.2.2")
    assert r.status_code == 429 and LOCKED in r.json()["errors"][0]
    assert token("county-officer", address="10.3.3.3").status_code == 200


def test_the_lock_lasts_its_thirty_minutes_and_not_a_minute_more(org, monkeypatch):
    for _ in range(5):
        token("handler", "wrong-Pass-1")
    start = timezone.now()
    # django-axes stamps each attempt with its own clock (axes.handlers.proxy.now).
    monkeypatch.setattr(proxy, "now", lambda: start + dt.timedelta(minutes=29, seconds=50))
    assert token("handler", address="10.4.4.4").status_code == 429
    monkeypatch.setattr(proxy, "now", lambda: start + dt.timedelta(minutes=30, seconds=10))
    assert token("handler", address="10.4.4.4").status_code == 200


def test_thirty_wrong_passwords_on_the_login_page_lock_it_with_a_chinese_page(org):
    for _ in range(4):
        _, r = web_login("handler", "wrong-Pass-1")
        assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()
    _, r = web_login("handler", "wrong-Pass-1")
    assert r.status_code == 429 and LOCKED in r.content.decode()
    client, r = web_login("handler", address="10.5.5.5")
    assert r.status_code == 429 and LOCKED in r.content.decode()
    assert client.get("/").status_code == 302  # not logged in


def test_every_attempt_is_recorded_with_who_address_when_and_channel(org):
    token("handler", "wrong-Pass-1", address="10.6.6.6")
    token("handler", address="10.6.6.7")
    web_login("chief", "wrong-Pass-1", address="10.6.6.8")
    web_login("chief", address="10.6.6.9")
    failures = {(f.username, f.ip_address, f.path_info) for f in AccessFailureLog.objects.all()}
    assert failures == {
        ("handler", "10.6.6.6", "/api/auth/token"),
        ("chief", "10.6.6.8", "/login/"),
    }
    successes = {(s.username, s.ip_address, s.path_info) for s in AccessLog.objects.all()}
    assert successes == {
        ("handler", "10.6.6.7", "/api/auth/token"),
        ("chief", "10.6.6.9", "/login/"),
    }
    assert all(row.attempt_time for row in AccessLog.objects.all())


def test_the_supervisor_gets_a_token_only_with_the_code(org):
    r = token("supervisor")
    assert r.status_code == 401 and r.json()["errors"] == ["动态口令错误或未填写（otp_token）"]
    r = token(
        "supervisor", otp_token="000000" if otp_code(org.supervisor) != "000000" else "111111"
    )
    assert r.status_code == 401
    assert token("supervisor", otp_token=otp_code(org.supervisor)).status_code == 200


def test_wrong_codes_count_towards_the_lockout(org):
    wrong = "000000" if otp_code(org.supervisor) != "000000" else "111111"
    for _ in range(5):
        token("supervisor", otp_token=wrong)
    r = token("supervisor", otp_token=otp_code(org.supervisor))
    assert r.status_code == 429


def test_a_director_without_an_authenticator_gets_no_token_and_is_told_to_enrol(org):
    TOTPDevice.objects.filter(user=org.director).delete()
    r = token("director")
    assert r.status_code == 401
    assert r.json()["errors"] == ["该账号须使用动态口令登录，请先在网页“两步验证”页绑定动态口令"]


def test_a_handler_without_an_authenticator_needs_no_code(org):
    assert token("handler").status_code == 200
