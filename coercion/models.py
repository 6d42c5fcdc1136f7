from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models import Case
from deadlines.models import Deadline
from procedure.vocab import EnforcementType


class CoerciveMeasure(models.Model):
    """行政强制措施 (行政强制法 Art. 9) taken in a case."""

    class Type(models.TextChoices):
        SEAL_UP = "seal_up", "查封场所、设施或者财物"
        SEIZE = "seize", "扣押财物"
        FREEZE = "freeze", "冻结存款、汇款"
        OTHER = "other", "其他行政强制措施"

    class Outcome(models.TextChoices):
        REJECTED = "rejected", "负责人不予批准"
        WITHDRAWN = "withdrawn", "不再实施"
        NOT_APPROVED = "not_approved", "补办批准未获批准，已立即解除"
        LIFTED = "lifted", "已解除"
        HANDLED = "handled", "已随案处理"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="coercive_measures")
    type = models.CharField("种类", max_length=10, choices=Type.choices)
    # The day the measure was carried out (what the 行政强制 form counts); empty while a measure
    # recorded on the platform is still being applied for or approved.
    on = models.DateField("实施日期", null=True, blank=True, db_index=True)
    lifted_on = models.DateField("解除日期", null=True, blank=True)

    # A measure handled on the platform (procedure/coercion.py); imported rows leave these empty
    # (`step` ""). The JSON columns are NULL on imported rows (their default is NULL so that the
    # bulk import's COPY rows, built from the model's defaults, stay plain text); the services
    # fill them for every platform measure.
    step = models.CharField("当前环节", max_length=20, blank=True, db_index=True)
    outcome = models.CharField("结果", max_length=14, choices=Outcome.choices, blank=True)
    emergency = models.BooleanField("情况紧急当场实施", default=False)
    emergency_reason = models.TextField("紧急理由", blank=True)
    items = models.JSONField("清单（冻结：账户和金额）", null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    basis = models.TextField("法律依据", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    approval_opinion = models.TextField("审批意见", blank=True)
    officers = models.JSONField("实施人员", null=True, blank=True)  # user ids
    carried_out_at = models.DateTimeField("实施时间", null=True, blank=True)
    on_site = models.JSONField("现场情况", null=True, blank=True)  # Art. 18 flags, witness…
    # Art. 19: the moment the emergency report and approval are due (24 hours after).
    report_due_at = models.DateTimeField("补办批准期限", null=True, blank=True)
    report_deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField("期限届满日", null=True, blank=True)
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Art. 25 (3): each 检测、检验、检疫或者技术鉴定 — kind, started_on, until, ended_on, days not
    # counted (the period's due day moves by them), result.
    appraisals = models.JSONField("检测鉴定", null=True, blank=True)
    extension = models.JSONField("延长申请", null=True, blank=True)  # days, reason, by, at
    extended_until = models.DateField("延长至", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.TextField("解除（处理）理由", blank=True)
    end_detail = models.JSONField(null=True, blank=True)  # ground / disposal, decision no

    class Meta:
        verbose_name = "行政强制措施"

    @property
    def on_platform(self) -> bool:
        return bool(self.step)


class Enforcement(models.Model):
    """行政强制执行 (行政强制法 Art. 12) and 申请法院强制执行 (Art. 53)."""

    class Type(models.TextChoices):  # the list of procedure.vocab.EnforcementType
        SURCHARGE = EnforcementType.SURCHARGE.value, EnforcementType.SURCHARGE.label
        TRANSFER_FUNDS = EnforcementType.TRANSFER_FUNDS.value, EnforcementType.TRANSFER_FUNDS.label
        AUCTION = EnforcementType.AUCTION.value, EnforcementType.AUCTION.label
        RESTORE = EnforcementType.RESTORE.value, EnforcementType.RESTORE.label
        SUBSTITUTE = EnforcementType.SUBSTITUTE.value, EnforcementType.SUBSTITUTE.label
        OTHER = EnforcementType.OTHER.value, EnforcementType.OTHER.label
        COURT = EnforcementType.COURT.value, EnforcementType.COURT.label

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enforcements")
    # The decision enforced, where known: a decision enforced on the platform (enforcement app)
    # is counted there, and step 17 执行 does not count it again.
    decision = models.ForeignKey(
        "cases.Decision", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField("方式", max_length=16, choices=Type.choices)
    on = models.DateField("日期", db_index=True)

    class Meta:
        verbose_name = "行政强制执行"
