"""What the 三员 do (等保 三级 安全管理中心, 三员分立), each on a ledger stream of its own.

- The 系统管理员 keeps units, accounts (created without roles; activated, deactivated, a new
  password set), which units implement which catalogue matter and, the city's one, whether a
  law grants a matter's agencies their own enforcement power and over what (行政强制法第十三条).
- The 安全管理员 grants and takes away roles, lifts a login lockout and resets a lost second
  factor.
- The 审计管理员 only reads (orgs.admin_selectors); exporting the audit record is its one act.

Each acts within its subtree (`admin_root`): a unit or account outside it is 404, as a case of
another unit is. None may change their own account or roles (no one approves their own change),
and no grant may give one person two of the three, or a 三员 any enforcement role
(procedure.roles.role_conflicts). Every refusal is by field and changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration.selectors import (
    STREAMS,
    admin_root,
    unit_for_admin,
    user_for_admin,
)
from cases.runner import FieldsRefused
from catalog.models import Matter
from law.enforcement import POWER_SCOPES
from ledger.services import ledger_append
from orgs.models import Region, RoleGrant, Unit, User
from orgs.selectors import unit_path
from orgs.signals import tokens_revoke
from procedure.engine import Refused
from procedure.roles import ROLE_LABELS, Role, role_conflicts

USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")


def _actor_root(actor: User, role: Role) -> Unit:
    root = admin_root(actor, role)
    if root is None:
        raise Refused([f"只有{ROLE_LABELS[role]}可以办理该操作"])
    return root


def _record(actor: User, role: Role, action: str, payload: dict[str, Any]) -> None:
    ledger_append(
        stream=STREAMS[role],
        action=action,
        payload=payload,
        actor_id=actor.pk,
        actor_name=str(actor),
        role=role.value,
    )


def _clean(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


def _need(fields: dict[str, list[str]], name: str, value: str, label: str, limit: int) -> str:
    value = _clean(value)
    if not value:
        fields.setdefault(name, []).append(f"请填写{label}")
    elif len(value) > limit:
        fields.setdefault(name, []).append(f"{label}不能超过{limit}字")
    return value


def _other_account(actor: User, role: Role, user_id: int) -> User:
    """The account an administrator acts on, locked: within its subtree (else 404) and never
    its own (no one approves their own change)."""
    _actor_root(actor, role)
    user = user_for_admin(actor, role, user_id, lock=True)
    if actor.pk == user.pk:
        raise Refused(["不能更改本人的账号或角色，须由其他管理员办理"])
    return user


# --- 系统管理员 ---------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *, actor: User, parent_id: int, code: str, name: str, short: str, kind: str
) -> Unit:
    """A unit under one of the subtree's units; its region is its parent's."""
    _actor_root(actor, Role.SYS_ADMIN)
    parent = unit_for_admin(actor, Role.SYS_ADMIN, parent_id)
    fields: dict[str, list[str]] = {}
    code = _need(fields, "code", code, "单位代码", 40)
    if code and not all(c.isalnum() or c in "-_" for c in code):
        fields.setdefault("code", []).append("单位代码只能由字母、数字、连字符和下划线组成")
    elif code and Unit.objects.filter(code=code).exists():
        fields.setdefault("code", []).append(f"单位代码“{code}”已被使用")
    name = _need(fields, "name", name, "单位名称", 100)
    short = _clean(short)
    if len(short) > 20:
        fields.setdefault("short", []).append("文号简称不能超过20字")
    if kind not in Unit.Kind.values:
        fields.setdefault("kind", []).append("请选择单位类型")
    if code and len(unit_path(parent, code)) > 255:
        fields.setdefault("parent_id", []).append("单位层级过深")
    if fields:
        raise FieldsRefused(fields)
    region = Region.objects.get(pk=parent.region_id)
    unit = Unit.objects.create(
        code=code,
        name=name,
        short=short,
        kind=kind,
        region=region,
        parent=parent,
        path=unit_path(parent, code),
    )
    _record(
        actor,
        Role.SYS_ADMIN,
        "admin_unit_create",
        {"unit": unit.pk, "code": code, "name": name, "parent": parent.pk},
    )
    return unit


@transaction.atomic
def unit_rename(*, actor: User, unit_id: int, name: str, short: str) -> Unit:
    _actor_root(actor, Role.SYS_ADMIN)
    unit = unit_for_admin(actor, Role.SYS_ADMIN, unit_id, lock=True)
    fields: dict[str, list[str]] = {}
    name = _need(fields, "name", name, "单位名称", 100)
    short = _clean(short)
    if len(short) > 20:
        fields.setdefault("short", []).append("文号简称不能超过20字")
    if fields:
        raise FieldsRefused(fields)
    before = {"name": unit.name, "short": unit.short}
    unit.name, unit.short = name, short
    unit.save(update_fields=["name", "short"])
    _record(
        actor,
        Role.SYS_ADMIN,
        "admin_unit_rename",
        {"unit": unit.pk, "before": before, "after": {"name": name, "short": short}},
    )
    return unit


def _password(fields: dict[str, list[str]], password: str, user: User) -> None:
    if not password:
        fields.setdefault("password", []).append("请填写初始密码")
        return
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        fields.setdefault("password", []).extend(str(m) for m in exc.messages)


@transaction.atomic
def account_create(
    *, actor: User, unit_id: int, username: str, full_name: str, phone: str, password: str
) -> User:
    """An account with no role: the 安全管理员 grants roles (三员分立)."""
    _actor_root(actor, Role.SYS_ADMIN)
    unit = unit_for_admin(actor, Role.SYS_ADMIN, unit_id)
    fields: dict[str, list[str]] = {}
    username = _need(fields, "username", username, "用户名", 60).lower()
    if username and not set(username) <= USERNAME_CHARS:
        fields.setdefault("username", []).append(
            "用户名只能由小写字母、数字、连字符、下划线和点组成"
        )
    elif username and User.objects.filter(username=username).exists():
        fields.setdefault("username", []).append(f"用户名“{username}”已被使用")
    full_name = _need(fields, "full_name", full_name, "姓名", 50)
    phone = _clean(phone)
    if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        fields.setdefault("phone", []).append("手机号应为11位数字")
    user = User(username=username, full_name=full_name, unit=unit, phone=phone)
    _password(fields, password, user)
    if fields:
        raise FieldsRefused(fields)
    user.set_password(password)
    user.save()
    _record(
        actor,
        Role.SYS_ADMIN,
        "admin_account_create",
        {"user": user.pk, "username": username, "unit": unit.pk},
    )
    return user


@transaction.atomic
def account_set_active(*, actor: User, user_id: int, active: bool, reason: str) -> User:
    """Deactivate (离职、调离) or reactivate an account; its sessions and API tokens end."""
    user = _other_account(actor, Role.SYS_ADMIN, user_id)
    fields: dict[str, list[str]] = {}
    reason = _need(fields, "reason", reason, "原因", 200)
    if user.is_active == active:
        fields.setdefault("active", []).append("账号已启用" if active else "账号已停用")
    if fields:
        raise FieldsRefused(fields)
    user.is_active = active
    user.save(update_fields=["is_active"])
    _record(
        actor,
        Role.SYS_ADMIN,
        "admin_account_activate" if active else "admin_account_deactivate",
        {"user": user.pk, "username": user.username, "reason": reason},
    )
    return user


@transaction.atomic
def account_set_password(*, actor: User, user_id: int, password: str) -> User:
    """A new password for a user who lost theirs; sessions and tokens end with the old one."""
    user = _other_account(actor, Role.SYS_ADMIN, user_id)
    fields: dict[str, list[str]] = {}
    _password(fields, password, user)
    if fields:
        raise FieldsRefused(fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    _record(
        actor,
        Role.SYS_ADMIN,
        "admin_account_password",
        {"user": user.pk, "username": user.username},
    )
    return user


@transaction.atomic
def matter_units_set(*, actor: User, matter_id: int, unit_id: int, implements: bool) -> Matter:
    """Whether a unit of the subtree is an 实施主体 of a catalogue matter."""
    _actor_root(actor, Role.SYS_ADMIN)
    unit = unit_for_admin(actor, Role.SYS_ADMIN, unit_id)
    matter = Matter.objects.select_for_update().filter(pk=matter_id).first()
    if matter is None:
        raise Http404
    has = matter.implementing_units.filter(pk=unit.pk).exists()
    if has == implements:
        what = "已是" if implements else "不是"
        raise FieldsRefused({"unit_id": [f"“{unit.name}”{what}该事项的实施主体"]})
    if implements:
        matter.implementing_units.add(unit)
    else:
        matter.implementing_units.remove(unit)
    _record(
        actor,
        Role.SYS_ADMIN,
        "admin_matter_unit_add" if implements else "admin_matter_unit_remove",
        {"matter": matter.pk, "code": matter.code, "unit": unit.pk},
    )
    return matter


# 行政强制法第十三条: only a 法律 grants it — the basis names a law (…法, not 条例/办法) and its
# article, as catalog/data/check_data.py requires of the shipped grants.
POWER_BASIS = re.compile(r"^《[^》]*法》第[一二三四五六七八九十百零]+条")


@transaction.atomic
def matter_power_set(
    *, actor: User, matter_id: int, granted: bool, scope: str = "", basis: str = ""
) -> Matter:
    """Whether a law grants the agencies of a catalogue matter their own enforcement power, what
    it covers (money, an act, or both) and the article: the city's 系统管理员 keeps it, the
    catalogue being the city's."""
    root = _actor_root(actor, Role.SYS_ADMIN)
    matter = Matter.objects.select_for_update().filter(pk=matter_id).first()
    if matter is None:
        raise Http404
    if root.parent_id is not None:
        raise Refused(["权责清单的行政强制执行权由市级系统管理员维护"])
    fields: dict[str, list[str]] = {}
    scope, basis = _clean(scope), _clean(basis)
    if granted:
        if scope not in POWER_SCOPES:
            fields["scope"] = ["请选择法律授予的行政强制执行权范围：金钱给付义务、行为义务或者两者"]
        basis = _need(fields, "basis", basis, "行政强制执行权依据", 120)
        if basis and "basis" not in fields and not POWER_BASIS.match(basis):
            fields["basis"] = [
                "行政强制执行权依据须写明法律名称和条款，如《中华人民共和国城乡规划法》第六十八条"
                "（只有法律可以设定行政强制执行，《行政强制法》第十三条）"
            ]
    else:
        scope, basis = "", ""
    if fields:
        raise FieldsRefused(fields)
    before = (matter.own_enforcement_power, matter.enforcement_power_scope)
    matter.own_enforcement_power = granted
    matter.enforcement_power_scope = scope
    matter.enforcement_power_basis = basis
    matter.save(
        update_fields=[
            "own_enforcement_power",
            "enforcement_power_scope",
            "enforcement_power_basis",
        ]
    )
    _record(
        actor,
        Role.SYS_ADMIN,
        "admin_matter_power",
        {
            "matter": matter.pk,
            "code": matter.code,
            "granted": granted,
            "scope": scope,
            "basis": basis,
            "before": {"granted": before[0], "scope": before[1]},
        },
    )
    return matter


# --- 安全管理员 ---------------------------------------------------------------------------------


def _role(fields: dict[str, list[str]], value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        fields.setdefault("role", []).append("请选择角色")
        return None


@transaction.atomic
def role_grant(*, actor: User, user_id: int, role: str) -> User:
    user = _other_account(actor, Role.SECURITY_ADMIN, user_id)
    fields: dict[str, list[str]] = {}
    granted = _role(fields, role)
    if granted is not None:
        if user.has_role(granted):
            fields.setdefault("role", []).append(f"已担任{ROLE_LABELS[granted]}")
        else:
            for reason in role_conflicts(user.role_set | {granted}):
                fields.setdefault("role", []).append(reason)
    if not user.is_active:
        fields.setdefault("role", []).append("账号已停用，不能授予角色")
    if fields or granted is None:
        raise FieldsRefused(fields)
    RoleGrant.objects.create(user=user, role=granted.value)  # the signal revokes API tokens
    _record(
        actor,
        Role.SECURITY_ADMIN,
        "admin_role_grant",
        {"user": user.pk, "username": user.username, "role": granted.value},
    )
    return user


@transaction.atomic
def role_revoke(*, actor: User, user_id: int, role: str) -> User:
    user = _other_account(actor, Role.SECURITY_ADMIN, user_id)
    fields: dict[str, list[str]] = {}
    taken = _role(fields, role)
    if taken is not None and not user.has_role(taken):
        fields.setdefault("role", []).append(f"未担任{ROLE_LABELS[taken]}")
    if fields or taken is None:
        raise FieldsRefused(fields)
    for grant in RoleGrant.objects.filter(user=user, role=taken.value):
        grant.delete()  # one by one: the signal revokes API tokens
    _record(
        actor,
        Role.SECURITY_ADMIN,
        "admin_role_revoke",
        {"user": user.pk, "username": user.username, "role": taken.value},
    )
    return user


@transaction.atomic
def lockout_lift(*, actor: User, user_id: int, reason: str) -> int:
    """Lift the login lockout of an account (its failures counted by django-axes)."""
    user = _other_account(actor, Role.SECURITY_ADMIN, user_id)
    fields: dict[str, list[str]] = {}
    reason = _need(fields, "reason", reason, "核实情况", 200)
    if fields:
        raise FieldsRefused(fields)
    lifted = int(axes_reset(username=user.username))
    if not lifted:
        raise FieldsRefused({"reason": ["该账号没有登录失败记录，无需解锁"]})
    _record(
        actor,
        Role.SECURITY_ADMIN,
        "admin_lockout_lift",
        {"user": user.pk, "username": user.username, "attempts": lifted, "reason": reason},
    )
    return lifted


@transaction.atomic
def second_factor_reset(*, actor: User, user_id: int, reason: str) -> int:
    """A lost phone: the user's TOTP devices go, and the next login enrols a new one."""
    user = _other_account(actor, Role.SECURITY_ADMIN, user_id)
    fields: dict[str, list[str]] = {}
    reason = _need(fields, "reason", reason, "核实情况", 200)
    devices = TOTPDevice.objects.filter(user=user)
    if not devices.exists():
        fields.setdefault("reason", []).append("该账号未绑定动态口令")
    if fields:
        raise FieldsRefused(fields)
    removed, _ = devices.delete()
    tokens_revoke(user.pk)
    _record(
        actor,
        Role.SECURITY_ADMIN,
        "admin_second_factor_reset",
        {"user": user.pk, "username": user.username, "reason": reason},
    )
    return int(removed)


# --- 审计管理员 ---------------------------------------------------------------------------------


@transaction.atomic
def audit_export(*, actor: User, since: str, until: str, rows: int) -> None:
    """Recorded when the audit administrator takes the audit record out of the platform."""
    _actor_root(actor, Role.AUDIT_ADMIN)
    _record(
        actor,
        Role.AUDIT_ADMIN,
        "admin_audit_export",
        {"since": since, "until": until, "rows": rows},
    )
