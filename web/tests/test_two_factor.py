"""The second factor on the login page, and enrolment for those whose role requires it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from demo.testing import otp_code

pytestmark = pytest.mark.django_db


def login(username: str, **extra) -> tuple[Client, Any]:
    client = Client()
    r = client.post("/login/", {"username": username, "password": PASSWORD, **extra})
    return client, r


def test_the_supervisor_is_refused_without_the_code_and_let_in_with_it(org):
    client, r = login("supervisor")
    assert r.status_code == 200 and "动态口令错误或未填写" in r.content.decode()
    assert client.get("/supervision/").status_code == 302
    client, r = login("supervisor", otp_token=otp_code(org.supervisor))
    assert r.status_code == 302
    assert client.get("/supervision/").status_code == 200


def test_an_officer_without_an_authenticator_logs_in_with_the_password_alone(org):
    client, r = login("handler")
    assert r.status_code == 302 and client.get("/").status_code == 200


def code_of(page: str) -> str:
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    import base64

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_a_director_not_yet_enrolled_is_led_to_enrol_and_then_works(org):
    TOTPDevice.objects.filter(user=org.director).delete()
    client, r = login("director")
    assert r.status_code == 302
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/two-factor/")
    r = client.get("/api/me")
    assert r.status_code == 401 and r.json()["errors"] == ["该账号须先完成两步验证（动态口令）"]
    page = client.get("/two-factor/").content.decode()
    assert "<svg" in page and "otpauth://totp/" in page
    assert not TOTPDevice.objects.filter(user=org.director).exists()  # a GET writes nothing
    enrolment = re.search(r'name="enrolment" value="([^"]+)"', page).group(1)
    r = client.post("/two-factor/", {"enrolment": enrolment, "otp_token": "12345x"})
    assert "动态口令不正确" in r.content.decode()
    r = client.post("/two-factor/", {"enrolment": enrolment, "otp_token": code_of(page)})
    assert r.status_code == 302
    assert TOTPDevice.objects.filter(user=org.director, confirmed=True).count() == 1
    assert client.get("/").status_code == 200
    # the next login needs the code
    _, r = login("director")
    assert "动态口令错误或未填写" in r.content.decode()


def test_an_enrolment_made_for_one_user_does_not_bind_another(org):
    TOTPDevice.objects.filter(user=org.director).delete()
    other = Client()
    other.force_login(org.handler)
    page = other.get("/two-factor/").content.decode()
    enrolment = re.search(r'name="enrolment" value="([^"]+)"', page).group(1)
    client, _ = login("director")
    r = client.post("/two-factor/", {"enrolment": enrolment, "otp_token": code_of(page)})
    assert "绑定页面已过期" in r.content.decode()
    assert not TOTPDevice.objects.filter(user=org.director).exists()


def test_an_officer_may_enrol_and_then_needs_the_code(org):
    client, _ = login("handler")
    page = client.get("/two-factor/").content.decode()
    assert "两步验证可选" in page
    enrolment = re.search(r'name="enrolment" value="([^"]+)"', page).group(1)
    client.post("/two-factor/", {"enrolment": enrolment, "otp_token": code_of(page)})
    _, r = login("handler")
    assert r.status_code == 200 and "动态口令错误或未填写" in r.content.decode()
    _, r = login("handler", otp_token=otp_code(org.handler))
    assert r.status_code == 302
