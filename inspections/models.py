from __future__ import annotations

from django.db import models

from orgs.models import Unit


class Inspection(models.Model):
    """行政检查: one inspection of one or more targets (the 行政检查 form counts these)."""

    class Kind(models.TextChoices):
        RANDOM = "random", "双随机"
        ROUTINE = "routine", "日常"
        SPECIAL = "special", "专项"
        COMPLAINT = "complaint", "投诉"
        OTHER = "other", "其他"

    class Result(models.TextChoices):
        NO_PROBLEM = "no_problem", "未发现问题"
        PROBLEM_FOUND = "problem_found", "发现问题"
        CASE_FILED = "case_filed", "已立案"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections")
    inspection_no = models.CharField("检查编号", max_length=60)
    on = models.DateField("检查日期")
    kind = models.CharField("检查类型", max_length=10, choices=Kind.choices)
    result = models.CharField("检查结果", max_length=14, choices=Result.choices)
    imported = models.BooleanField("导入的历史记录", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "行政检查"
        constraints = [
            models.UniqueConstraint(fields=("unit", "inspection_no"), name="uniq_inspection_no")
        ]
        indexes = [models.Index(fields=("unit", "on"))]

    def __str__(self) -> str:
        return self.inspection_no


class InspectionTarget(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "公民"
        ORGANISATION = "organisation", "法人"
        OTHER = "other", "其他组织"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    index = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    name = models.CharField("姓名或名称", max_length=200)
    id_number = models.CharField("证件号码", max_length=18, blank=True)

    class Meta:
        ordering = ("index",)
        verbose_name = "检查对象"
