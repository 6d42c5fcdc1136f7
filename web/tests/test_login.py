from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_the_login_page(org):
    r = Client().get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_an_officer_logs_in_and_sees_the_workspace_in_chinese(org):
    client = Client()
    r = client.post("/login/", {"username": "handler", "password": PASSWORD})
    assert r.status_code == 302
    page = client.get("/").content.decode()
    assert "执法办案与监督平台" in page and "退出" in page


def test_a_wrong_password_shows_a_chinese_error(org):
    r = Client().post("/login/", {"username": "handler", "password": "nope-nope"})
    assert "用户名或密码错误" in r.content.decode()
