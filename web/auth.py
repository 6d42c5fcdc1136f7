"""Login with the lockout and the second factor, the two-factor enrolment page, the lockout's
answer. The rules live in orgs/identity.py; here are the forms and pages."""

from __future__ import annotations

import secrets
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.identity import (
    code_for_secret,
    code_matches,
    enrol,
    locked_message,
    login_failed,
    needs_code,
    otpauth_uri,
    requires_two_factor,
    secret_to_base32,
    totp_device,
)
from orgs.models import User

CODE_REFUSED = (
    "动态口令错误或未填写。执法监督员、分管局长、三员及已绑定动态口令的用户登录时须填写动态口令。"
)
ENROL_SALT = "zhifa.two-factor.enrol"
ENROL_MAX_AGE = 15 * 60


class LoginForm(AuthenticationForm):
    otp_token = forms.CharField(label="动态口令", required=False, max_length=8)
    error_messages = {
        "invalid_login": "用户名或密码错误，请重新输入。",
        "inactive": "该账号已停用。",
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        self.device: TOTPDevice | None = None
        if isinstance(user, User) and needs_code(user):
            device = totp_device(user)
            if device is None:
                return cleaned  # the role requires it, none enrolled: enrolment comes next
            if not code_matches(device, self.cleaned_data.get("otp_token") or ""):
                self.user_cache = None
                login_failed(self.request, user.get_username())  # type: ignore[arg-type]
                raise ValidationError(CODE_REFUSED, code="otp")
            self.device = device
        return cleaned


class ZhifaLoginView(LoginView):
    form_class = LoginForm

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.device is not None:
            otp_login(self.request, form.device)
        return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked account or address: the API's error shape, or the login
    page with the reason, both 429."""
    message = locked_message()
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"errors": [message]}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    if request.user.is_authenticated:
        logout(request)
    return render(
        request,
        "registration/login.html",
        {"form": LoginForm(request), "locked": message},
        status=429,
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return str(settings.LOGIN_REDIRECT_URL)
    return str(target)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """两步验证: enrol a TOTP authenticator (the QR code drawn here, no outside service), or pass
    the second factor for this session. A GET writes nothing: the new secret travels signed in
    the form until a right code confirms it."""
    user = request.user
    assert isinstance(user, User)
    device = totp_device(user)
    verified = bool(getattr(user, "is_verified", lambda: False)())
    ctx: dict[str, Any] = {
        "next": _next(request),
        "required": requires_two_factor(user),
        "device": device,
        "verified": verified,
    }
    if device is not None:
        if request.method == "POST" and not verified:
            if code_matches(device, request.POST.get("otp_token", "")):
                otp_login(request, device)
                return redirect(_next(request))
            login_failed(request, user.get_username())
            ctx["error"] = CODE_REFUSED
        return render(request, "registration/two_factor.html", ctx)
    key = None
    if request.method == "POST":
        try:
            data = signing.loads(
                request.POST.get("enrolment", ""), salt=ENROL_SALT, max_age=ENROL_MAX_AGE
            )
        except signing.BadSignature:
            data = {}
        if data.get("user") == user.pk:
            key = str(data["key"])
            if code_for_secret(key, request.POST.get("otp_token", "")):
                otp_login(request, enrol(user, key))
                messages.success(
                    request, "已绑定动态口令，今后登录时请填写验证器显示的6位动态口令。"
                )
                return redirect(_next(request))
            ctx["error"] = "动态口令不正确，请核对手机时间后输入验证器当前显示的6位数字。"
        else:
            ctx["error"] = "绑定页面已过期，请用新的二维码重新绑定。"
    if key is None:
        key = secrets.token_hex(20)
    uri = otpauth_uri(user.get_username(), key)
    ctx.update(
        enrolment=signing.dumps({"user": user.pk, "key": key}, salt=ENROL_SALT),
        secret=secret_to_base32(key),
        uri=uri,
        qr=mark_safe(segno.make(uri, error="m").svg_inline(scale=4, dark="#000")),
    )
    return render(request, "registration/two_factor.html", ctx)
