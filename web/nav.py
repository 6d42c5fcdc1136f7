"""The main navigation and the active role (the role switcher), for every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from orgs.models import User
from orgs.roles import CASE_ROLES, ROLE_LABELS, Role

SESSION_KEY = "active_role"


def active_role(request: HttpRequest) -> Role | None:
    """The role the user works in now: the one picked in the session if still held, else the
    first it holds. Services still check the role each step needs."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    held = [r for r in ROLE_LABELS if r in user.role_set]
    picked = request.session.get(SESSION_KEY)
    for r in held:
        if r.value == picked:
            return r
    return held[0] if held else None


def nav_items(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_items": []}
    role = active_role(request)
    items: list[tuple[str, str]] = []
    if role in CASE_ROLES:
        items += [("/", "待办"), ("/cases/", "案件")]
        if role == Role.HANDLER:
            items += [("/cases/new/", "登记案源"), ("/cases/new/simple/", "当场处罚")]
    if role == Role.SUPERVISOR:
        items += [("/cases/", "案件"), ("/supervision/", "执法监督")]
    seen: set[str] = set()
    out = []
    for url, label in items:
        if url in seen:
            continue
        seen.add(url)
        active = request.path == url
        out.append({"url": url, "label": label, "active": active})
    return {
        "nav_items": out,
        "active_role": role,
        "active_role_label": ROLE_LABELS.get(role, "") if role else "",
        "switchable_roles": [
            (r.value, label) for r, label in ROLE_LABELS.items() if r in user.role_set
        ],
    }
