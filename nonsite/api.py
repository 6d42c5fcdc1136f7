"""The ingest API of the weigh-in-motion stations: POST /api/nonsite/records.

Each station authenticates with its own key in the `X-Station-Key` header (only the key's SHA-256
is stored). A station posts its records in batches of up to 500; a batch is stored whole or
refused whole (422 with every reason), and resending a batch stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import APIKeyHeader

from cases.payloads import ErrorOut
from nonsite.models import Station
from nonsite.services import MAX_BATCH, key_hash, wim_ingest


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


class RecordIn(Schema):
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


class IngestIn(Schema):
    records: list[RecordIn] = Field(min_length=1, max_length=MAX_BATCH)


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
    result = wim_ingest(station=station, records=[r.model_dump() for r in body.records])
    return result.__dict__
