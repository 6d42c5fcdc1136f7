"""投诉举报 over HTTP (mounted at /api/complaints).

`/public` is open to anyone (a mini-program, no login, no CSRF token: it sets no cookie): filing
and reading the status by the tracking code, held to the same rate limits as the web form.
The officers' actions need the API's authentication; complaints out of scope are 404, refusals
422 with every reason by field, and a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cases.payloads import ErrorOut, PartyIn
from complaints import selectors, services
from complaints.models import Complaint
from law import complaints as rules
from law.personal import mask_phone
from orgs.identity import client_ip
from orgs.models import User

router = Router(tags=["投诉举报"])

RETRY_AFTER = {
    "Retry-After": {
        "description": "多少秒后可以再次提交",
        "schema": {"type": "integer", "minimum": 1},
    }
}


class ComplaintPublicIn(Schema):
    facts: str = Field(min_length=1, max_length=rules.MAX_FACTS, description="反映的问题")
    place: str = Field(min_length=1, max_length=rules.MAX_PLACE, description="发生地点")
    happened_on: dt.date = Field(description="发生日期（不晚于今天）")
    unit_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="涉及的执法单位ID；不清楚则不填，由调度单位转办"
    )
    contact_name: str = Field("", max_length=rules.MAX_NAME, description="联系人（选填）")
    contact_phone: str = Field("", max_length=14, description="中国大陆手机号码（选填）")


class ComplaintFiledOut(Schema):
    code: str = Field(description="查询码（12位），凭此查询办理情况")
    unit: str = Field(description="转交的办理单位")
    accept_due_on: dt.date = Field(description="受理期限")


class ComplaintStatusOut(Schema):
    code: str
    status: str = Field(
        description="pending 待受理；accepted 受理；rejected 不予受理；filed 已立案；concluded 办结"
    )
    status_label: str
    unit: str
    filed_on: dt.date
    happened_on: dt.date
    contact_name: str = Field(description="联系人（已部分隐去）")
    contact_phone: str = Field(description="联系电话（已部分隐去）")
    accept_due_on: dt.date
    decided_on: dt.date | None
    reject_reason: str
    result: str
    closed_on: dt.date | None
    lead_no: str = Field(description="立案后的案源编号")


class ComplaintOut(Schema):
    id: int
    code: str
    unit_code: str
    unit_name: str
    chosen: bool = Field(description="投诉人是否选择了单位（否：由调度单位转办）")
    facts: str
    place: str
    happened_on: dt.date
    contact_name: str
    contact_phone: str = Field(description="联系电话（已部分隐去；完整号码见 POST …/phone-reveal）")
    filed_at: dt.datetime
    accept_due_on: dt.date
    overdue: bool = Field(description="受理期限已过而未作受理决定")
    step: str = Field(
        description="complaint_intake 受理审查；complaint_handling 办理；complaint_filed 已立案；"
        "end 已办结"
    )
    status: str
    reject_reason: str
    result: str
    case_id: int | None


class ComplaintRejectIn(Schema):
    reason: str = Field(max_length=rules.MAX_REASON, description="不予受理理由（告知投诉举报人）")


class ComplaintTransferIn(Schema):
    unit_id: int = Field(ge=1, le=2**31 - 1, description="转办的单位ID")


class ComplaintFileIn(Schema):
    parties: list[PartyIn] = Field(min_length=1, max_length=20, description="当事人")
    clue: str = Field("", max_length=2000, description="案源线索（不填则用投诉内容）")
    matter_code: str | None = Field(None, max_length=40, description="权责事项编码")


class ComplaintConcludeIn(Schema):
    result: str = Field(max_length=rules.MAX_REASON, description="办理结果（公开，不写个人信息）")


MAX_PAGE = 10_000
Page = Annotated[int, Field(ge=1, le=MAX_PAGE, description="页码（每页30条）")]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _out(c: Complaint) -> dict[str, Any]:
    from zhifa import clock

    return {
        **{f: getattr(c, f) for f in ComplaintOut.model_fields if hasattr(c, f)},
        "unit_code": c.unit.code,
        "unit_name": c.unit.name,
        # Masked on every read: a read logs nothing (law.personal).
        "contact_phone": mask_phone(c.contact_phone),
        "overdue": c.step == "complaint_intake"
        and rules.accept_overdue(c.accept_due_on, clock.today()),
    }


@router.post(
    "/public",
    auth=None,
    response={201: ComplaintFiledOut, 422: ErrorOut, 429: ErrorOut},
    summary="公众提交投诉举报（无需登录），返回查询码",
    openapi_extra={
        "responses": {
            "429": {
                "description": "提交过于频繁（按网络地址和手机号码计数），未作任何改动",
                "headers": RETRY_AFTER,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
                },
            }
        }
    },
)
def public_file(request: HttpRequest, body: ComplaintPublicIn, response: HttpResponse) -> Any:
    try:
        c = services.complaint_submit(
            unit=body.unit_id,
            facts=body.facts,
            place=body.place,
            happened_on=body.happened_on,
            contact_name=body.contact_name,
            contact_phone=body.contact_phone,
            ip=client_ip(request),
        )
    except services.RateLimited as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, {"errors": [exc.message]})
    return Status(201, {"code": c.code, "unit": c.unit.name, "accept_due_on": c.accept_due_on})


@router.get(
    "/public/{code}",
    auth=None,
    response={200: ComplaintStatusOut, 404: ErrorOut},
    summary="凭查询码查询办理情况（无需登录）",
)
def public_status(request: HttpRequest, code: str) -> Any:
    status = selectors.status_by_code(code[:40])
    if status is None:
        return Status(404, {"errors": ["没有找到该查询码对应的投诉举报"]})
    return status.__dict__


@router.get("", response=list[ComplaintOut], summary="投诉举报队列（本单位，或监督范围内）")
def complaint_list(
    request: HttpRequest,
    status: Annotated[str, Query(description="状态，见ComplaintOut.status", max_length=12)] = "",
    overdue: bool = False,
    page: Page = 1,
) -> Any:
    f = selectors.QueueFilter(status=status, overdue=overdue)
    return [_out(c) for c in selectors.queue_page(_user(request), f, page).rows]


@router.get("/{complaint_id}", response=ComplaintOut, summary="投诉举报详情")
def complaint_get(request: HttpRequest, complaint_id: int) -> Any:
    return _out(selectors.get_complaint_for_user(_user(request), complaint_id))


def _done(request: HttpRequest, complaint_id: int) -> Any:
    # Read again through the access function: a transfer moves it out of the actor's scope.
    c = Complaint.objects.select_related("unit").get(pk=complaint_id)
    return _out(c)


class ContactPhoneOut(Schema):
    contact_phone: str = Field(
        description="投诉举报人完整的联系电话（仅本次应答；已记入个人信息访问日志）"
    )


@router.post(
    "/{complaint_id}/phone-reveal",
    response={200: ContactPhoneOut, 422: ErrorOut},
    summary="显示投诉举报人完整的联系电话（办理单位的受理、办理人员；记入个人信息访问日志）",
)
def complaint_phone_reveal(request: HttpRequest, complaint_id: int) -> Any:
    user = _user(request)
    c = selectors.get_complaint_for_user(user, complaint_id)
    return {"contact_phone": services.contact_phone_reveal(actor=user, complaint_id=c.pk)}


@router.post("/{complaint_id}/accept", response={200: ComplaintOut, 422: ErrorOut}, summary="受理")
def complaint_accept(request: HttpRequest, complaint_id: int) -> Any:
    user = _user(request)
    c = selectors.get_complaint_for_user(user, complaint_id)
    return _done(request, services.complaint_accept(complaint_id=c.pk, actor=user).pk)


@router.post(
    "/{complaint_id}/reject", response={200: ComplaintOut, 422: ErrorOut}, summary="不予受理"
)
def complaint_reject(request: HttpRequest, complaint_id: int, body: ComplaintRejectIn) -> Any:
    user = _user(request)
    c = selectors.get_complaint_for_user(user, complaint_id)
    return _done(
        request, services.complaint_reject(complaint_id=c.pk, actor=user, reason=body.reason).pk
    )


@router.post(
    "/{complaint_id}/transfer", response={200: ComplaintOut, 422: ErrorOut}, summary="转办"
)
def complaint_transfer(request: HttpRequest, complaint_id: int, body: ComplaintTransferIn) -> Any:
    user = _user(request)
    c = selectors.get_complaint_for_user(user, complaint_id)
    done = services.complaint_transfer(complaint_id=c.pk, actor=user, unit_id=body.unit_id)
    return _done(request, done.pk)


@router.post(
    "/{complaint_id}/file",
    response={200: ComplaintOut, 422: ErrorOut},
    summary="立案：登记案源（来源投诉举报），关联案件",
)
def complaint_file(request: HttpRequest, complaint_id: int, body: ComplaintFileIn) -> Any:
    user = _user(request)
    c = selectors.get_complaint_for_user(user, complaint_id)
    done = services.complaint_file(
        complaint_id=c.pk,
        actor=user,
        parties=[p.model_dump() for p in body.parties],
        clue=body.clue,
        matter_code=body.matter_code,
    )
    return _done(request, done.pk)


@router.post(
    "/{complaint_id}/conclude", response={200: ComplaintOut, 422: ErrorOut}, summary="办结"
)
def complaint_conclude(request: HttpRequest, complaint_id: int, body: ComplaintConcludeIn) -> Any:
    user = _user(request)
    c = selectors.get_complaint_for_user(user, complaint_id)
    return _done(
        request, services.complaint_conclude(complaint_id=c.pk, actor=user, result=body.result).pk
    )
