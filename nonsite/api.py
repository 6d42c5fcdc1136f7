"""非现场执法 over HTTP (mounted at /api/nonsite).

The ingest of the weigh-in-motion stations: POST /api/nonsite/records. Each station
authenticates with its own key in the `X-Station-Key` header (only the key's SHA-256 is stored).
A station posts its records in batches of up to 500; a batch is stored whole or refused whole
(422 with every reason), and resending a batch stores nothing twice.

The officers' actions of the pages (the review queue, a record, its review, a device's review)
authenticate as the rest of the API (bearer token or session); out of scope is 404.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.security import APIKeyHeader
from pydantic import field_validator

from cases.batch import run_batch_by_id
from cases.payloads import BatchIn, BatchOut, ErrorOut
from cases.runner import FieldsRefused
from nonsite import limits, selectors, services
from nonsite.models import DeviceReview, Station, WimPhoto, WimRecord
from nonsite.services import MAX_BATCH, key_hash, wim_ingest
from orgs.models import User
from procedure.engine import Refused


class StationKey(APIKeyHeader):
    param_name = "X-Station-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Station | None:
        if not key:
            return None
        station = (
            Station.objects.select_related("unit", "unit__region")
            .filter(key_hash=key_hash(key), active=True)
            .first()
        )
        return station


router = Router(tags=["非现场执法"])


# A photo's base64 text: 4 characters for every 3 bytes of the largest photo kept.
MAX_PHOTO_BASE64 = (services.MAX_PHOTO_BYTES + 2) // 3 * 4


class WimPhotoIn(Schema):
    name: str = Field("", max_length=60, description="图像名称（如 车牌、侧面、车尾），可空")
    content_base64: str = Field(
        min_length=4,
        max_length=MAX_PHOTO_BASE64,
        description=f"图像内容（base64，JPEG 或 PNG，按内容识别，不超过"
        f"{services.MAX_PHOTO_BYTES // 1024}KB）",
    )

    @field_validator("content_base64")
    @classmethod
    def _decodes(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("不是有效的base64编码") from None
        return value

    def photo(self) -> services.PhotoIn:
        return services.PhotoIn(base64.b64decode(self.content_base64), self.name)


class WimRecordIn(Schema):
    record_no: str = Field(
        min_length=1, max_length=60, description="设备记录号（站内唯一，重发不重复入库）"
    )
    lane: int = Field(ge=1, le=20, description="车道号")
    passed_at: dt.datetime = Field(description="通行时间（ISO 8601，须带时区）")
    plate: str = Field(max_length=12, description="车牌号码；未识别时填“未识别”")
    vehicle_type: Literal["truck", "combination"] = Field(
        description="truck 货车；combination 汽车列车"
    )
    axles: int = Field(ge=2, le=12, description="轴数")
    single_drive_axle: bool = Field(False, description="六轴及以上汽车列车的牵引车驱动轴为单轴")
    gross_kg: int = Field(ge=0, description="车货总质量（千克）")
    speed_kmh: Decimal = Field(ge=0, le=300, description="车速（千米/小时）")
    images: list[str] = Field(
        default_factory=list, max_length=10, description="图像引用（地址或编号）"
    )
    photos: list[WimPhotoIn] = Field(
        default_factory=list,
        max_length=services.MAX_PHOTOS,
        description="检测图像本身（作为证据文件保存，计算SHA-256和SM3）。整个请求不超过2.5MB："
        "较大的图像请在记录上传后用 POST /api/nonsite/records/{record_no}/photos 逐条上传",
    )


class IngestIn(Schema):
    records: list[WimRecordIn] = Field(min_length=1, max_length=MAX_BATCH)


class RecordResult(Schema):
    record_no: str
    id: int
    status: str = Field(
        description="passed 未超限；queued 待审核；duplicate 重复通行；unusable 设备未审核；"
        "repeated 已接收过"
    )
    flag: str = Field("", description="yellow 黄色；red 红色；空为未超限")
    duplicate_of: int | None = None


class IngestOut(Schema):
    accepted: int
    repeated: int
    flagged: int
    duplicates: int
    records: list[RecordResult]


@router.post(
    "/records",
    auth=StationKey(),
    response={200: IngestOut, 422: ErrorOut},
    summary="动态称重检测记录上传（站点密钥认证）",
)
def ingest(request: HttpRequest, body: IngestIn) -> Any:
    station = getattr(request, "auth", None)
    assert isinstance(station, Station)
    records = [
        {**r.model_dump(exclude={"photos"}), "photos": [p.photo() for p in r.photos]}
        for r in body.records
    ]
    result = wim_ingest(station=station, records=records)
    return result.__dict__


class WimPhotoOut(Schema):
    id: int
    index: int = Field(description="序号")
    name: str
    content_type: str = Field(description="按内容识别的类型：image/jpeg 或 image/png")
    size: int
    sha256: str
    sm3: str


@router.post(
    "/records/{record_no}/photos",
    auth=StationKey(),
    response={200: list[WimPhotoOut], 422: ErrorOut},
    summary="检测记录的图像上传（multipart，站点密钥认证；重发不重复保存）",
)
def photos_upload(request: HttpRequest, record_no: str, photos: File[list[UploadedFile]]) -> Any:
    station = getattr(request, "auth", None)
    assert isinstance(station, Station)
    big = [f for f in photos if (f.size or 0) > services.MAX_PHOTO_BYTES]
    if big:
        raise Refused([f"图像超过{services.MAX_PHOTO_BYTES // 1024}KB"])
    given = [services.PhotoIn(f.read(), (f.name or "")[:60]) for f in photos]
    kept = services.wim_photos_add(station=station, record_no=record_no[:60], photos=given)
    return [_photo(p) for p in kept]


def _photo(p: WimPhoto) -> dict[str, Any]:
    return {
        f: getattr(p, f) for f in ("id", "index", "name", "content_type", "size", "sha256", "sm3")
    }


# --- the officers' pages, action for action ---------------------------------------------------

MAX_PAGE = 10_000  # as the case list: narrow the filters beyond it
PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class WimRecordOut(Schema):
    id: int
    record_no: str
    station_id: int
    station_name: str
    lane: int
    passed_at: dt.datetime
    plate: str
    vehicle_type: str = Field(description="truck 货车；combination 汽车列车")
    axles: int
    gross_kg: int
    limit_kg: int = Field(description="限定标准（千克）")
    allowed_kg: int = Field(description="含允许误差的限值（千克）")
    over_kg: int
    over_pct: Decimal = Field(description="超限率（%）")
    flag: str = Field(description="yellow 黄色；red 红色；空为未超限")
    status: str = Field(
        description="passed 未超限；queued 待审核；duplicate 重复记录；unusable 设备未审核；"
        "confirmed 已确认立案；dismissed 已排除"
    )
    status_name: str


class ImageOut(Schema):
    ref: str = Field(description="站点上传的图像引用（地址或编号），原样给出")
    url: str | None = Field(description="可直接打开的地址（引用为 http(s) 地址时），否则为空")


class RecordPhotoOut(Schema):
    index: int
    name: str
    content_type: str
    size: int
    sha256: str
    sm3: str
    url: str = Field(description="图像地址（登录后、在数据范围内可打开）")


class WimRecordDetailOut(WimRecordOut):
    configuration: str = Field(description="车型（轴数与类型）")
    flag_name: str
    speed_kmh: Decimal
    images: list[ImageOut] = Field(description="站点给出的图像引用")
    photos: list[RecordPhotoOut] = Field(description="站点上传的检测图像（证据文件）")
    device_serial: str | None
    device_problems: list[str] = Field(description="设备审核、检定的问题；空为可作证据")
    duplicate_of: int | None = Field(description="重复通行时首条记录的编号")
    reviewed_by: str
    reviewed_at: dt.datetime | None
    reason: str = Field(description="排除理由")
    case_id: int | None
    lead_no: str | None = Field(description="确认超限后登记的案源编号")
    citation: str = Field(description="限定标准的依据")


class WimPageOut(Schema):
    count: int
    page: int
    items: list[WimRecordOut]


class OwnerIn(Schema):
    kind: Literal["person", "organisation"] = Field(
        description="person 公民；organisation 法人或其他组织"
    )
    name: str = Field(min_length=1, max_length=100, description="姓名或名称")
    id_number: str = Field(
        min_length=1, max_length=18, description="身份证号码或统一社会信用代码（校验码核对）"
    )
    phone: str = Field("", max_length=11, description="手机号码（选填，11位）")
    address: str = Field("", max_length=200, description="住址（选填）")


class WimReviewIn(Schema):
    decision: Literal["confirm", "dismiss"] = Field(
        description="confirm 确认超限，登记案源并告知当事人；dismiss 排除（须填理由）"
    )
    reason: str = Field("", max_length=2000, description="排除理由")
    owner: OwnerIn | None = Field(
        None,
        description="车辆所有人（仅当车辆登记信息中查不到时由执法人员手工登记；查得到时不用）",
    )


class DeviceReviewIn(Schema):
    reviewed_on: dt.date = Field(description="审核日期（不晚于今天）")
    valid_until: dt.date = Field(description="审核有效期至（晚于审核日期）")
    legal_ok: bool = Field(description="法制审核通过")
    technical_ok: bool = Field(description="技术审核通过")
    opinion: str = Field(max_length=2000, description="审核意见")


class DeviceReviewOut(Schema):
    id: int
    device_id: int
    serial: str
    reviewed_on: dt.date
    valid_until: dt.date
    legal_ok: bool
    technical_ok: bool
    passed: bool
    opinion: str
    reviewer: str
    device_problems: list[str] = Field(description="审核后设备今天仍有的问题；空为可作证据")


def _record(r: WimRecord) -> dict[str, Any]:
    fields = (
        *("id", "record_no", "station_id", "lane", "passed_at", "plate", "vehicle_type"),
        *("axles", "gross_kg", "limit_kg", "allowed_kg", "over_kg", "over_pct", "flag"),
    )
    return {
        **{f: getattr(r, f) for f in fields},
        "station_name": r.station.name,
        "status": r.status,
        "status_name": r.get_status_display(),
    }


def _image(ref: Any) -> dict[str, Any]:
    text = str(ref)
    return {"ref": text, "url": text if text.startswith(("http://", "https://")) else None}


def _record_detail(r: WimRecord) -> dict[str, Any]:
    problems = selectors.device_state(r.device, r.passed_on) if r.device else ["无设备"]
    return {
        **_record(r),
        "configuration": limits.configuration_label(r.axles, limits.VehicleType(r.vehicle_type)),
        "flag_name": limits.FLAG_LABELS[limits.Flag(r.flag)],
        "speed_kmh": r.speed_kmh,
        "images": [_image(i) for i in r.images or []],
        "photos": [
            {
                **{f: getattr(p, f) for f in ("index", "name", "content_type", "size")},
                **{f: getattr(p, f) for f in ("sha256", "sm3")},
                "url": reverse("nonsite-photo", args=(r.pk, p.index)),
            }
            for p in r.photos.all()
        ],
        "device_serial": r.device.serial if r.device else None,
        "device_problems": problems,
        "duplicate_of": r.duplicate_of_id,
        "reviewed_by": str(r.reviewed_by) if r.reviewed_by else "",
        "reviewed_at": r.reviewed_at,
        "reason": r.reason,
        "case_id": r.case_id,
        "lead_no": r.case.lead_no if r.case else None,
        "citation": limits.CITATION,
    }


@router.get("/queue", response=WimPageOut, summary="待审核的超限检测记录（本人数据范围内，分页）")
def queue(
    request: HttpRequest,
    page: Annotated[int, Field(ge=1, le=MAX_PAGE, description="页码（每页50条）")] = 1,
) -> Any:
    qs = selectors.review_queue(_user(request))
    rows = qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {"count": qs.count(), "page": page, "items": [_record(r) for r in rows]}


@router.get(
    "/records/{record_id}",
    response=WimRecordDetailOut,
    summary="检测记录：称重数据、图像、设备审核情况",
)
def record_get(request: HttpRequest, record_id: int) -> Any:
    return _record_detail(selectors.get_record_for_user(_user(request), record_id))


@router.post(
    "/records/{record_id}/review",
    response={200: WimRecordDetailOut, 422: ErrorOut},
    summary="审核检测记录：确认超限（登记案源并告知当事人）或排除",
)
def record_review(request: HttpRequest, record_id: int, body: WimReviewIn) -> Any:
    user = _user(request)
    rec = selectors.get_record_for_user(user, record_id)
    if body.decision == "confirm":
        owner = body.owner.model_dump() if body.owner is not None else None
        services.wim_record_confirm(record_id=rec.pk, actor=user, owner=owner)
    else:
        services.wim_record_dismiss(record_id=rec.pk, actor=user, reason=body.reason)
    return _record_detail(selectors.get_record_for_user(user, rec.pk))


class WimReviewBatchIn(BatchIn):
    decision: Literal["confirm", "dismiss"] = Field(
        description="confirm 确认超限，登记案源并告知当事人；dismiss 排除（须填理由）"
    )
    reason: str = Field("", max_length=2000, description="排除理由")


@router.post(
    "/queue/batch",
    response={200: BatchOut, 422: ErrorOut},
    summary="批量确认或排除勾选的检测记录（每条各自办理，被拒绝的列出理由且不作改动）",
)
def record_review_batch(request: HttpRequest, body: WimReviewBatchIn) -> Any:
    user = _user(request)
    if body.decision == "dismiss" and not body.reason.strip():
        raise FieldsRefused({"reason": ["批量排除须填写排除理由"]})

    def act(record_id: int) -> None:
        rec = selectors.get_record_for_user(user, record_id)
        if body.decision == "confirm":
            services.wim_record_confirm(record_id=rec.pk, actor=user)
        else:
            services.wim_record_dismiss(record_id=rec.pk, actor=user, reason=body.reason)

    return run_batch_by_id(body.ids, act)


@router.post(
    "/devices/{device_id}/review",
    response={201: DeviceReviewOut, 422: ErrorOut},
    summary="登记设备的法制和技术审核（《行政处罚法》第四十一条）",
)
def device_review(request: HttpRequest, device_id: int, body: DeviceReviewIn) -> Any:
    user = _user(request)
    device = selectors.get_device_for_user(user, device_id)
    review: DeviceReview = services.device_review_record(
        device_id=device.pk, actor=user, **body.model_dump()
    )
    return Status(
        201,
        {
            **{f: getattr(review, f) for f in ("id", "device_id", "reviewed_on", "valid_until")},
            **{f: getattr(review, f) for f in ("legal_ok", "technical_ok", "passed", "opinion")},
            "serial": device.serial,
            "reviewer": str(review.reviewer),
            "device_problems": selectors.device_state(device),
        },
    )


class StationOut(Schema):
    id: int
    code: str
    name: str
    road: str
    unit_name: str
    lanes: int


class DeviceReviewEntryOut(Schema):
    id: int
    reviewed_on: dt.date
    valid_until: dt.date
    legal_ok: bool
    technical_ok: bool
    opinion: str
    reviewer: str


class DeviceOut(Schema):
    id: int
    kind: str = Field(description="scale 动态称重设备；camera 抓拍设备")
    serial: str
    model: str
    calibrated_until: dt.date | None = Field(description="计量检定有效期至")
    problems: list[str] = Field(description="今天不能作为证据的理由；空为审核有效")
    reviews: list[DeviceReviewEntryOut] = Field(description="法制和技术审核（新的在前）")


class DayOut(Schema):
    day: dt.date
    total: int = Field(description="通行（不含重复）")
    over: int = Field(description="超限")
    rate: float = Field(description="超限率（%）")


class RuleOut(Schema):
    tolerance_pct: Decimal
    red_pct: Decimal
    duplicate_minutes: int
    source: str


class StationDetailOut(StationOut):
    total: int = Field(description="近90日检测车辆（不含重复）")
    rate: str = Field(description="近90日超限率")
    series: list[DayOut] = Field(description="近90日每日通行量与超限率")
    rule: RuleOut = Field(description="检测规则")
    devices: list[DeviceOut] = Field(description="电子技术监控设备（《行政处罚法》第四十一条）")


def _station(s: Station) -> dict[str, Any]:
    return {
        **{f: getattr(s, f) for f in ("id", "code", "name", "road", "lanes")},
        "unit_name": s.unit.name,
    }


@router.get("/stations", response=list[StationOut], summary="本人数据范围内的治超站点")
def station_list(request: HttpRequest) -> Any:
    rows = selectors.stations_for_user(_user(request)).select_related("unit").order_by("code")
    return [_station(s) for s in rows[:500]]


@router.get(
    "/stations/{station_id}",
    response=StationDetailOut,
    summary="站点：通行量与超限率、检测规则、设备及其法制和技术审核",
)
def station_get(request: HttpRequest, station_id: int) -> Any:
    station = selectors.get_station_for_user(_user(request), station_id)
    series = selectors.station_series(station)
    total, over = sum(r["total"] for r in series), sum(r["over"] for r in series)
    devices = []
    for d in station.devices.order_by("id").prefetch_related("reviews", "reviews__reviewer"):
        reviews = [
            {
                **{f: getattr(rv, f) for f in ("id", "reviewed_on", "valid_until", "opinion")},
                **{f: getattr(rv, f) for f in ("legal_ok", "technical_ok")},
                "reviewer": str(rv.reviewer),
            }
            for rv in d.reviews.all()
        ]
        devices.append(
            {
                **{f: getattr(d, f) for f in ("id", "kind", "serial", "model", "calibrated_until")},
                "problems": selectors.device_state(d),
                "reviews": reviews,
            }
        )
    return {
        **_station(station),
        "total": total,
        "rate": f"{100 * over / total:.2f}%" if total else "—",
        "series": series,
        "rule": services.rule_for(station.unit).__dict__,
        "devices": devices,
    }
