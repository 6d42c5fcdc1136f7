from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from law.certificates import EMPLOYMENT_ARTICLE, RevokeKind, Status, Stored, may_enforce
from ledger.services import ledger_append
from orgs.models import Certificate, Region, RoleGrant, Unit, User
from orgs.selectors import certificate_admin_root, certificate_for_user, unit_path
from orgs.signals import tokens_revoke
from procedure.engine import Refused
from procedure.roles import Role
from zhifa import clock

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def regions_ensure() -> int:
    """Load the GB/T 2260 reference regions shipped with the platform (idempotent)."""
    rows = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))
    for r in rows:
        Region.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "parent_code": r.get("parent") or "",
                "level": r["level"],
                "order": r.get("order", 0),
            },
        )
    return len(rows)


def unit_upsert(
    *,
    code: str,
    name: str,
    kind: str,
    region: Region,
    parent: Unit | None,
    short: str = "",
    imported: bool = False,
) -> Unit:
    """Create or update a unit; its path follows its parent's."""
    unit, _ = Unit.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "region": region,
            "parent": parent,
            "short": short,
            "path": unit_path(parent, code),
            "imported": imported,
        },
    )
    return unit


def user_upsert(
    *,
    username: str,
    full_name: str,
    unit: Unit | None,
    roles: Iterable[Role],
    password_hash: str,
    legal_qualified: bool = False,
    phone: str = "",
    employment: str | None = None,
) -> User:
    """Create or update a user with exactly the given roles (password given pre-hashed); the
    employment type (law.certificates.Employment) is kept unless given."""
    user, created = User.objects.get_or_create(username=username)
    if employment is not None:
        user.employment = employment
    user.full_name = full_name
    user.unit = unit
    user.legal_qualified = legal_qualified
    user.phone = phone
    if created:
        user.password = password_hash
    user.save()
    wanted = {r.value for r in roles}
    RoleGrant.objects.filter(user=user).exclude(role__in=wanted).delete()
    have = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=r) for r in sorted(wanted - have))
    if not created and wanted != have:
        # bulk_create sends no signal: a role granted here revokes the API tokens as well.
        tokens_revoke(user.pk)
    return user


def certificate_issue(
    *, user: User, number: str, valid_from: dt.date, valid_until: dt.date, scope: str
) -> Certificate:
    """Load a certificate as data (the demo, the test personas, an initial import of the paper
    register): idempotent by number, no actor. A 执法证管理员 issues through
    `certificate_register`, which checks and records. Refuses staff who never enforce."""
    if not may_enforce(user.employment):
        raise Refused(
            [f"{user.get_employment_display()}人员不得从事行政执法（{EMPLOYMENT_ARTICLE}）"]
        )
    cert, _ = Certificate.objects.update_or_create(
        number=number,
        defaults={
            "user": user,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "scope": scope,
        },
    )
    return cert


# --- the register of 执法证 (监督条例 Arts. 10, 17; 山东监督条例 Art. 10) -----------------------

# Dates the register accepts: anything outside is a typing error, not a certificate.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
NUMBER_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")


class _Errors:
    """Reasons by field; `raise_if_any` refuses with all of them and nothing written."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise Refused([m for ms in self.fields.values() for m in ms], self.fields)


def _text(errors: _Errors, field: str, value: str, *, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        errors.add(field, "含有不可见的控制字符")
    elif required and not value:
        errors.add(field, "不能为空")
    elif len(value) > limit:
        errors.add(field, f"不能超过{limit}个字")
    return value


def _day(errors: _Errors, field: str, value: dt.date | None, *, required: bool = True) -> None:
    if value is None:
        if required:
            errors.add(field, "不能为空")
    elif not EARLIEST <= value <= LATEST:
        errors.add(field, f"应在{EARLIEST.year}年至{LATEST.year}年之间")


def _admin(actor: User) -> Unit:
    root = certificate_admin_root(actor)
    if root is None:
        raise Refused(["只有执法证管理员可以管理执法证"])
    return root


def _record(cert: Certificate, *, actor: User, action: str, payload: dict[str, Any]) -> None:
    ledger_append(
        stream=f"certificate:{cert.pk}",
        action=action,
        payload={"number": cert.number, "holder": cert.user_id, **payload},
        actor_id=actor.pk,
        actor_name=str(actor),
        role=Role.CERT_ADMIN.value,
    )


@transaction.atomic
def certificate_register(
    *,
    actor: User,
    holder_id: int | None,
    number: str,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    scope: str,
    region_code: str,
    issuer: str,
    training_hours: int | None,
    exam_on: dt.date | None,
    exam_score: Decimal | None,
) -> Certificate:
    """Issue a 执法证 after the exam (监督条例 Art. 10): to an officer of the subtree the actor
    keeps, whose employment allows enforcement (山东监督条例 Art. 10), with no other certificate
    in force over the same dates. Every reason is given by field; a refusal writes nothing."""
    root = _admin(actor)
    today = clock.today()
    errors = _Errors()
    holder = (
        User.objects.select_for_update()
        .filter(pk=holder_id, is_active=True, unit__path__startswith=root.path)
        .select_related("unit")
        .first()
        if holder_id is not None and 0 < holder_id < 2**63
        else None
    )
    if holder is None:
        errors.add("holder", "不是本单位（辖区）的在职人员")
    elif not may_enforce(holder.employment):
        errors.add(
            "holder",
            f"{holder.get_employment_display()}人员不得从事行政执法，不能申领执法证"
            f"（{EMPLOYMENT_ARTICLE}）",
        )
    number = _text(errors, "number", number, limit=30, required=True)
    if number and not errors.fields.get("number"):
        if not set(number) <= NUMBER_CHARS:
            errors.add("number", "只能包含数字、字母和“-”")
        elif Certificate.objects.filter(number=number).exists():
            errors.add("number", "该证件号已登记")
    scope = _text(errors, "scope", scope, limit=100, required=True)
    issuer = _text(errors, "issuer", issuer, limit=100, required=True)
    code = (region_code or "").strip()
    region = (
        Region.objects.filter(code=code).first()
        if len(code) == 6 and code.isascii() and code.isdigit()
        else None
    )
    if region is None:
        errors.add("region", "请选择执法区域（行政区划）")
    _day(errors, "valid_from", valid_from)
    _day(errors, "valid_until", valid_until)
    _day(errors, "exam_on", exam_on)
    if valid_from and valid_until and valid_until < valid_from:
        errors.add("valid_until", "有效期至不能早于有效期起")
    if valid_until and valid_until < today:
        errors.add("valid_until", "有效期已届满，不能发放已过期的证件")
    if exam_on and exam_on > today:
        errors.add("exam_on", "考试日期不能晚于今天：执法证在考试合格后发放")
    if exam_on and valid_from and exam_on > valid_from:
        errors.add("exam_on", "考试日期不能晚于有效期起")
    pass_score = Decimal(settings.CERTIFICATE_PASS_SCORE)
    if exam_score is None:
        errors.add("exam_score", "不能为空")
    elif (
        not exam_score.is_finite()
        or not Decimal(0) <= exam_score <= Decimal(100)
        or exam_score != round(exam_score, 1)
    ):
        errors.add("exam_score", "应为0至100之间的分数，最多一位小数")
    elif exam_score < pass_score:
        errors.add("exam_score", f"考试成绩未达到合格分数（{pass_score}分），不能发证")
    if training_hours is None:
        errors.add("training_hours", "不能为空")
    elif not 0 <= training_hours <= 1000:
        errors.add("training_hours", "应为0至1000之间的整数")
    if holder is not None and valid_from and valid_until and not errors.fields.get("valid_until"):
        overlapping = Certificate.objects.filter(
            user=holder,
            status__in=[Stored.VALID, Stored.SUSPENDED],
            valid_from__lte=valid_until,
            valid_until__gte=valid_from,
        ).first()
        if overlapping is not None:
            errors.add(
                "valid_from",
                f"该人员已持有有效期重叠的执法证{overlapping.number}"
                f"（{overlapping.status_label(today)}），须先注销或待其期满",
            )
    errors.raise_if_any()
    assert holder is not None and valid_from and valid_until and region is not None
    cert = Certificate.objects.create(
        user=holder,
        number=number,
        valid_from=valid_from,
        valid_until=valid_until,
        scope=scope,
        region=region,
        issuer=issuer,
        issued_by=actor,
        training_hours=training_hours,
        exam_on=exam_on,
        exam_score=exam_score,
    )
    _record(
        cert,
        actor=actor,
        action="certificate_issue",
        payload={
            "valid_from": valid_from,
            "valid_until": valid_until,
            "scope": scope,
            "region": region.code,
            "issuer": issuer,
            "training_hours": training_hours,
            "exam_on": exam_on,
            "exam_score": str(exam_score),
        },
    )
    return cert


def _lock(actor: User, certificate_id: int) -> Certificate:
    """The certificate to change: 404 for whoever cannot read it, refused for a reader who does
    not keep the register (a supervisor), 404 outside the subtree the administrator keeps."""
    certificate_for_user(actor, certificate_id)
    _admin(actor)
    cert = certificate_for_user(actor, certificate_id, manage=True)
    locked: Certificate = (
        Certificate.objects.select_for_update().select_related("user").get(pk=cert.pk)
    )
    return locked


def _change_date(errors: _Errors, cert: Certificate, on: dt.date | None) -> None:
    _day(errors, "on", on)
    if on is not None and EARLIEST <= on <= LATEST:
        if on > clock.today():
            errors.add("on", "生效日期不能晚于今天")
        elif on < cert.valid_from:
            errors.add("on", "生效日期不能早于证件有效期起")


@transaction.atomic
def certificate_suspend(
    *, actor: User, certificate_id: int, reason: str, on: dt.date | None
) -> Certificate:
    """暂扣: the certificate stops counting from `on` until reinstated."""
    cert = _lock(actor, certificate_id)
    errors = _Errors()
    today = clock.today()
    status = cert.status_for(today)
    if status != Status.VALID:
        errors.add(
            "status", f"该证件当前状态为“{cert.status_label(today)}”，只有有效的证件可以暂扣"
        )
    reason = _text(errors, "reason", reason, limit=200, required=True)
    _change_date(errors, cert, on)
    errors.raise_if_any()
    cert.status, cert.status_on, cert.status_reason = Stored.SUSPENDED, on, reason
    cert.save(update_fields=["status", "status_on", "status_reason"])
    _record(cert, actor=actor, action="certificate_suspend", payload={"on": on, "reason": reason})
    return cert


@transaction.atomic
def certificate_reinstate(*, actor: User, certificate_id: int, reason: str) -> Certificate:
    """恢复 a suspended certificate; it counts again from today (until its printed expiry)."""
    cert = _lock(actor, certificate_id)
    errors = _Errors()
    if cert.status != Stored.SUSPENDED:
        errors.add(
            "status",
            f"该证件当前状态为“{cert.status_label(clock.today())}”，只有暂扣的证件可以恢复",
        )
    reason = _text(errors, "reason", reason, limit=200, required=True)
    errors.raise_if_any()
    suspended_on = cert.status_on
    cert.status, cert.status_on, cert.status_reason = Stored.VALID, None, ""
    cert.save(update_fields=["status", "status_on", "status_reason"])
    _record(
        cert,
        actor=actor,
        action="certificate_reinstate",
        payload={"reason": reason, "suspended_on": suspended_on, "on": clock.today()},
    )
    return cert


@transaction.atomic
def certificate_revoke(
    *, actor: User, certificate_id: int, kind: str, reason: str, on: dt.date | None
) -> Certificate:
    """吊销 (a sanction) or 注销 (the holder leaves enforcement): final, from `on`."""
    cert = _lock(actor, certificate_id)
    errors = _Errors()
    if cert.status == Stored.REVOKED:
        errors.add("status", "该证件已吊销（注销）")
    if kind not in {k.value for k in RevokeKind}:
        errors.add("kind", "请选择吊销或注销")
    reason = _text(errors, "reason", reason, limit=200, required=True)
    _change_date(errors, cert, on)
    errors.raise_if_any()
    cert.status, cert.status_on, cert.status_reason = Stored.REVOKED, on, reason
    cert.revoke_kind = kind
    cert.save(update_fields=["status", "status_on", "status_reason", "revoke_kind"])
    _record(
        cert,
        actor=actor,
        action="certificate_revoke",
        payload={"kind": kind, "on": on, "reason": reason},
    )
    return cert
