"""The main navigation, by role: each area adds its entry here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from orgs.models import User
from orgs.roles import CASE_ROLES, Role


def nav_items(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_items": []}
    roles = user.role_set
    items: list[tuple[str, str]] = []
    if roles & CASE_ROLES:
        items += [("/", "待办"), ("/cases/", "案件")]
    if Role.SUPERVISOR in roles:
        items += [("/cases/", "案件"), ("/supervision/", "执法监督")]
    seen: set[str] = set()
    out = []
    for url, label in items:
        if url in seen:
            continue
        seen.add(url)
        active = request.path == url or (url != "/" and request.path.startswith(url))
        out.append({"url": url, "label": label, "active": active})
    return {"nav_items": out}
