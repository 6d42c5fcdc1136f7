from __future__ import annotations

from django.db import models

from cases.models import Case


class CoerciveMeasure(models.Model):
    """行政强制措施 (行政强制法 Art. 9) taken in a case."""

    class Type(models.TextChoices):
        SEAL_UP = "seal_up", "查封场所、设施或者财物"
        SEIZE = "seize", "扣押财物"
        FREEZE = "freeze", "冻结存款、汇款"
        OTHER = "other", "其他行政强制措施"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="coercive_measures")
    type = models.CharField("种类", max_length=10, choices=Type.choices)
    on = models.DateField("实施日期", db_index=True)
    lifted_on = models.DateField("解除日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政强制措施"


class Enforcement(models.Model):
    """行政强制执行 (行政强制法 Art. 12) and 申请法院强制执行 (Art. 53)."""

    class Type(models.TextChoices):
        SURCHARGE = "surcharge", "加处罚款或者滞纳金"
        TRANSFER_FUNDS = "transfer_funds", "划拨存款、汇款"
        AUCTION = "auction", "拍卖或者依法处理查封、扣押的场所、设施或者财物"
        RESTORE = "restore", "排除妨碍、恢复原状"
        SUBSTITUTE = "substitute", "代履行"
        OTHER = "other", "其他强制执行方式"
        COURT = "court", "申请人民法院强制执行"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enforcements")
    type = models.CharField("方式", max_length=16, choices=Type.choices)
    on = models.DateField("日期", db_index=True)

    class Meta:
        verbose_name = "行政强制执行"
