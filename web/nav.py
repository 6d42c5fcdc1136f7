"""The main navigation and the active role (the role switcher), for every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from notices.selectors import unread_count
from orgs.models import User
from procedure.roles import CASE_ROLES, ROLE_LABELS, Role

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


# (the roles that see it, url, label), in display order; an area adds its own lines here.
# The entries follow the active role (the role switcher), not every role the user holds.
NAV: tuple[tuple[frozenset[Role], str, str], ...] = (
    (CASE_ROLES | {Role.TRAFFIC_REVIEWER}, "/", "待办"),
    (CASE_ROLES | {Role.SUPERVISOR}, "/cases/", "案件"),
    (frozenset({Role.HANDLER}), "/cases/new/", "登记案源"),
    (frozenset({Role.HANDLER}), "/cases/new/simple/", "当场处罚"),
    (frozenset({Role.SUPERVISOR}), "/supervision/", "执法监督"),
    (
        frozenset({Role.SECTION_CHIEF, Role.LEGAL_REVIEWER, Role.DEPUTY_DIRECTOR}),
        "/supervision/reviews/",
        "评查结果",
    ),
    (
        frozenset({Role.HANDLER, Role.SECTION_CHIEF, Role.DEPUTY_DIRECTOR, Role.SUPERVISOR}),
        "/complaints/",
        "投诉举报",
    ),
    (frozenset({Role.HANDLER}), "/joint/", "违停取证"),
    (frozenset({Role.SECTION_CHIEF, Role.SUPERVISOR}), "/joint/dashboard/", "城警联动"),
    (frozenset({Role.TRAFFIC_REVIEWER}), "/joint/review/", "交警审核"),
    (CASE_ROLES | {Role.SUPERVISOR}, "/nonsite/", "治超非现场"),
    (CASE_ROLES | {Role.SUPERVISOR}, "/random/", "双随机抽查"),
    (frozenset({Role.SYS_ADMIN}), "/sanyuan/system/", "系统管理"),
    (frozenset({Role.SYS_ADMIN}), "/calendar/", "节假日安排"),
    (frozenset({Role.SECURITY_ADMIN}), "/sanyuan/security/", "安全管理"),
    (frozenset({Role.AUDIT_ADMIN}), "/sanyuan/audit/", "审计"),
    (frozenset({Role.CERT_ADMIN}), "/certificates/", "执法证管理"),
    (frozenset({Role.SUPERVISOR}), "/certificates/oversight/", "执法证"),
    (
        frozenset({Role.HANDLER, Role.SECTION_CHIEF, Role.LEGAL_REVIEWER, Role.SUPERVISOR}),
        "/disclosure/",
        "处罚公示",
    ),
)


def nav_items(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_items": []}
    role = active_role(request)
    items = [
        {"url": url, "label": label, "active": request.path == url}
        for roles, url, label in NAV
        if role in roles
    ]
    return {
        "nav_items": items,
        "notice_unread": unread_count(user),
        "active_role": role,
        "active_role_label": ROLE_LABELS.get(role, "") if role else "",
        "switchable_roles": [
            (r.value, label) for r, label in ROLE_LABELS.items() if r in user.role_set
        ],
    }
