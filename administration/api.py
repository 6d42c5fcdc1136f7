"""The 三员's pages over HTTP (mounted at /api/admin, tag 三员管理): the same services and access
functions as web/administration.py. Each operation is 404 to anyone but its administrator, and a
unit or account outside the administrator's subtree is 404 (administration.selectors); a refusal
is 422 with every reason by field and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal, get_args

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Query, Router, Schema, Status
from pydantic import Field

from administration import selectors, services
from cases.payloads import ErrorOut
from catalog.models import Matter
from law.enforcement import POWER_SCOPES
from ledger.labels import action_label
from orgs.models import Unit, User
from procedure.roles import ROLE_LABELS, Role

router = Router(tags=["三员管理"])

ROLES_DOC = "；".join(f"{r.value} {label}" for r, label in ROLE_LABELS.items())
SCOPES_DOC = "；".join(f"{code} {label}" for code, label in POWER_SCOPES.items())
KINDS_DOC = "；".join(f"{value} {label}" for value, label in Unit.Kind.choices)
NOT_YOURS = "，其他人（含其他辖区的同类管理员对本辖区以外的对象）返回404"


def _admin(request: HttpRequest, role: Role) -> User:
    """The administrator of `role`; anyone else finds no such operation (404, as the pages)."""
    user = request.user
    if not isinstance(user, User) or selectors.admin_root(user, role) is None:
        raise Http404
    return user


# --- answers ------------------------------------------------------------------------------------


class AdminUnitOut(Schema):
    id: int
    code: str
    name: str
    short: str = Field(description="文号简称")
    kind: str = Field(description=KINDS_DOC)
    parent_id: int | None


class AdminRoleOut(Schema):
    code: str
    label: str


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    unit_id: int | None
    unit: str
    is_active: bool
    roles: list[AdminRoleOut]


class AdminLockoutOut(Schema):
    username: str
    address: str
    failures: int
    last: dt.datetime


class AccountDetailOut(AccountOut):
    has_second_factor: bool = Field(description="是否已绑定动态口令")
    lockouts: list[AdminLockoutOut] = Field(description="登录锁定（仅安全管理员可见，其他为空）")


class ImplementingUnitOut(Schema):
    id: int
    name: str


class MatterAdminOut(Schema):
    id: int
    code: str
    name: str
    implementing_units: list[ImplementingUnitOut] = Field(description="本辖区内的实施主体")
    own_enforcement_power: bool = Field(description="法律是否授予行政强制执行权")
    enforcement_power_scope: str = Field(description=SCOPES_DOC)
    enforcement_power_basis: str


class AuditEntryOut(Schema):
    stream: str
    stream_label: str
    seq: int
    at: dt.datetime
    action: str
    action_label: str
    actor_name: str
    role: str
    payload: dict[str, Any]
    hash: str


class AdminLoginOut(Schema):
    at: dt.datetime
    username: str
    address: str
    channel: str = Field(description="网页 或 接口")
    ok: bool


# --- requests -----------------------------------------------------------------------------------


class AdminUnitIn(Schema):
    parent_id: int = Field(description="上级单位（本辖区内）的编号")
    code: str = Field("", description="单位代码：字母、数字、连字符和下划线")
    name: str = ""
    short: str = Field("", description="文号简称，至多20字")
    kind: str = Field("", description=KINDS_DOC)


class AccountIn(Schema):
    unit_id: int = Field(description="所属单位（本辖区内）的编号")
    username: str = ""
    full_name: str = ""
    phone: str = ""
    password: str = ""


class AdminReasonIn(Schema):
    reason: str = Field("", description="原因或核实情况，至多200字")


class AdminPasswordIn(Schema):
    password: str = ""


class AdminRoleIn(Schema):
    role: str = Field("", description=ROLES_DOC)


class MatterUnitIn(Schema):
    unit_id: int = Field(description="本辖区内的单位编号")
    implements: bool = Field(description="true 设为实施主体；false 取消")


class MatterPowerIn(Schema):
    granted: bool = Field(description="法律是否授予该事项的执法部门行政强制执行权")
    scope: str = Field("", description=SCOPES_DOC)
    basis: str = Field("", description="法律名称和条款，如《中华人民共和国城乡规划法》第六十八条")


class AdminPage(Schema):
    q: str = Field("", max_length=50, description="账号、姓名或单位名称")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


StreamCode = Literal["", "admin:system", "admin:security", "admin:audit", "pii:access"]
assert set(get_args(StreamCode)) == {"", *selectors.STREAM_LABELS}


class AuditFilter(Schema):
    stream: StreamCode = Field(
        "", description="；".join(f"{k} {v}" for k, v in selectors.STREAM_LABELS.items())
    )
    since: dt.date | None = None
    until: dt.date | None = None
    actor: str = Field("", max_length=50, description="操作人姓名包含")


class AuditPage(AuditFilter):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


# --- shaping ------------------------------------------------------------------------------------


def _unit(u: Unit) -> dict[str, Any]:
    return {
        "id": u.pk,
        "code": u.code,
        "name": u.name,
        "short": u.short,
        "kind": u.kind,
        "parent_id": u.parent_id,
    }


def _account(u: User) -> dict[str, Any]:
    return {
        "id": u.pk,
        "username": u.username,
        "full_name": u.full_name,
        "unit_id": u.unit_id,
        "unit": u.unit.name if u.unit is not None else "",
        "is_active": u.is_active,
        "roles": [{"code": r.value, "label": ROLE_LABELS[r]} for r in Role if r in u.role_set],
    }


def _account_detail(admin: User, role: Role, user_id: int) -> dict[str, Any]:
    person = selectors.user_for_admin(admin, role, user_id)
    locked = (
        [lo for lo in selectors.lockouts(admin) if lo.username == person.username]
        if role is Role.SECURITY_ADMIN
        else []
    )
    return {
        **_account(person),
        "has_second_factor": TOTPDevice.objects.filter(user=person).exists(),
        "lockouts": [vars(lo) for lo in locked],
    }


def _matter(m: Matter, mine: set[int]) -> dict[str, Any]:
    return {
        "id": m.pk,
        "code": m.code,
        "name": m.name,
        "implementing_units": [
            {"id": u.pk, "name": u.name} for u in m.implementing_units.all() if u.pk in mine
        ],
        "own_enforcement_power": m.own_enforcement_power,
        "enforcement_power_scope": m.enforcement_power_scope,
        "enforcement_power_basis": m.enforcement_power_basis,
    }


def _matter_out(admin: User, matter_id: int) -> dict[str, Any]:
    mine = set(selectors.units_for_admin(admin, Role.SYS_ADMIN).values_list("pk", flat=True))
    matter = Matter.objects.prefetch_related("implementing_units").get(pk=matter_id)
    return _matter(matter, mine)


# --- 系统管理员 ---------------------------------------------------------------------------------


@router.get("/units", response=list[AdminUnitOut], summary="本辖区的单位（系统管理员）" + NOT_YOURS)
def unit_list(request: HttpRequest) -> Any:
    return [
        _unit(u) for u in selectors.units_for_admin(_admin(request, Role.SYS_ADMIN), Role.SYS_ADMIN)
    ]


@router.post(
    "/units",
    response={201: AdminUnitOut, 404: ErrorOut, 422: ErrorOut},
    summary="新建单位（系统管理员）",
    description="上级单位须在本辖区内（否则404）；行政区划同上级单位。" + NOT_YOURS,
)
def unit_create(request: HttpRequest, body: AdminUnitIn) -> Any:
    admin = _admin(request, Role.SYS_ADMIN)
    unit = services.unit_create(actor=admin, **body.model_dump())
    return Status(201, _unit(unit))


@router.get(
    "/accounts",
    response=list[AccountOut],
    summary="本辖区的账号（系统管理员或安全管理员）",
)
def account_list(request: HttpRequest, page: Query[AdminPage]) -> Any:
    admin, role = _account_role(request)
    rows = selectors.users_for_admin(admin, role, page.q)
    return [_account(u) for u in rows[page.offset : page.offset + page.limit]]


@router.post(
    "/accounts",
    response={201: AccountDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="新建账号（系统管理员；新账号尚无角色，由安全管理员授予）",
    description="所属单位须在本辖区内（否则404）。" + NOT_YOURS,
)
def account_create(request: HttpRequest, body: AccountIn) -> Any:
    admin = _admin(request, Role.SYS_ADMIN)
    user = services.account_create(actor=admin, **body.model_dump())
    return Status(201, _account_detail(admin, Role.SYS_ADMIN, user.pk))


def _account_role(request: HttpRequest) -> tuple[User, Role]:
    user = request.user
    if isinstance(user, User):
        for role in (Role.SYS_ADMIN, Role.SECURITY_ADMIN):
            if selectors.admin_root(user, role) is not None:
                return user, role
    raise Http404


@router.get(
    "/accounts/{user_id}",
    response={200: AccountDetailOut, 404: ErrorOut},
    summary="账号详情：角色、动态口令、登录锁定（系统管理员或安全管理员）",
)
def account_get(request: HttpRequest, user_id: int) -> Any:
    admin, role = _account_role(request)
    return _account_detail(admin, role, user_id)


ACCOUNT_ACTIONS: dict[str, tuple[Role, type[Schema], Callable[..., Any], str]] = {
    "deactivate": (
        Role.SYS_ADMIN,
        AdminReasonIn,
        lambda a, u, b: services.account_set_active(
            actor=a, user_id=u, active=False, reason=b.reason
        ),
        "停用账号（系统管理员；其会话和接口令牌随即失效）",
    ),
    "activate": (
        Role.SYS_ADMIN,
        AdminReasonIn,
        lambda a, u, b: services.account_set_active(
            actor=a, user_id=u, active=True, reason=b.reason
        ),
        "启用账号（系统管理员）",
    ),
    "password": (
        Role.SYS_ADMIN,
        AdminPasswordIn,
        lambda a, u, b: services.account_set_password(actor=a, user_id=u, password=b.password),
        "重置密码（系统管理员；该账号的会话和接口令牌随即失效）",
    ),
    "grant": (
        Role.SECURITY_ADMIN,
        AdminRoleIn,
        lambda a, u, b: services.role_grant(actor=a, user_id=u, role=b.role),
        "授予角色（安全管理员；三员不得兼任，也不得兼任执法角色）",
    ),
    "revoke": (
        Role.SECURITY_ADMIN,
        AdminRoleIn,
        lambda a, u, b: services.role_revoke(actor=a, user_id=u, role=b.role),
        "收回角色（安全管理员）",
    ),
    "unlock": (
        Role.SECURITY_ADMIN,
        AdminReasonIn,
        lambda a, u, b: services.lockout_lift(actor=a, user_id=u, reason=b.reason),
        "解除登录锁定（安全管理员）",
    ),
    "second-factor": (
        Role.SECURITY_ADMIN,
        AdminReasonIn,
        lambda a, u, b: services.second_factor_reset(actor=a, user_id=u, reason=b.reason),
        "重置动态口令（安全管理员；该用户下次登录时重新绑定）",
    ),
}


def _account_endpoint(action: str) -> None:
    role, schema, act, summary = ACCOUNT_ACTIONS[action]

    def endpoint(request: HttpRequest, user_id: int, body: Schema) -> Any:
        admin = _admin(request, role)
        act(admin, user_id, body)
        return _account_detail(admin, role, user_id)

    endpoint.__name__ = f"account_{action.replace('-', '_')}"
    endpoint.__annotations__ = {
        "request": HttpRequest,
        "user_id": int,
        "body": schema,
        "return": Any,
    }
    router.post(
        f"/accounts/{{user_id}}/{action}",
        response={200: AccountDetailOut, 404: ErrorOut, 422: ErrorOut},
        summary=summary,
        description="账号须在本辖区内，且不能是本人（须由其他管理员办理）。" + NOT_YOURS,
        operation_id=endpoint.__name__,
    )(endpoint)


for _action in ACCOUNT_ACTIONS:
    _account_endpoint(_action)


@router.get(
    "/matters",
    response=list[MatterAdminOut],
    summary="权责事项的实施主体和行政强制执行权（系统管理员）",
)
def matter_list(request: HttpRequest, page: Query[AdminPage]) -> Any:
    admin = _admin(request, Role.SYS_ADMIN)
    mine = set(selectors.units_for_admin(admin, Role.SYS_ADMIN).values_list("pk", flat=True))
    q = page.q.replace("\x00", "").strip()
    qs = Matter.objects.order_by("code").prefetch_related("implementing_units")
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__icontains=q)
    return [_matter(m, mine) for m in qs[page.offset : page.offset + page.limit]]


@router.post(
    "/matters/{matter_id}/units",
    response={200: MatterAdminOut, 404: ErrorOut, 422: ErrorOut},
    summary="设置或取消本辖区单位为事项的实施主体（系统管理员）",
)
def matter_units(request: HttpRequest, matter_id: int, body: MatterUnitIn) -> Any:
    admin = _admin(request, Role.SYS_ADMIN)
    services.matter_units_set(actor=admin, matter_id=matter_id, **body.model_dump())
    return _matter_out(admin, matter_id)


@router.post(
    "/matters/{matter_id}/power",
    response={200: MatterAdminOut, 404: ErrorOut, 422: ErrorOut},
    summary="登记法律授予的行政强制执行权（市级系统管理员，《行政强制法》第十三条）",
)
def matter_power(request: HttpRequest, matter_id: int, body: MatterPowerIn) -> Any:
    admin = _admin(request, Role.SYS_ADMIN)
    services.matter_power_set(actor=admin, matter_id=matter_id, **body.model_dump())
    return _matter_out(admin, matter_id)


# --- 安全管理员 ---------------------------------------------------------------------------------


@router.get("/lockouts", response=list[AdminLockoutOut], summary="本辖区被锁定的账号（安全管理员）")
def lockout_list(request: HttpRequest) -> Any:
    return [vars(lo) for lo in selectors.lockouts(_admin(request, Role.SECURITY_ADMIN))]


# --- 审计管理员 ---------------------------------------------------------------------------------


def _entries(admin: User, f: AuditFilter) -> Any:
    return selectors.audit_entries(
        admin, stream=f.stream, since=f.since, until=f.until, actor=f.actor
    )


@router.get(
    "/audit",
    response=list[AuditEntryOut],
    summary="系统管理员、安全管理员的操作记录和个人信息访问记录（审计管理员，新的在前）",
)
def audit_list(request: HttpRequest, filters: Query[AuditPage]) -> Any:
    rows = _entries(_admin(request, Role.AUDIT_ADMIN), filters)
    return [
        {
            "stream": e.stream,
            "stream_label": selectors.STREAM_LABELS.get(e.stream, ""),
            "seq": e.seq,
            "at": e.at,
            "action": e.action,
            "action_label": action_label(e.action),
            "actor_name": e.actor_name,
            "role": e.role,
            "payload": e.payload,
            "hash": e.hash,
        }
        for e in rows[filters.offset : filters.offset + filters.limit]
    ]


@router.get(
    "/logins",
    response=list[AdminLoginOut],
    summary="本辖区账号的登录记录，含失败和不存在账号的尝试（审计管理员，最近200条）",
)
def login_list(request: HttpRequest, failed: bool = False) -> Any:
    return [
        vars(x) for x in selectors.logins(_admin(request, Role.AUDIT_ADMIN), failed_only=failed)
    ]


@router.post(
    "/audit/export",
    response={404: ErrorOut, 422: ErrorOut},
    summary="导出操作记录（CSV，审计管理员；导出本身记入审计管理员的操作记录）",
    openapi_extra={
        "responses": {
            200: {
                "description": "操作记录（CSV，UTF-8带BOM）",
                "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def audit_export(request: HttpRequest, body: AuditFilter) -> Any:
    admin = _admin(request, Role.AUDIT_ADMIN)
    with transaction.atomic():
        entries = list(_entries(admin, body)[: selectors.AUDIT_EXPORT_LIMIT])
        services.audit_export(
            actor=admin,
            since=str(body.since or ""),
            until=str(body.until or ""),
            rows=len(entries),
        )
    response = HttpResponse(selectors.audit_csv(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response
