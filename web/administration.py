"""The 三员's pages: the 系统管理员 (units, accounts, the catalogue's 实施主体), the 安全管理员
(roles, lockouts, second factors) and the 审计管理员 (the others' record and every login; it only
reads, and its export is recorded). Each page answers 404 to anyone but its administrator, and
every unit or account outside the administrator's subtree is 404 (administration.selectors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from administration import selectors, services
from administration.selectors import AUDIT_EXPORT_LIMIT, STREAM_LABELS
from catalog.models import Matter
from law.enforcement import POWER_SCOPES
from ledger.labels import action_label
from orgs.models import Unit, User
from procedure.engine import Refused
from procedure.roles import ROLE_LABELS, THREE_ADMINS, Role
from web.views import _user
from zhifa.query import query_day

PAGE = 50


def _admin(request: HttpRequest, role: Role) -> User:
    user = _user(request)
    if selectors.admin_root(user, role) is None:
        raise Http404
    return user


def _int(raw: str | None) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        raise Http404 from None
    if not 0 < value < 2**63:
        raise Http404
    return value


def _refusal(exc: Refused) -> dict[str, list[str]]:
    """The reasons by field; those of no field under "general" (above the form)."""
    fields = dict(exc.fields)
    placed = {m for messages in fields.values() for m in messages}
    rest = [m for m in exc.errors if m not in placed]
    if rest:
        fields["general"] = rest
    return fields


# --- 系统管理员 ---------------------------------------------------------------------------------


@login_required
def system(request: HttpRequest) -> HttpResponse:
    user = _admin(request, Role.SYS_ADMIN)
    return _system_page(request, user)


def _system_page(
    request: HttpRequest, user: User, errors: dict[str, list[str]] | None = None, form: str = ""
) -> HttpResponse:
    q = request.GET.get("q", "")
    accounts = Paginator(selectors.users_for_admin(user, Role.SYS_ADMIN, q), PAGE)
    return render(
        request,
        "web/administration/system.html",
        {
            "units": selectors.units_for_admin(user, Role.SYS_ADMIN),
            "kinds": Unit.Kind.choices,
            "page": accounts.get_page(request.GET.get("page")),
            "q": q,
            "errors": errors or {},
            "form": form,
            "posted": request.POST if errors else {},
        },
        status=422 if errors else 200,
    )


def _system_post(
    request: HttpRequest, form: str, act: Callable[[User], Any], done: str
) -> HttpResponse:
    user = _admin(request, Role.SYS_ADMIN)
    try:
        act(user)
    except Refused as exc:
        return _system_page(request, user, _refusal(exc), form)
    messages.success(request, done)
    return redirect("admin-system")


@login_required
@require_POST
def unit_create(request: HttpRequest) -> HttpResponse:
    p = request.POST
    return _system_post(
        request,
        "unit",
        lambda user: services.unit_create(
            actor=user,
            parent_id=_int(p.get("parent_id")),
            code=p.get("code", ""),
            name=p.get("name", ""),
            short=p.get("short", ""),
            kind=p.get("kind", ""),
        ),
        "单位已新建",
    )


@login_required
@require_POST
def account_create(request: HttpRequest) -> HttpResponse:
    p = request.POST
    return _system_post(
        request,
        "account",
        lambda user: services.account_create(
            actor=user,
            unit_id=_int(p.get("unit_id")),
            username=p.get("username", ""),
            full_name=p.get("full_name", ""),
            phone=p.get("phone", ""),
            password=p.get("password", ""),
        ),
        "账号已新建（尚无角色，请安全管理员授予）",
    )


@login_required
def matters(request: HttpRequest) -> HttpResponse:
    user = _admin(request, Role.SYS_ADMIN)
    return _matters_page(request, user)


def _matters_page(
    request: HttpRequest,
    user: User,
    errors: dict[str, list[str]] | None = None,
    power_of: int | None = None,
) -> HttpResponse:
    q = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    units = list(selectors.units_for_admin(user, Role.SYS_ADMIN))
    root = selectors.admin_root(user, Role.SYS_ADMIN)
    qs = Matter.objects.order_by("code").prefetch_related("implementing_units")
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__icontains=q)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    mine = {u.pk for u in units}
    rows = [(m, [u for u in m.implementing_units.all() if u.pk in mine]) for m in page.object_list]
    return render(
        request,
        "web/administration/matters.html",
        {
            "page": page,
            "rows": rows,
            "units": units,
            "q": q,
            "errors": errors or {},
            # The power form refused: opened again with what was sent (POWER_SCOPES' labels).
            "power_of": power_of,
            "posted": request.POST if power_of else {},
            "scopes": list(POWER_SCOPES.items()),
            # The catalogue is the city's: its 系统管理员 keeps the power (not a county's).
            "keeps_power": root is not None and root.parent_id is None,
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def matter_units(request: HttpRequest, matter_id: int) -> HttpResponse:
    user = _admin(request, Role.SYS_ADMIN)
    implements = request.POST.get("implements") == "1"
    try:
        services.matter_units_set(
            actor=user,
            matter_id=matter_id,
            unit_id=_int(request.POST.get("unit_id")),
            implements=implements,
        )
    except Refused as exc:
        return _matters_page(request, user, _refusal(exc))
    messages.success(request, "实施主体已更新")
    return redirect("admin-matters")


@login_required
@require_POST
def matter_power(request: HttpRequest, matter_id: int) -> HttpResponse:
    """行政强制法第十三条: whether a law grants the matter's agencies their own enforcement
    power, over what, by which article."""
    user = _admin(request, Role.SYS_ADMIN)
    try:
        matter = services.matter_power_set(
            actor=user,
            matter_id=matter_id,
            granted=request.POST.get("granted") == "1",
            scope=request.POST.get("scope", ""),
            basis=request.POST.get("basis", ""),
        )
    except Refused as exc:
        return _matters_page(request, user, _refusal(exc), power_of=matter_id)
    messages.success(request, f"“{matter.code} {matter.name}”的行政强制执行权已更新")
    return redirect("admin-matters")


# --- an account: the 系统管理员's and the 安全管理员's actions ------------------------------------


def _account_role(request: HttpRequest) -> tuple[User, Role]:
    user = _user(request)
    for role in (Role.SYS_ADMIN, Role.SECURITY_ADMIN):
        if selectors.admin_root(user, role) is not None:
            return user, role
    raise Http404


@login_required
def account(request: HttpRequest, user_id: int) -> HttpResponse:
    admin, role = _account_role(request)
    return _account_page(request, admin, role, user_id)


def _account_page(
    request: HttpRequest,
    admin: User,
    role: Role,
    user_id: int,
    errors: dict[str, list[str]] | None = None,
    form: str = "",
) -> HttpResponse:
    person = selectors.user_for_admin(admin, role, user_id)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    held = [(r.value, ROLE_LABELS[r]) for r in Role if r in person.role_set]
    grantable = [(r.value, ROLE_LABELS[r]) for r in Role if r not in person.role_set]
    return render(
        request,
        "web/administration/account.html",
        {
            "person": person,
            "role": role.value,
            "held": held,
            "grantable": grantable,
            "has_device": TOTPDevice.objects.filter(user=person).exists(),
            "locked": [lo for lo in selectors.lockouts(admin) if lo.username == person.username]
            if role is Role.SECURITY_ADMIN
            else [],
            "self": person.pk == admin.pk,
            "errors": errors or {},
            "form": form,
            "three_admins": [ROLE_LABELS[r] for r in Role if r in THREE_ADMINS],
        },
        status=422 if errors else 200,
    )


ACCOUNT_ACTIONS: dict[str, tuple[Role, str, Callable[[User, int, Any], Any]]] = {
    "deactivate": (
        Role.SYS_ADMIN,
        "账号已停用",
        lambda a, u, p: services.account_set_active(
            actor=a, user_id=u, active=False, reason=p.get("reason", "")
        ),
    ),
    "activate": (
        Role.SYS_ADMIN,
        "账号已启用",
        lambda a, u, p: services.account_set_active(
            actor=a, user_id=u, active=True, reason=p.get("reason", "")
        ),
    ),
    "password": (
        Role.SYS_ADMIN,
        "密码已重置，该账号的会话和接口令牌已失效",
        lambda a, u, p: services.account_set_password(
            actor=a, user_id=u, password=p.get("password", "")
        ),
    ),
    "grant": (
        Role.SECURITY_ADMIN,
        "角色已授予",
        lambda a, u, p: services.role_grant(actor=a, user_id=u, role=p.get("role", "")),
    ),
    "revoke": (
        Role.SECURITY_ADMIN,
        "角色已收回",
        lambda a, u, p: services.role_revoke(actor=a, user_id=u, role=p.get("role", "")),
    ),
    "unlock": (
        Role.SECURITY_ADMIN,
        "登录锁定已解除",
        lambda a, u, p: services.lockout_lift(actor=a, user_id=u, reason=p.get("reason", "")),
    ),
    "second_factor": (
        Role.SECURITY_ADMIN,
        "动态口令已重置，该用户下次登录时重新绑定",
        lambda a, u, p: services.second_factor_reset(
            actor=a, user_id=u, reason=p.get("reason", "")
        ),
    ),
}


@login_required
@require_POST
def account_action(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    if action not in ACCOUNT_ACTIONS:
        raise Http404
    role, done, act = ACCOUNT_ACTIONS[action]
    admin = _user(request)
    if selectors.admin_root(admin, role) is None:
        raise Http404
    try:
        act(admin, user_id, request.POST)
    except Refused as exc:
        return _account_page(request, admin, role, user_id, _refusal(exc), action)
    messages.success(request, done)
    return redirect("admin-account", user_id=user_id)


# --- 安全管理员 ---------------------------------------------------------------------------------


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = _admin(request, Role.SECURITY_ADMIN)
    q = request.GET.get("q", "")
    accounts = Paginator(selectors.users_for_admin(user, Role.SECURITY_ADMIN, q), PAGE)
    return render(
        request,
        "web/administration/security.html",
        {
            "page": accounts.get_page(request.GET.get("page")),
            "q": q,
            "lockouts": selectors.lockouts(user),
            "role_labels": {r.value: label for r, label in ROLE_LABELS.items()},
        },
    )


# --- 审计管理员 ---------------------------------------------------------------------------------


def _audit_filters(data: Any) -> dict[str, Any]:
    stream = data.get("stream", "")
    return {
        "stream": stream if stream in STREAM_LABELS else "",
        "since": query_day(data.get("since")),
        "until": query_day(data.get("until")),
        "actor": str(data.get("actor", ""))[:50],
    }


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    user = _admin(request, Role.AUDIT_ADMIN)
    filters = _audit_filters(request.GET)
    entries = Paginator(selectors.audit_entries(user, **filters), PAGE)
    page = entries.get_page(request.GET.get("page"))
    rows = [(e, action_label(e.action), STREAM_LABELS.get(e.stream, "")) for e in page]
    return render(
        request,
        "web/administration/audit.html",
        {
            "page": page,
            "rows": rows,
            "streams": STREAM_LABELS.items(),
            "logins": selectors.logins(user, failed_only=request.GET.get("failed") == "1"),
            "failed": request.GET.get("failed") == "1",
            **filters,
        },
    )


@login_required
@require_POST
def audit_export(request: HttpRequest) -> HttpResponse:
    """The record as CSV; taking it out is itself recorded (on the audit administrator's stream,
    in the same transaction as the read)."""
    user = _admin(request, Role.AUDIT_ADMIN)
    filters = _audit_filters(request.POST)
    entries = list(selectors.audit_entries(user, **filters)[:AUDIT_EXPORT_LIMIT])
    services.audit_export(
        actor=user,
        since=str(filters["since"] or ""),
        until=str(filters["until"] or ""),
        rows=len(entries),
    )
    response = HttpResponse(selectors.audit_csv(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response
