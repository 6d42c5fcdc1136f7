"""城警联动 illegal-parking reports.

A parking report is its own record, not a Case: the joint team files about 900 a day (seed 002:
113,278 reminders in 128 days) and three in four end with the car driven away and no penalty; the
penalty itself is decided by the traffic police on their own platform. It is still run by the one
procedure engine (procedure/joint.py) and every action is on its ledger stream "parking:<id>".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from orgs.models import Unit
from zhifa.fields import EncryptedCharField


class Vehicle(models.Model):
    """The local vehicle registry (demo and tests): what the 车管 registry answers for a plate."""

    plate = models.CharField("号牌号码", max_length=10, unique=True)
    vehicle_type = models.CharField("车辆类型", max_length=30, blank=True)
    owner_kind = models.CharField("所有人类型", max_length=12)  # person | organisation
    owner_name = models.CharField("所有人", max_length=100)
    # SM4-encrypted (zhifa.fields): read by plate, never searched by number.
    owner_id_number = EncryptedCharField("证件号码", plain_length=18)
    owner_phone = EncryptedCharField("手机号", plain_length=20, blank=True)
    owner_address = models.CharField("住址", max_length=200, blank=True)

    class Meta:
        verbose_name = "机动车登记信息（本地）"


class JointTeam(models.Model):
    """A unit whose officers file parking reports, and the traffic-police unit that reviews them
    (seed 004: 市城管局 26 and 市公安局 36 officers in one joint team)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="joint_team")
    review_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "城警联动队伍"


class ParkingReport(models.Model):
    class Outcome(models.TextChoices):
        NO_PENALTY = "no_penalty", "限时驶离，不予处罚"
        WARNING = "warning", "首违警告"
        PENALTY = "penalty", "上传交管平台处罚"
        WITHDRAWN = "withdrawn", "撤回"

    class Upload(models.TextChoices):
        NONE = "", "未上传"
        PENDING = "pending", "上传中"
        SENT = "sent", "已上传"
        FAILED = "failed", "上传失败"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="parking_reports")
    review_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="parking_reviews", verbose_name="审核单位"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="parking_reports"
    )
    plate = models.CharField("号牌号码", max_length=10, db_index=True)
    plate_kind = models.CharField("号牌种类", max_length=12)
    street = models.CharField("街道（路段）", max_length=60)
    place = models.CharField("地点", max_length=200)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField("定位精度（米）", null=True, blank=True)
    reported_at = models.DateTimeField("取证时间")
    reported_on = models.DateField("取证日期")  # local date, for the daily figures
    window_ends_at = models.DateTimeField("驶离期限")
    step = models.CharField("当前环节", max_length=20, db_index=True)
    outcome = models.CharField(
        "处理结果", max_length=12, choices=Outcome.choices, blank=True, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    owner_found = models.BooleanField("查到车主", default=False)
    owner_phone_masked = models.CharField(max_length=20, blank=True)
    owner_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    drove_away_at = models.DateTimeField(null=True, blank=True)
    drove_away_via = models.CharField(max_length=10, blank=True)  # officer | owner
    # The owner's "已驶离" through the SMS link is a claim the officer confirms or rejects.
    owner_claimed_at = models.DateTimeField("车主确认驶离时间", null=True, blank=True)
    owner_claim_rejected_at = models.DateTimeField(null=True, blank=True)
    first_offence = models.BooleanField(null=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parking_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField("退回理由", blank=True)
    upload_status = models.CharField(max_length=8, choices=Upload.choices, blank=True)
    upload_receipt = models.CharField(max_length=100, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    notice_no = models.CharField("提示单编号", max_length=40, blank=True)
    notice_printed_at = models.DateTimeField(null=True, blank=True)
    notice_posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "违法停车联合执法记录"
        indexes = [
            models.Index(fields=("unit", "reported_on")),
            models.Index(fields=("review_unit", "step")),
            models.Index(fields=("plate", "outcome", "decided_at")),
        ]

    def __str__(self) -> str:
        return f"{self.plate} {self.place}"

    @property
    def where(self) -> str:
        """The place in words, as the SMS and the 提示单 say it (joint.places)."""
        from joint.places import place_phrase

        return place_phrase(self.street, "", self.place)

    @property
    def owner_claim_pending(self) -> bool:
        return self.owner_claimed_at is not None and self.owner_claim_rejected_at is None

    @property
    def stream(self) -> str:
        return f"parking:{self.pk}"


class ParkingPhoto(models.Model):
    class Kind(models.TextChoices):
        SCENE = "scene", "现场照片"
        DEPARTURE = "departure", "驶离照片"
        CORRECTION = "correction", "补正照片"

    report = models.ForeignKey(ParkingReport, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    file = models.FileField(upload_to="parking/%Y/%m/")
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64)
    taken_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "违停取证照片"
