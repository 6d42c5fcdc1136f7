"""The site's own middleware: the idle timeout without a write per request (below), the others
(no-store, the second factor) after it, and the refusal of a NUL character in any field at the end.

Django's own idle timeout (SESSION_SAVE_EVERY_REQUEST) renews the session row on every request,
so every GET of a page or of the API wrote to the database. Here the session row is written at
login only (and when a request really changes it), with an absolute lifetime
(SESSION_LIFETIME_HOURS), and the time of the last request travels in a signed cookie of its
own, re-issued with every response of a logged-in session. The row stays server-side, so logout
and a password change still revoke the session.

A request's last activity is the later of the login (kept in the session) and the stamp of the
cookie. A session idle for SESSION_COOKIE_AGE is flushed before the view runs: pages send the
visitor to the login page and the API answers 401, as before. A cookie whose signature does not
verify is hostile and logs out at once; a missing one, or one issued for another session, adds
nothing, so only the login counts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape

from orgs.identity import needs_code
from orgs.models import User

ACTIVITY_COOKIE = "zhifa_activity"
SALT = "web.middleware.activity"
# The login time, in whole seconds since the epoch, kept in the session at login.
LOGIN_STAMP = "_login_at"


def _now() -> int:
    # Django's clock (sessions read it too), so the tests' hand-moved clock moves this one.
    return int(timezone.now().timestamp())


def _binding(session_key: str) -> str:
    """Ties a stamp to one session: a stamp carried over from another session counts nothing."""
    return salted_hmac(SALT, session_key).hexdigest()[:20]


class Stamp:
    """What the activity cookie says: nothing, a forged value, or a time for some session."""

    def __init__(self, request: HttpRequest) -> None:
        self.forged = False
        self.at: int | None = None
        if ACTIVITY_COOKIE not in request.COOKIES:
            return
        try:
            value = request.get_signed_cookie(ACTIVITY_COOKIE, salt=SALT)
            binding, at = str(value).rsplit(":", 1)
            stamp = int(at)
        except (signing.BadSignature, ValueError):
            self.forged = True
            return
        key = request.session.session_key
        if key is not None and binding == _binding(key):
            self.at = stamp


def start_session(request: HttpRequest, **_: Any) -> None:
    """At login (the `user_logged_in` signal): the first activity, and the absolute lifetime."""
    now = timezone.now()
    request.session[LOGIN_STAMP] = int(now.timestamp())
    request.session.set_expiry(now + dt.timedelta(hours=settings.SESSION_LIFETIME_HOURS))


def _logged_in(request: HttpRequest) -> bool:
    return request.session.session_key is not None and SESSION_KEY in request.session


class IdleTimeoutMiddleware:
    """Between SessionMiddleware and AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _logged_in(request):
            stamp = Stamp(request)
            login_at = request.session.get(LOGIN_STAMP)
            last = max(
                (t for t in (login_at, stamp.at) if isinstance(t, int)),
                default=None,
            )
            if stamp.forged or last is None or _now() - last >= settings.SESSION_COOKIE_AGE:
                # The logout: the one write such a request makes (the row is deleted).
                request.session.flush()
        response = self.get_response(request)
        if _logged_in(request):
            key = request.session.session_key
            assert key is not None
            response.set_signed_cookie(
                ACTIVITY_COOKIE,
                f"{_binding(key)}:{_now()}",
                salt=SALT,
                max_age=settings.SESSION_COOKIE_AGE,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        elif ACTIVITY_COOKIE in request.COOKIES:
            response.delete_cookie(
                ACTIVITY_COOKIE,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer that does not say otherwise.

    Case pages, party data, evidence, documents and the API's answers carry personal data: neither
    the browser nor a proxy may keep a copy (等保 三级, 剩余信息保护). Static files never get here
    (WhiteNoise answers them above this middleware) and keep their long caching.

    A page of the public site (`disclosure.portal.public_page`, marked `shared_page`) is the same
    for everyone: the session middleware below may still have looked at the session (to learn
    there is no user), so its `Vary: Cookie` is taken off here, and a proxy keeps one copy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        elif getattr(response, "shared_page", False) and response.has_header("Vary"):
            vary = [v.strip() for v in response["Vary"].split(",")]
            kept = [v for v in vary if v.lower() != "cookie"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response


TWO_FACTOR_OPEN = ("/two-factor/", "/login/", "/logout/", "/static/", "/documents/verify/")


class TwoFactorMiddleware:
    """A session whose user needs a second factor (the role requires it, or the user enrolled one)
    and has not passed it reaches only the enrolment page and logout: pages redirect there, the
    API answers 401 in Chinese. Bearer-token calls are checked when the token is issued."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # The public site is open to anyone, so to a half-logged-in officer too.
        self.open = (*TWO_FACTOR_OPEN, "/" + settings.PUBLIC_SITE_PREFIX)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.open)
            and not getattr(user, "is_verified", lambda: False)()
            and isinstance(user, User)
            and needs_code(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"errors": ["该账号须先完成两步验证（动态口令）"]},
                    status=401,
                    json_dumps_params={"ensure_ascii": False},
                )
            return redirect_to_login(request.get_full_path(), "/two-factor/", "next")
        return self.get_response(request)


# --- a NUL character in any input ---------------------------------------------------------------

NUL = "\x00"


def _nul_in(value: Any, path: str) -> str | None:
    """The path of the first string holding a NUL character in a decoded JSON value."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return name
            found = _nul_in(item, name)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_in(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def nul_field(request: HttpRequest) -> str | None:
    """The first field of the request (query string, form or JSON body) holding a NUL."""
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in v for v in values):
            return key
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH"):
        if content_type == "application/json":
            body = request.body
            if b"\\u0000" in body or b"\x00" in body:
                try:
                    return _nul_in(json.loads(body), "") or "请求正文"
                except ValueError:
                    return "请求正文"
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, values in request.POST.lists():
                if NUL in key or any(NUL in v for v in values):
                    return key
    return None


class RejectNulMiddleware:
    """No text the platform keeps may hold a NUL character: PostgreSQL refuses it (a 500 after
    the ORM has begun), SQLite keeps it and cuts the text short on export. Every request with
    one is answered 422 naming the field, before any view runs, so nothing changes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            field = nul_field(request)
        except MultiPartParserError:
            # A multipart body without a usable boundary is no form at all: refused here, where
            # it is first read, rather than a 500 wherever it would be read next.
            field = "请求正文"
            message = "请求正文不是有效的 multipart/form-data（分隔边界缺失或无效），请重新提交"
        except RequestDataTooBig:
            # Past DATA_UPLOAD_MAX_MEMORY_SIZE (files in a multipart body do not count): refused
            # here by field, not as Django's 400 page rendered before the user is known (a 500).
            field = "请求正文"
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
            message = f"请求正文超过{limit // 1024}KB上限，请分批提交或以文件上传"
        else:
            if field is None:
                return self.get_response(request)
            message = f"“{field}”含有不允许的空字符（NUL），请删除后重新提交"
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"errors": [message], "fields": {field: [message]}},
                status=422,
                json_dumps_params={"ensure_ascii": False},
            )
        page = (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            "<title>提交的内容无效</title></head><body>"
            f"<h1>提交的内容无效</h1><p>{escape(message)}</p>"
            '<p>请用浏览器的“返回”回到上一页修改，或<a href="/">回到首页</a>。</p></body></html>'
        )
        return HttpResponse(page, status=422, content_type="text/html; charset=utf-8")
