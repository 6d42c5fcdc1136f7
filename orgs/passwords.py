"""The password rule Django lacks: at least three of four kinds of character (等保 三级 身份鉴别,
口令复杂度). Django's own validators (similarity to the account, length, common, all-digit) run
beside it, with their messages in Chinese from Django's translation."""

from __future__ import annotations

import string
from collections.abc import Callable

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from orgs.models import User


def _symbol(c: str) -> bool:
    return not c.isalnum() and not c.isspace()


KINDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("大写字母", string.ascii_uppercase.__contains__),
    ("小写字母", string.ascii_lowercase.__contains__),
    ("数字", string.digits.__contains__),
    ("符号", _symbol),
)


class ComplexityValidator:
    """At least `min_kinds` of upper case, lower case, digits and symbols."""

    def __init__(self, min_kinds: int = 3) -> None:
        self.min_kinds = min_kinds

    def validate(self, password: str, user: User | None = None) -> None:
        present = sum(1 for _, test in KINDS if any(test(c) for c in password))
        if present < self.min_kinds:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        kinds = "、".join(name for name, _ in KINDS)
        return f"密码须至少包含{kinds}中的{self.min_kinds}种。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in Chinese (Django's translation lacks this plural form)."""

    def get_error_message(self) -> str:
        return f"密码太短：至少需要{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要{self.min_length}个字符。"
