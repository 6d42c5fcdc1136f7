"""What the OpenAPI document says beyond what ninja derives from the operations: the answers every
operation can give besides its own (401 without a valid token or session, 403 for a session
without its CSRF token, 404 for an object out of scope, 422 for a refused Idempotency-Key), and
the Idempotency-Key header on every POST that honours it."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from api.idempotency import HEADER, MAX_KEY

_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}

ANSWERS = {
    "401": "未登录或接口令牌无效、已过期",
    "403": "会话登录的写请求缺少CSRF令牌",
    "404": "对象不存在或不在本人数据范围内（本人角色无权查看的也答404）",
    "422": "请求被拒绝：全部中文理由，按字段列出，且不作任何改动",
}

PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY},
    "description": (
        "幂等键（可选）：同一令牌以同一键重发同一请求时，返回第一次成功的应答（响应头"
        " Idempotent-Replayed: true），不再重复办理；同一键用于不同请求时返回422。"
        f"键保留{settings.IDEMPOTENCY_KEY_HOURS}小时。"
    ),
}


# A request line longer than the server takes (gunicorn's 4094 bytes, a proxy's own) is refused by
# the server before the application sees it, as an HTML page.
TOO_LONG = {
    "description": "请求地址过长，由服务器直接拒绝（未进入应用，未作任何改动）",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def _answer(responses: dict[str, Any], status: str) -> None:
    responses.setdefault(status, {"description": ANSWERS[status], "content": _ERROR})


def complete(schema: dict[str, Any]) -> None:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            schemes = {name for need in operation.get("security", []) for name in need}
            if schemes:
                _answer(responses, "401")
                _answer(responses, "404")  # out of scope, or a role that has no such page
            if "Session" in schemes and method != "get":
                _answer(responses, "403")
            if "{" in path:
                _answer(responses, "404")
            if operation.get("parameters") or operation.get("requestBody"):
                _answer(responses, "422")  # a value refused by field (a path id that is no number)
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault("414", TOO_LONG)
            # The key belongs to a token or a session user (a station's key has none).
            if method == "post" and schemes & {"BearerToken", "Session"}:
                operation.setdefault("parameters", []).append(dict(PARAMETER))
                _answer(responses, "422")
