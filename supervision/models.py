from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models import Case
from orgs.models import Unit


class FormReport(models.Model):
    """填报: a unit's figures for a form the platform cannot count (行政许可, 行政征收征用)."""

    class Form(models.TextChoices):
        PERMIT = "permit", "行政许可"
        LEVY = "levy", "行政征收征用"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="form_reports")
    form = models.CharField("统计表", max_length=10, choices=Form.choices)
    period_start = models.DateField("统计期间起")
    period_end = models.DateField("统计期间止")
    values = models.JSONField("填报数据")  # column key -> string (exact decimals)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = "统计填报"
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "form", "period_start", "period_end"), name="uniq_form_report"
            )
        ]


class Item(models.Model):
    """A supervision item (监督事项): raised by a rule or by hand, sent to the unit as 通报 or
    督办, answered by the unit, closed or sent back by the supervisor."""

    class Status(models.TextChoices):
        RAISED = "raised", "待处理"
        SENT = "sent", "已下发"
        ANSWERED = "answered", "已答复"
        CLOSED = "closed", "已办结"

    class Kind(models.TextChoices):
        NOTICE = "notice", "通报"
        SUPERVISE = "supervise", "督办"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervision_items")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="supervision_items"
    )
    rule = models.CharField("规则", max_length=40, blank=True)
    fingerprint = models.CharField(max_length=120, unique=True, null=True, blank=True)
    title = models.CharField("事项", max_length=200)
    statute = models.CharField("依据", max_length=200, blank=True)
    detail = models.TextField("情况说明", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RAISED)
    kind = models.CharField("方式", max_length=10, choices=Kind.choices, blank=True)
    due_on = models.DateField("整改期限", null=True, blank=True)
    answer = models.TextField("整改答复", blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "监督事项"
        indexes = [models.Index(fields=("unit", "status"))]

    @property
    def stream(self) -> str:
        return f"supervision:{self.pk}"


class FileReview(models.Model):
    """案卷评查: a review round over closed cases of a subtree, drawn at random or by rule."""

    class Method(models.TextChoices):
        RANDOM = "random", "随机抽取"
        IRREGULAR = "irregular", "存在监督事项的案件"

    name = models.CharField("评查名称", max_length=100)
    root = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    seed = models.CharField("随机种子", max_length=40, blank=True)
    per_unit = models.PositiveSmallIntegerField("每单位抽取件数", default=0)
    period_start = models.DateField()
    period_end = models.DateField()
    # The version of supervision.standards the round is scored against (rounds drawn before the
    # four headings keep "2024").
    standard = models.CharField("评查标准版本", max_length=20)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField()
    # 监督条例 Art. 19: the results of a finished round are published to the units reviewed.
    published_at = models.DateTimeField("结果公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "案卷评查"

    @property
    def stream(self) -> str:
        return f"file_review:{self.pk}"


class FileReviewCase(models.Model):
    review = models.ForeignKey(FileReview, on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    scores = models.JSONField("得分", null=True, blank=True)  # standard item code -> points
    reasons = models.JSONField("扣分理由", default=dict, blank=True)  # item code -> reason
    total = models.PositiveSmallIntegerField("总分", null=True, blank=True)
    grade = models.CharField("等次", max_length=10, blank=True)  # standards.GRADE_LABELS
    remarks = models.TextField("评查意见", blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "评查案卷"
        constraints = [
            models.UniqueConstraint(fields=("review", "case"), name="uniq_file_review_case")
        ]
