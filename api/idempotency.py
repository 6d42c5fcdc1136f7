"""`Idempotency-Key` on the API's POSTs (等保: a step committed while the client lost the answer is
not done twice on retry).

A POST under /api/ that carries the header runs inside one transaction that first claims the key
(a unique row) and, when the answer is a success, stores the answer in that row before the commit.
So either the action and its stored answer both commit, or neither does:
- a retry of a committed request (same key, same method, path and body) gets the first answer
  again, marked `Idempotent-Replayed: true`, and acts on nothing;
- a retry while the first is still running waits for it on the key's row, then gets its answer;
- a refusal or an error stores nothing: the key can be sent again with a corrected body;
- the same key with another request is refused (422, by field), as is a malformed key.
Keys are kept IDEMPOTENCY_KEY_HOURS (24 by default), then purged by the worker."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, RawPostDataException

from api.models import IdempotentAnswer
from zhifa import clock

HEADER = "Idempotency-Key"
MAX_KEY = 255
PREFIX = "/api/"
EXEMPT = frozenset({"/api/auth/token"})  # a login is not an action to replay


def _refuse(message: str) -> HttpResponse:
    body = {"errors": [message], "fields": {HEADER: [message]}}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=422,
        content_type="application/json; charset=utf-8",
    )


def _scope(request: HttpRequest) -> str | None:
    """Whose key it is: the bearer token's (as its stored hash), else the session's user."""
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer " and auth[7:].strip():
        return "t:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() if request.method else b"")
    digest.update(b"\0" + request.get_full_path().encode() + b"\0")
    try:
        digest.update(request.body)
    except RawPostDataException:
        # A multipart upload already parsed (the NUL check reads every form): its fields, and
        # each file's name and content, streamed in chunks.
        for name, values in sorted(request.POST.lists()):
            digest.update(json.dumps([name, values], ensure_ascii=False).encode() + b"\0")
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(json.dumps([name, upload.name, upload.size]).encode() + b"\0")
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    return digest.hexdigest()


def _replay(row: IdempotentAnswer) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _expiry() -> dt.datetime:
    return clock.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def purge() -> str | None:
    """Forget keys older than the retention (the worker runs it every hour)."""
    n, _ = IdempotentAnswer.objects.filter(created_at__lt=_expiry()).delete()
    return f"idempotency: {n} expired keys purged" if n else None


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method != "POST"
            or not request.path.startswith(PREFIX)
            or request.path in EXEMPT
        ):
            return self.get_response(request)
        if not 1 <= len(key) <= MAX_KEY or not key.isascii() or not key.isprintable():
            return _refuse(f"{HEADER} 须为1至{MAX_KEY}个可打印的ASCII字符")
        scope = _scope(request)
        if scope is None:  # the view answers 401; there is no one to remember the key for
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        IdempotentAnswer.objects.filter(scope=scope, key=key, created_at__lt=_expiry()).delete()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotentAnswer.objects.create(
                        scope=scope, key=key, fingerprint=fingerprint, created_at=clock.now()
                    )
            except IntegrityError:
                row = None
            if row is None:
                # Claimed before: by a committed request (its answer is stored) or by one still
                # running, whose row lock this read waits for on PostgreSQL.
                first = IdempotentAnswer.objects.select_for_update().get(scope=scope, key=key)
                if first.fingerprint != fingerprint:
                    return _refuse(f"该 {HEADER} 已用于另一请求，请为新的请求使用新的键")
                if first.status is None:  # pragma: no cover - the first's transaction holds it
                    return _refuse(f"使用该 {HEADER} 的请求仍在处理中，请稍后重试")
                return _replay(first)
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and not response.streaming:
                row.status = response.status_code
                row.content_type = response.get("Content-Type", "")
                row.body = response.content
                row.save(update_fields=("status", "content_type", "body"))
            else:
                # A refusal changed nothing, an error rolls back: the key stays free.
                transaction.set_rollback(True)
            return response
