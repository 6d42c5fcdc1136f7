"""投诉举报 from the public (issue 10).

A complaint is its own record, not a Case: many never become one (不予受理, settled by a call).
Its officers' actions run through the one procedure engine (procedure/complaint.py) and each is an
entry on its ledger stream "complaint:<id>"; when it becomes a lead, the case it opened is linked
and the case's own record starts with 案源登记 (source 投诉举报).
"""

from __future__ import annotations

from django.db import models

from orgs.models import Unit
from zhifa.fields import BlindIndexField, EncryptedCharField


class Complaint(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待受理"
        ACCEPTED = "accepted", "受理"
        REJECTED = "rejected", "不予受理"
        FILED = "filed", "已立案"
        CONCLUDED = "concluded", "办结"

    code = models.CharField("查询码", max_length=12, unique=True)
    # The unit whose queue holds it now; `chosen` says whether the complainant named a unit
    # (False: 不清楚, routed to the dispatcher).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="complaints")
    chosen = models.BooleanField("投诉人选择了单位", default=True)
    facts = models.TextField("反映的问题")
    place = models.CharField("发生地点", max_length=200)
    happened_on = models.DateField("发生日期")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    # SM4-encrypted (zhifa.fields); the filings per phone are counted through its keyed index.
    contact_phone = EncryptedCharField(
        "联系电话", plain_length=11, blank=True, index_field="contact_phone_index"
    )
    contact_phone_index = BlindIndexField(source="contact_phone", db_index=True)
    # HMAC of the sender's address (SECRET_KEY): counts filings per address without keeping it.
    ip_digest = models.CharField(max_length=64, db_index=True)
    filed_at = models.DateTimeField("提交时间", db_index=True)
    filed_on = models.DateField("提交日期")
    accept_due_on = models.DateField("受理期限", db_index=True)
    overdue_at = models.DateTimeField("超期时间", null=True, blank=True)
    step = models.CharField("当前环节", max_length=24, db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_on = models.DateField("受理决定日期", null=True, blank=True)
    reject_reason = models.TextField("不予受理理由", blank=True)
    result = models.TextField("办理结果", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )

    class Meta:
        verbose_name = "投诉举报"
        indexes = [models.Index(fields=("unit", "status", "filed_at"))]

    def __str__(self) -> str:
        return self.code

    @property
    def stream(self) -> str:
        return f"complaint:{self.pk}"


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="complaints/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sm3 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "投诉举报照片"
