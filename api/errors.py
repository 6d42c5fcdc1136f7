"""An invalid request's answer as every other refusal's: `{"errors": […], "fields": {…}}` in
Chinese, each reason naming its field (`parties[0].id_number`), instead of pydantic's English
`{"detail": …}` that the OpenAPI document did not describe. The messages are the web forms'
(cases.payloads.error_message)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cases.payloads import error_message

# The place of a parameter in pydantic's loc, and how many leading parts name only the place.
_PLACES = {"body": 2, "form": 2, "file": 2, "query": 1, "path": 1, "header": 1, "cookie": 1}
_WHOLE_BODY = "请求正文"
_FLAT = frozenset({"form", "file"})


def field_name(loc: Sequence[Any]) -> str:
    """`parties[0].id_number` from pydantic's ("body", "body", "parties", 0, "id_number")."""
    parts = list(loc)
    skip = _PLACES.get(str(parts[0]), 0) if parts else 0
    if parts and parts[0] in _FLAT and len(parts) == 2:
        skip = 1  # a form or file parameter of its own (`Form[str]`): ("form", "note")
    parts = parts[skip:]
    if not parts:
        return _WHOLE_BODY
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def validation_answer(errors: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The 422 answer for pydantic's errors: every reason, and the reasons by field."""
    fields: dict[str, list[str]] = {}
    reasons: list[str] = []
    for error in errors:
        name, text = field_name(error.get("loc", ())), error_message(error)
        fields.setdefault(name, []).append(text)
        reasons.append(f"{name}：{text}")
    return {"errors": reasons, "fields": fields}
