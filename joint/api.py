"""城警联动 over HTTP, for the 智慧勤务 phone app and the 交警客户端 (mounted at /api/joint).

Authentication is the API's (bearer token or session). Reports out of the caller's scope are 404;
refusals are 422 with every reason and change nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from cases.batch import run_batch_by_id
from cases.payloads import BatchIn, BatchOut, ErrorOut
from cases.runner import FieldsRefused
from joint import selectors, services
from joint.documents import notice_pdf
from joint.models import ParkingPhoto, ParkingReport
from law.personal import mask_phone
from orgs.models import User
from procedure.engine import END
from procedure.joint import JOINT_PARKING
from zhifa import clock

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
    owner_claimed_at: dt.datetime | None = Field(
        description="车主通过短信链接确认驶离的时间（待执法人员核实，不据此办结）"
    )
    owner_claim_pending: bool = Field(description="车主的驶离确认等待核实")
    where: str = Field(description="地点（短信、提示单所用的说法，如 东昌路与柳园路路口）")
    first_offence: bool | None
    reject_reason: str
    upload_status: str = Field(description="pending 上传中；sent 已上传；failed 上传失败")
    notice_no: str


class ReviewIn(Schema):
    decision: Literal["approve", "warn", "reject"] = Field(
        description="approve 审核通过上传交管平台；warn 首次违法警告；reject 退回（须填理由）"
    )
    reason: str = Field("", max_length=500)


MAX_PAGE = 10_000  # as the case list: narrow the filters beyond it
PAGE_SIZE = 50
Page = Annotated[int, Field(ge=1, le=MAX_PAGE, description="页码（每页50条）")]
STEP_CODES = (*(s.code for s in JOINT_PARKING.steps), END)


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
    cross_street: Form[str] = "",
    latitude: Form[str] = "",
    longitude: Form[str] = "",
    accuracy: Form[str] = "",
) -> Any:
    r = services.parking_report_submit(
        actor=_user(request),
        plate=plate,
        street=street,
        cross_street=cross_street,
        place=place,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy,
        photos=[services.PhotoIn(f.read(), f.name or "", f.content_type or "") for f in photos],
    )
    return Status(201, _out(r))


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


class ReviewBatchIn(BatchIn):
    decision: Literal["approve", "warn", "reject"] = Field(
        description="approve 审核通过上传交管平台；warn 首次违法警告；reject 退回（须填理由）"
    )
    reason: str = Field("", max_length=500)


@router.post(
    "/reviews/batch",
    response={200: BatchOut, 422: ErrorOut},
    summary="交警批量审核勾选的记录（每条各自办理，被拒绝的列出理由且不作改动）",
)
def report_review_batch(request: HttpRequest, body: ReviewBatchIn) -> Any:
    user = _user(request)
    if body.decision == "reject" and not body.reason.strip():
        raise FieldsRefused({"reason": ["批量退回须填写退回理由"]})

    def act(report_id: int) -> None:
        selectors.review_queued_or_404(user, report_id)
        services.parking_review(
            report_id=report_id, actor=user, decision=body.decision, reason=body.reason
        )

    return run_batch_by_id(body.ids, act)


# --- every action of the pages, for the phone app and the traffic client --------------------------


class ReportPageOut(Schema):
    count: int
    page: int
    items: list[ReportOut]


class PhotoOut(Schema):
    id: int
    kind: str = Field(description="scene 现场取证；departure 驶离；correction 补正")
    content_type: str
    size: int
    sha256: str
    sm3: str
    taken_at: dt.datetime
    url: str = Field(description="照片文件（GET，须同样的认证）")


class TimelineOut(Schema):
    at: dt.datetime
    who: str
    label: str


class ReportDetailOut(ReportOut):
    step_name: str = Field(description="当前环节名称")
    photos: list[PhotoOut]
    timeline: list[TimelineOut] = Field(description="全过程记录（中文）")


class ReasonIn(Schema):
    reason: str = Field(max_length=500, description="撤回理由")


class FailingOut(Schema):
    id: int
    channel: str
    recipient: str = Field(description="收件人（短信的手机号码已遮蔽，如 139****0002）")
    status: str
    attempts: int
    last_error: str
    report_id: int | None


class DayCountsOut(Schema):
    reminders: int = Field(description="提醒（上报）数")
    drive_aways: int = Field(description="驶离不罚")
    warnings: int = Field(description="首违警告")
    penalties: int = Field(description="上传处罚")
    waiting: int = Field(description="限时驶离中")
    in_review: int = Field(description="审核中（含退回补正）")
    rate: str = Field(description="处罚率")


class StreetRowOut(DayCountsOut):
    street: str


class OfficerRowOut(DayCountsOut):
    officer_name: str
    officer_username: str


class DashboardOut(Schema):
    day: dt.date
    total: DayCountsOut
    streets: list[StreetRowOut]
    officers: list[OfficerRowOut]
    failing: list[FailingOut] = Field(description="发送失败的消息")


def _step_name(r: ParkingReport) -> str:
    return "已办结" if r.step == END else JOINT_PARKING.step(r.step).name


def _photo(p: ParkingPhoto) -> dict[str, Any]:
    return {
        **{f: getattr(p, f) for f in ("id", "kind", "content_type", "size", "sha256", "sm3")},
        "taken_at": p.taken_at,
        "url": f"/api/joint/photos/{p.pk}",
    }


def _detail(r: ParkingReport) -> dict[str, Any]:
    return {
        **_out(r),
        "step_name": _step_name(r),
        "photos": [_photo(p) for p in r.photos.order_by("id")],
        "timeline": [
            {"at": t["at"], "who": t["who"], "label": t["label"]} for t in selectors.timeline(r)
        ],
    }


@router.get("/reports", response=ReportPageOut, summary="本人数据范围内的违停记录（分页）")
def report_list(
    request: HttpRequest,
    step: Annotated[
        Literal[STEP_CODES] | None,  # type: ignore[valid-type]
        Field(description="按环节筛选：park_window、park_review、park_correct、park_notice、end"),
    ] = None,
    page: Page = 1,
) -> Any:
    qs = selectors.reports_for_user(_user(request)).order_by("-reported_at", "-id")
    if step:
        qs = qs.filter(step=step)
    rows = qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {"count": qs.count(), "page": page, "items": [_out(r) for r in rows]}


@router.get(
    "/reports/{report_id}",
    response=ReportDetailOut,
    summary="违停记录：照片（地址和指纹）与全过程记录",
)
def report_get(request: HttpRequest, report_id: int) -> Any:
    return _detail(selectors.get_report_for_user(_user(request), report_id))


@router.get(
    "/photos/{photo_id}",
    summary="违停记录的照片文件",
    openapi_extra={
        "responses": {
            200: {
                "description": "照片（JPEG、PNG或WebP）",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in services.PHOTO_MAGIC
                },
            }
        }
    },
)
def photo_get(request: HttpRequest, photo_id: int) -> Any:
    row = selectors.get_photo_for_user(_user(request), photo_id)
    return FileResponse(row.file.open("rb"), content_type=row.content_type)


def _act(request: HttpRequest, report_id: int, fn: Any, **kwargs: Any) -> dict[str, Any]:
    """The page's action: the report through the access function, then its one service."""
    user = _user(request)
    report = selectors.get_report_for_user(user, report_id)
    fn(report_id=report.pk, actor=user, **kwargs)
    return _detail(selectors.get_report_for_user(user, report.pk))


def _photo_in(f: UploadedFile) -> services.PhotoIn:
    return services.PhotoIn(f.read(), f.name or "", f.content_type or "")


class OwnerPhoneOut(Schema):
    phones: list[str] = Field(
        description="车主完整的手机号码（仅本次应答；已记入个人信息访问日志）"
    )


@router.post(
    "/reports/{report_id}/owner-phone",
    response={200: OwnerPhoneOut, 422: ErrorOut},
    summary="显示车主完整的手机号码（取证的执法人员；记入个人信息访问日志）",
)
def owner_phone_reveal(request: HttpRequest, report_id: int) -> Any:
    user = _user(request)
    report = selectors.get_report_for_user(user, report_id)
    return {"phones": services.owner_phone_reveal(actor=user, report_id=report.pk)}


@router.post(
    "/reports/{report_id}/drive-away",
    response={200: ReportDetailOut, 422: ErrorOut},
    summary="确认已驶离，不予处罚：附驶离后的现场照片，或不附照片以核实车主的驶离确认",
)
def drive_away(
    request: HttpRequest, report_id: int, photo: File[UploadedFile | None] = None
) -> Any:
    return _act(
        request,
        report_id,
        services.parking_drive_away,
        photo=_photo_in(photo) if photo is not None else None,
    )


class ClaimRejectIn(Schema):
    reason: str = Field(max_length=500, description="核实未驶离的情况（必填）")


@router.post(
    "/reports/{report_id}/claim-reject",
    response={200: ReportDetailOut, 422: ErrorOut},
    summary="核实车主的驶离确认：车辆仍在，不采纳（期限已过的转交警审核）",
)
def claim_reject(request: HttpRequest, report_id: int, body: ClaimRejectIn) -> Any:
    return _act(request, report_id, services.parking_claim_reject, reason=body.reason)


@router.post(
    "/reports/{report_id}/resubmit",
    response={200: ReportDetailOut, 422: ErrorOut},
    summary="退回补正后重新提交交警审核（可补充照片）",
)
def resubmit(
    request: HttpRequest,
    report_id: int,
    note: Annotated[str, Form(max_length=500, description="补正说明")] = "",
    photos: File[list[UploadedFile] | None] = None,
) -> Any:
    return _act(
        request,
        report_id,
        services.parking_resubmit,
        note=note,
        photos=[_photo_in(f) for f in photos or []],
    )


@router.post(
    "/reports/{report_id}/withdraw",
    response={200: ReportDetailOut, 422: ErrorOut},
    summary="退回补正后撤回（须填理由）",
)
def withdraw(request: HttpRequest, report_id: int, body: ReasonIn) -> Any:
    return _act(request, report_id, services.parking_withdraw, reason=body.reason)


@router.post(
    "/reports/{report_id}/posted",
    response={200: ReportDetailOut, 422: ErrorOut},
    summary="已张贴《违法停车提示单》，告知程序完成",
)
def posted(request: HttpRequest, report_id: int) -> Any:
    return _act(request, report_id, services.parking_notice_posted)


@router.post(
    "/reports/{report_id}/upload-retry",
    response={200: ReportDetailOut, 422: ErrorOut},
    summary="重新上传交管平台（上传失败后由审核单位的交警审核员办理）",
)
def upload_retry(request: HttpRequest, report_id: int) -> Any:
    return _act(request, report_id, services.parking_upload_retry)


@router.post(
    "/reports/{report_id}/notice/print",
    response={422: ErrorOut},
    summary="打印《违法停车提示单》（每次打印记入全过程记录，应答PDF）",
    openapi_extra={
        "responses": {
            200: {
                "description": "《违法停车提示单》PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def notice_print(request: HttpRequest, report_id: int) -> Any:
    user = _user(request)
    report = selectors.get_report_for_user(user, report_id)
    report = services.parking_notice_print(report_id=report.pk, actor=user)
    response = HttpResponse(notice_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{report.notice_no}.pdf"'
    return response


@router.get(
    "/failed-uploads",
    response=list[ReportOut],
    summary="上传交管平台失败的违停记录（待重新上传）",
)
def failed_uploads(request: HttpRequest) -> Any:
    return [_out(r) for r in selectors.failed_uploads(_user(request)).order_by("id")[:50]]


def _failing(m: Any) -> dict[str, Any]:
    fields = ("id", "channel", "status", "attempts", "last_error")
    report_id = m.payload.get("report_id") if isinstance(m.payload, dict) else None
    # An owner's phone is masked (law.personal): the list is for retrying, not for calling.
    recipient = mask_phone(m.recipient) if m.channel == "sms" else m.recipient
    return {
        **{f: getattr(m, f) for f in fields},
        "recipient": recipient,
        "report_id": report_id if isinstance(report_id, int) else None,
    }


def _counts(row: dict[str, Any]) -> dict[str, Any]:
    return {f: row[f] for f in DayCountsOut.model_fields}


@router.get("/dashboard", response=DashboardOut, summary="当日工作量：按街道、按队员的处罚率")
def dashboard(
    request: HttpRequest,
    day: Annotated[dt.date | None, Query(description="日期（默认今天）")] = None,
) -> Any:
    board = selectors.dashboard(_user(request), day or clock.today())
    return {
        "day": board["day"],
        "total": _counts(board["total"]),
        "streets": [{**_counts(r), "street": r["street"]} for r in board["streets"]],
        "officers": [
            {
                **_counts(r),
                "officer_name": r["officer__full_name"] or "",
                "officer_username": r["officer__username"],
            }
            for r in board["officers"]
        ],
        "failing": [_failing(m) for m in board["failing"]],
    }
