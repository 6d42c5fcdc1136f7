"""城警联动 over HTTP, for the 智慧勤务 phone app and the 交警客户端 (mounted at /api/joint).

Authentication is the API's (bearer token or session). Reports out of the caller's scope are 404;
refusals are 422 with every reason and change nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from cases.payloads import ErrorOut
from joint import selectors, services
from joint.models import ParkingReport
from orgs.models import User

router = Router(tags=["城警联动"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class ReportOut(Schema):
    id: int
    plate: str
    plate_kind: str = Field(description="ordinary 普通号牌；new_energy 新能源号牌")
    street: str
    place: str
    latitude: float | None
    longitude: float | None
    reported_at: dt.datetime
    window_ends_at: dt.datetime = Field(description="限时驶离期限")
    step: str = Field(
        description="park_window 限时驶离；park_review 交警审核；park_correct 退回补正；"
        "park_notice 张贴提示单；end 已办结"
    )
    outcome: str = Field(
        description="no_penalty 驶离不罚；warning 首违警告；penalty 上传处罚；withdrawn"
    )
    owner_found: bool
    first_offence: bool | None
    reject_reason: str
    upload_status: str = Field(description="pending 上传中；sent 已上传；failed 上传失败")
    notice_no: str


class ReviewIn(Schema):
    decision: Literal["approve", "warn", "reject"] = Field(
        description="approve 审核通过上传交管平台；warn 首次违法警告；reject 退回（须填理由）"
    )
    reason: str = Field("", max_length=500)


def _out(r: ParkingReport) -> dict[str, Any]:
    return {
        **{f: getattr(r, f) for f in ReportOut.model_fields if hasattr(r, f)},
        "latitude": float(r.latitude) if r.latitude is not None else None,
        "longitude": float(r.longitude) if r.longitude is not None else None,
    }


@router.post(
    "/reports",
    response={201: ReportOut, 422: ErrorOut},
    summary="现场取证上报（至少两张照片），短信提醒车主并开始限时驶离计时",
)
def report_submit(
    request: HttpRequest,
    plate: Form[str],
    street: Form[str],
    photos: File[list[UploadedFile]],
    place: Form[str] = "",
    latitude: Form[str] = "",
    longitude: Form[str] = "",
    accuracy: Form[str] = "",
) -> Any:
    r = services.parking_report_submit(
        actor=_user(request),
        plate=plate,
        street=street,
        place=place,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy,
        photos=[services.PhotoIn(f.read(), f.name or "", f.content_type or "") for f in photos],
    )
    return Status(201, _out(r))


@router.get("/reports/{report_id}", response=ReportOut, summary="违停记录")
def report_get(request: HttpRequest, report_id: int) -> Any:
    return _out(selectors.get_report_for_user(_user(request), report_id))


@router.get("/review-queue", response=list[ReportOut], summary="交警审核队列（本单位待审核）")
def review_queue(request: HttpRequest) -> Any:
    return [_out(r) for r in selectors.review_queue(_user(request))[:500]]


@router.post(
    "/reports/{report_id}/review",
    response={200: ReportOut, 422: ErrorOut},
    summary="交警审核：通过上传、首违警告或退回",
)
def report_review(request: HttpRequest, report_id: int, body: ReviewIn) -> Any:
    user = _user(request)
    r = selectors.get_report_for_user(user, report_id)
    r = services.parking_review(
        report_id=r.pk, actor=user, decision=body.decision, reason=body.reason
    )
    return _out(r)
