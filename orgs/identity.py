"""Identity: the lockout's view of a login (django-axes) and the second factor (django-otp TOTP).

Every login, by the web form or by the API, goes through `authenticate` with the request, so
django-axes counts each failure per account and per address, locks either after
LOGIN_FAILURE_LIMIT failures for LOGIN_LOCKOUT_MINUTES, and keeps a row of every attempt
(AccessLog for each success, AccessFailureLog for each failure: who, address, when, and the path,
which is the channel). A wrong second factor is a failed login too (`login_failed`).
"""

from __future__ import annotations

import base64
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.models import User
from procedure.roles import TWO_FACTOR_ROLES

LOCKED_MESSAGE = (
    "登录失败次数过多，该账号或该地址已被锁定{minutes}分钟。请稍后再试，或请安全管理员核实后解锁。"
)
ISSUER = "执法办案与监督平台"


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=settings.LOGIN_LOCKOUT_MINUTES)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with a request.

    A login without a request is not a network login (no address to count: the test client's
    `login`, a shell); it passes through to the password check as before.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str:
    """The address a login counts against: the peer, or with AXES_TRUSTED_PROXIES = N proxies in
    front, the address N hops back in X-Forwarded-For (the proxies append the real peer)."""
    hops = settings.AXES_TRUSTED_PROXIES
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def requires_two_factor(user: User) -> bool:
    return bool(user.role_set & TWO_FACTOR_ROLES)


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def needs_code(user: User) -> bool:
    """The role requires a second factor, or the user enrolled one."""
    return requires_two_factor(user) or totp_device(user) is not None


def code_matches(device: TOTPDevice, code: str) -> bool:
    code = (code or "").strip()
    return code.isdigit() and len(code) == device.digits and bool(device.verify_token(code))


def login_failed(request: HttpRequest, username: str) -> None:
    """A failed login for the lockout and the audit, as a wrong password is."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def login_succeeded(request: HttpRequest, user: User) -> None:
    """A login that does not go through django.contrib.auth.login (the API's token): audited and
    resetting the failure count as a web login does."""
    user_logged_in.send(sender=type(user), request=request, user=user)


def secret_to_base32(key_hex: str) -> str:
    return base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")


def otpauth_uri(username: str, key_hex: str) -> str:
    from urllib.parse import quote

    label = quote(f"{ISSUER}:{username}")
    secret = secret_to_base32(key_hex)
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(ISSUER)}&digits=6&period=30"


def code_for_secret(key_hex: str, code: str) -> bool:
    """Whether CODE is the current (±1 step) code of a secret not yet stored (enrolment)."""
    code = (code or "").strip()
    if not (code.isdigit() and len(code) == 6):
        return False
    return bool(TOTP(bytes.fromhex(key_hex)).verify(int(code), tolerance=1))


def enrol(user: User, key_hex: str) -> TOTPDevice:
    """Bind the confirmed TOTP device (replacing any other of the user's)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="动态口令", key=key_hex, confirmed=True)
