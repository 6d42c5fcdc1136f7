"""The register of 执法证 over HTTP (mounted at /api/certificates), in the API face: it answers
refusals with the shared `ErrorOut`.

Reads follow the register's scope (an administrator's subtree, a supervisor's); writes are the
执法证管理员's. Out of scope is 404; a refusal is 422 with every reason, by field, and changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cases.payloads import ErrorOut
from orgs import selectors, services
from orgs.models import Certificate, User
from procedure.engine import Refused
from zhifa import clock

router = Router(tags=["执法证"])

STATUS_DOC = "valid 有效；suspended 暂扣；revoked 吊销（注销）；expired 已过期；pending 未生效"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class CertificateOut(Schema):
    id: int
    number: str
    holder_id: int
    holder: str
    unit: str
    employment: str = Field(
        description="staff 在编；contract 合同制；dispatched 劳务派遣；seconded 借调；other 其他"
    )
    scope: str = Field(description="执法领域")
    region: str = Field(description="执法区域（行政区划代码），未登记为空")
    issuer: str
    valid_from: dt.date
    valid_until: dt.date
    training_hours: int | None
    exam_on: dt.date | None
    exam_score: str | None
    status: str = Field(description=f"今日状态：{STATUS_DOC}")
    status_label: str
    status_on: dt.date | None = Field(description="暂扣或吊销（注销）生效日期")
    status_reason: str
    revoke_kind: str = Field(description="revoke 吊销；cancel 注销；未吊销（注销）为空")


class CertificateIn(Schema):
    holder_id: int | None = Field(None, description="持证人（本单位或辖区内在职人员）的用户编号")
    number: str = Field("", description="证件号：数字、字母和“-”，至多30位")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    scope: str = Field("", description="执法领域")
    region_code: str = Field("", description="执法区域：六位行政区划代码")
    issuer: str = Field("", description="发证机关")
    training_hours: int | None = Field(None, description="培训学时")
    exam_on: dt.date | None = Field(None, description="考试日期")
    exam_score: Decimal | None = Field(
        None, description="考试成绩（0至100分）", allow_inf_nan=False
    )


class SuspendIn(Schema):
    reason: str = ""
    on: dt.date | None = Field(None, description="暂扣生效日期，不晚于今天")


class ReinstateIn(Schema):
    reason: str = ""


class RevokeIn(Schema):
    kind: str = Field("", description="revoke 吊销；cancel 注销")
    reason: str = ""
    on: dt.date | None = Field(None, description="生效日期，不晚于今天")


class ListFilter(Schema):
    status: Literal["", "valid", "suspended", "revoked", "expired", "pending"] = Field(
        "", description=STATUS_DOC
    )
    q: str = Field("", max_length=50, description="姓名、账号或证件号")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


def _out(c: Certificate) -> dict[str, Any]:
    today = clock.today()
    return {
        "id": c.pk,
        "number": c.number,
        "holder_id": c.user_id,
        "holder": str(c.user),
        "unit": c.user.unit.name if c.user.unit is not None else "",
        "employment": c.user.employment,
        "scope": c.scope,
        "region": c.region_id or "",
        "issuer": c.issuer,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
        "training_hours": c.training_hours,
        "exam_on": c.exam_on,
        "exam_score": str(c.exam_score) if c.exam_score is not None else None,
        "status": c.status_for(today).value,
        "status_label": c.status_label(today),
        "status_on": c.status_on,
        "status_reason": c.status_reason,
        "revoke_kind": c.revoke_kind,
    }


def _refused(exc: Refused) -> Status[dict[str, Any]]:
    return Status(422, {"errors": exc.errors, "fields": exc.fields})


def _fresh(request: HttpRequest, cert: Certificate) -> dict[str, Any]:
    return _out(selectors.certificate_for_user(_user(request), cert.pk))


@router.get("", response=list[CertificateOut], summary="执法证登记簿（本人管理或监督的范围）")
def certificate_list(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    rows = selectors.certificate_rows(
        _user(request), clock.today(), status=filters.status, query=filters.q
    )
    return [_out(c) for c in rows[filters.offset : filters.offset + filters.limit]]


@router.get("/{certificate_id}", response={200: CertificateOut, 404: ErrorOut}, summary="执法证")
def certificate_get(request: HttpRequest, certificate_id: int) -> Any:
    return _out(selectors.certificate_for_user(_user(request), certificate_id))


@router.post(
    "",
    response={201: CertificateOut, 422: ErrorOut},
    summary="考试合格后发放执法证（执法证管理员）",
)
def certificate_issue(request: HttpRequest, body: CertificateIn) -> Any:
    try:
        cert = services.certificate_register(actor=_user(request), **body.dict())
    except Refused as exc:
        return _refused(exc)
    return Status(201, _fresh(request, cert))


@router.post(
    "/{certificate_id}/suspend",
    response={200: CertificateOut, 404: ErrorOut, 422: ErrorOut},
    summary="暂扣执法证",
)
def certificate_suspend(request: HttpRequest, certificate_id: int, body: SuspendIn) -> Any:
    try:
        cert = services.certificate_suspend(
            actor=_user(request), certificate_id=certificate_id, reason=body.reason, on=body.on
        )
    except Refused as exc:
        return _refused(exc)
    return _fresh(request, cert)


@router.post(
    "/{certificate_id}/reinstate",
    response={200: CertificateOut, 404: ErrorOut, 422: ErrorOut},
    summary="恢复暂扣的执法证",
)
def certificate_reinstate(request: HttpRequest, certificate_id: int, body: ReinstateIn) -> Any:
    try:
        cert = services.certificate_reinstate(
            actor=_user(request), certificate_id=certificate_id, reason=body.reason
        )
    except Refused as exc:
        return _refused(exc)
    return _fresh(request, cert)


@router.post(
    "/{certificate_id}/revoke",
    response={200: CertificateOut, 404: ErrorOut, 422: ErrorOut},
    summary="吊销或注销执法证",
)
def certificate_revoke(request: HttpRequest, certificate_id: int, body: RevokeIn) -> Any:
    try:
        cert = services.certificate_revoke(
            actor=_user(request),
            certificate_id=certificate_id,
            kind=body.kind,
            reason=body.reason,
            on=body.on,
        )
    except Refused as exc:
        return _refused(exc)
    return _fresh(request, cert)
