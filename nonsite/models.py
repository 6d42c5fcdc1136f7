"""非现场执法 (治超): weigh-in-motion stations, their devices and reviews, and their records."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from cases.models import Case
from orgs.models import Unit


class NonsiteRule(models.Model):
    """Per-jurisdiction settings of the overload check (a region and the regions below it).

    `tolerance_pct`: the measuring tolerance the jurisdiction's rules allow for its certified
    weigh-in-motion scales. There is deliberately no national default: with no row the tolerance
    is 0 (the statutory figures exactly). `red_pct`: the overload (percent of the limit) from which
    a record is flagged red rather than yellow. `duplicate_minutes`: records of the same plate at
    the same station within this many minutes are one passage.
    """

    region_code = models.CharField("行政区划代码", max_length=6, unique=True)
    tolerance_pct = models.DecimalField("允许误差（%）", max_digits=5, decimal_places=2)
    red_pct = models.DecimalField("红色预警超限率（%）", max_digits=5, decimal_places=2)
    duplicate_minutes = models.PositiveSmallIntegerField("重复通行判定（分钟）")
    source = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "治超检测规则"


DEFAULT_TOLERANCE_PCT = Decimal("0")
DEFAULT_RED_PCT = Decimal("30")
DEFAULT_DUPLICATE_MINUTES = 5


class Station(models.Model):
    code = models.CharField("站点编号", max_length=30, unique=True)
    name = models.CharField("站点名称", max_length=100)
    road = models.CharField("路线", max_length=100, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="stations")
    lanes = models.PositiveSmallIntegerField("车道数", default=2)
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the station's key
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "治超非现场执法站点"

    def __str__(self) -> str:
        return self.name


class Device(models.Model):
    """An electronic monitoring device of a station (行政处罚法第四十一条)."""

    class Kind(models.TextChoices):
        SCALE = "scale", "动态称重设备"
        CAMERA = "camera", "抓拍设备"

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="devices")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    serial = models.CharField("设备编号", max_length=50, unique=True)
    model = models.CharField("型号", max_length=50, blank=True)
    calibrated_until = models.DateField("计量检定有效期至", null=True, blank=True)

    class Meta:
        verbose_name = "电子技术监控设备"

    def __str__(self) -> str:
        return self.serial


class DeviceReview(models.Model):
    """法制和技术审核 of a device before its records are used (行政处罚法第四十一条第一款)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("审核日期")
    valid_until = models.DateField("有效期至")
    legal_ok = models.BooleanField("法制审核通过")
    technical_ok = models.BooleanField("技术审核通过")
    opinion = models.TextField("审核意见")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "设备法制和技术审核"
        ordering = ("-reviewed_on", "-id")

    @property
    def passed(self) -> bool:
        return self.legal_ok and self.technical_ok


class WimRecord(models.Model):
    class Status(models.TextChoices):
        PASSED = "passed", "未超限"
        QUEUED = "queued", "待审核"
        DUPLICATE = "duplicate", "重复记录"
        UNUSABLE = "unusable", "设备未审核，不作证据"
        CONFIRMED = "confirmed", "已确认立案"
        DISMISSED = "dismissed", "已排除"

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="records")
    record_no = models.CharField("设备记录号", max_length=60)
    lane = models.PositiveSmallIntegerField("车道")
    passed_at = models.DateTimeField("通行时间")
    passed_on = models.DateField("通行日期")  # local date, for the station's figures
    plate = models.CharField("车牌", max_length=10)
    plate_valid = models.BooleanField()
    vehicle_type = models.CharField("车型", max_length=12)
    axles = models.PositiveSmallIntegerField("轴数")
    single_drive_axle = models.BooleanField(default=False)
    gross_kg = models.PositiveIntegerField("车货总质量（千克）")
    speed_kmh = models.DecimalField("车速", max_digits=5, decimal_places=1)
    images = models.JSONField("图像", default=list)
    limit_kg = models.PositiveIntegerField("限定标准（千克）")
    allowed_kg = models.PositiveIntegerField("含误差限值（千克）")
    over_kg = models.IntegerField("超限（千克）")
    over_pct = models.DecimalField("超限率（%）", max_digits=7, decimal_places=2)
    flag = models.CharField(max_length=6, blank=True)
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.PROTECT)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    received_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField("排除理由", blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT)
    party_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "动态称重检测记录"
        constraints = [
            models.UniqueConstraint(fields=("station", "record_no"), name="uniq_wim_record_no")
        ]
        indexes = [
            models.Index(fields=("station", "plate", "passed_at")),
            models.Index(fields=("station", "passed_on")),
        ]

    @property
    def stream(self) -> str:
        return f"wim:{self.pk}"


class WimPhoto(models.Model):
    """A photo the station sent with a record (plate, side, rear): kept as an evidence file,
    with its SHA-256 and SM3 fingerprints taken over its bytes, and judged by its content."""

    record = models.ForeignKey(WimRecord, on_delete=models.CASCADE, related_name="photos")
    index = models.PositiveSmallIntegerField("序号")
    name = models.CharField("名称", max_length=60, blank=True)
    file = models.FileField(upload_to="wim/%Y/%m/")
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64)
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = "检测图像"
        ordering = ("record", "index")
        constraints = [
            models.UniqueConstraint(fields=("record", "index"), name="uniq_wim_photo_index")
        ]
