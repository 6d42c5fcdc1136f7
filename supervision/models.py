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


class Matter(models.Model):
    """监督事项 under the 行政执法监督条例 (2026): a 督办函 (Art. 27) or 意见书 (Art. 28) to an
    agency, its answer, objection (Art. 30), 处理建议 and the government's 决定书 (Art. 29), the
    publication (Art. 31). Its own model beside `Item`: an Item is one finding of a rule (通报/督办
    with a due date); a matter is the formal instrument flow, opened from an Item, a 案卷评查
    finding, a complaint clue or by hand. Transitions: procedure/oversight.py."""

    class Source(models.TextChoices):
        IRREGULARITY = "irregularity", "监督规则发现的问题"
        FILE_REVIEW = "file_review", "案卷评查发现的问题"
        COMPLAINT = "complaint", "重点监督（投诉线索）"
        MANUAL = "manual", "监督员发现"

    class Instrument(models.TextChoices):
        URGE = "urge", "督办函"
        OPINION = "opinion", "意见书"

    class Status(models.TextChoices):
        OPENED = "opened", "待发函"
        SENT = "sent", "待答复"
        OBJECTED = "objected", "异议待决定"
        ANSWERED = "answered", "已答复"
        PROPOSED = "proposed", "已提出处理建议"
        DECIDED = "decided", "政府已决定"
        REPORTED = "reported", "已报告"
        CLOSED = "closed", "已办结"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="oversight_matters")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="oversight_matters"
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="matters"
    )
    review_case = models.ForeignKey(
        FileReviewCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    channel = models.CharField("线索渠道", max_length=10, blank=True)
    listed = models.BooleanField("挂牌督办", default=False)
    escalated = models.BooleanField("提级监督", default=False)
    major = models.BooleanField("重大事项", default=False)
    title = models.CharField("事项", max_length=200)
    facts = models.TextField("问题情况")
    instrument = models.CharField("文书", max_length=8, choices=Instrument.choices, blank=True)
    number = models.CharField("文号", max_length=60, blank=True)
    demand = models.TextField("监督意见", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPENED)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    sent_on = models.DateField("发函日期", null=True, blank=True)
    reply_due_on = models.DateField("答复期限", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply = models.TextField("整改情况", blank=True)
    evidence = models.FileField("整改证明材料", upload_to="oversight/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=120, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    objection = models.TextField("异议理由", blank=True)
    objection_on = models.DateField(null=True, blank=True)
    objection_ruling = models.TextField("异议处理意见", blank=True)
    proposal = models.TextField("处理建议", blank=True)
    proposed_on = models.DateField(null=True, blank=True)
    decision_no = models.CharField("决定书文号", max_length=60, blank=True)
    decision_on = models.DateField("决定日期", null=True, blank=True)
    decision_content = models.TextField("决定内容", blank=True)
    report_due_on = models.DateField("报告期限", null=True, blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    report = models.TextField("执行情况报告", blank=True)
    publication = models.CharField("通报/公开", max_length=10, blank=True)
    published_on = models.DateField(null=True, blank=True)
    publication_text = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        verbose_name = "执法监督事项"
        indexes = [models.Index(fields=("unit", "status"))]

    @property
    def stream(self) -> str:
        return f"matter:{self.pk}"


class OfficerMeasure(models.Model):
    """第三十二条: a recommended measure on an officer, and separately what the 有权机关 decided."""

    class Measure(models.TextChoices):
        CRITICISM = "criticism", "批评教育"
        RETRAINING = "retraining", "离岗教育"
        REASSIGNMENT = "reassignment", "调离执法岗位"
        DISQUALIFICATION = "disqualification", "取消执法资格"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="measures")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    measure = models.CharField("建议措施", max_length=16, choices=Measure.choices)
    reason = models.TextField("理由")
    recommended_on = models.DateField()
    authority = models.CharField("有权机关", max_length=100, blank=True)
    decision = models.TextField("有权机关处理结果", blank=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "执法人员处理建议"


class OversightPeriods(models.Model):
    """The reply periods of the 行政执法监督条例 instruments for a jurisdiction (a per-jurisdiction
    setting: the national text says only “在规定时限内”). A matter takes the row of its agency's
    region, else of the nearest region above, else the platform defaults (settings)."""

    region_code = models.CharField("适用区划", max_length=6, unique=True)
    urge_days = models.PositiveSmallIntegerField("督办函答复期限（日）")
    opinion_days = models.PositiveSmallIntegerField("意见书整改期限（日）")
    report_days = models.PositiveSmallIntegerField("决定书报告期限（日）")
    source = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "执法监督答复期限"
