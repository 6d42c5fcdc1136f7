"""The password policy: like the account, short, common, all digits or too simple is refused,
each in Chinese, on the page a user changes a password with."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def refusals(password: str, user) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def change(org, new: str):
    client = Client()
    client.force_login(org.handler)
    return client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_a_password_like_the_username_is_refused_in_chinese_on_the_password_page(org):
    org.handler.username = "371500-cgj-handler1"
    org.handler.save()
    r = change(org, "371500-Cgj-handler1")
    assert r.status_code == 200
    assert "密码跟 用户名 太相似了。" in r.content.decode()


def test_a_password_with_two_kinds_of_character_is_refused_and_three_pass(org):
    simple = "密码须至少包含大写字母、小写字母、数字、符号中的3种。"
    assert refusals("zhifamima2026", org.handler) == [simple]
    assert refusals("zhifa-mima-2026", org.handler) == []
    assert refusals("ZHIFA-MIMA-2026", org.handler) == []
    assert refusals("Zhifamima2026", org.handler) == []
    assert refusals("Zhifa@2026", org.handler) == []  # the demo's


def test_short_common_and_all_digit_passwords_are_refused(org):
    assert refusals("Ab1-xyz", org.handler) == ["密码太短：至少需要8个字符。"]
    assert refusals("Ab1-xyzw", org.handler) == []
    assert "这个密码太常见了。" in refusals("Password1", org.handler)
    assert "密码只包含数字。" in refusals("2026031415", org.handler)


def test_a_password_too_much_like_the_full_name_is_refused(org):
    org.handler.full_name = "ZhangWei"
    org.handler.save()
    assert any("太相似" in m for m in refusals("ZhangWei-1", org.handler))
