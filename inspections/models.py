from __future__ import annotations

from django.db import models

from orgs.models import Unit, User


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


# --- 双随机、一公开 ---------------------------------------------------------------------------


class RandomTarget(models.Model):
    """An entry of an agency's 检查对象名录库 (imported from CSV or xlsx)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "单位"
        PERSON = "person", "个体工商户或自然人"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="random_targets")
    reg_no = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.ORGANISATION)
    category = models.CharField("类别", max_length=50)
    address = models.CharField("地址", max_length=200, blank=True)
    grade = models.CharField("风险等级", max_length=1)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "检查对象名录"
        ordering = ("category", "reg_no")
        constraints = [
            models.UniqueConstraint(fields=("unit", "reg_no"), name="uniq_random_target")
        ]


class RandomMatter(models.Model):
    """An entry of the agency's 随机抽查事项清单, with the checklist its inspection follows."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="random_matters")
    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("抽查事项", max_length=200)
    basis = models.CharField("检查依据", max_length=300, blank=True)
    checklist = models.JSONField("检查项目", default=list)

    class Meta:
        verbose_name = "随机抽查事项"
        constraints = [models.UniqueConstraint(fields=("unit", "code"), name="uniq_random_matter")]

    def __str__(self) -> str:
        return self.name


class RandomPlan(models.Model):
    """抽查计划: drafted, frozen (pools and commitment published), drawn (seed revealed),
    published (results)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        FROZEN = "frozen", "名录已冻结"
        DRAWN = "drawn", "已摇号"
        PUBLISHED = "published", "结果已公示"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="random_plans")
    partners = models.ManyToManyField(Unit, blank=True, related_name="joint_random_plans")
    plan_no = models.CharField("计划编号", max_length=60, unique=True)
    title = models.CharField("计划名称", max_length=200)
    matter = models.ForeignKey(RandomMatter, on_delete=models.PROTECT, verbose_name="抽查事项")
    categories = models.JSONField("抽查范围（类别）", default=list)
    ratios = models.JSONField("抽查比例（%）", default=dict)
    ratio_confirmed = models.BooleanField("计划人已确认抽查比例", default=False)
    starts_on = models.DateField("检查开始日期")
    ends_on = models.DateField("检查结束日期")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Frozen: the canonical texts of law.random_draw, their SM3, the commitment to the seed.
    frozen_at = models.DateTimeField(null=True, blank=True)
    targets_text = models.TextField(blank=True)
    inspectors_text = models.TextField(blank=True)
    conflicts_text = models.TextField(blank=True)
    pools_hash = models.CharField(max_length=64, blank=True)
    commitment = models.CharField(max_length=64, blank=True)
    # Secret until the draw: the public pages show it only once `drawn_at` is set.
    seed = models.CharField(max_length=64, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    # Publication of the results (law.limits.RANDOM_INSPECTION_PUBLISH, counted from the day
    # the last check ended).
    checks_ended_on = models.DateField(null=True, blank=True)
    publish_due_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "双随机抽查计划"
        ordering = ("-pk",)

    def __str__(self) -> str:
        return self.title

    @property
    def joint(self) -> bool:
        return bool(self.pk) and self.partners.exists()


class RandomRedraw(models.Model):
    """A draw undone before any check (an inspector gone, a conflict found after the draw): the
    draw as it was (its pools' SM3, commitment, seed and pairs) and the public reason. The plan
    goes back to 草稿, is frozen again with a new commitment and drawn again; the public page and
    the supervisor see every redraw."""

    plan = models.ForeignKey(RandomPlan, on_delete=models.CASCADE, related_name="redraws")
    number = models.PositiveSmallIntegerField("第几次重新摇号")
    reason = models.CharField("重新摇号原因", max_length=200)
    targets_text = models.TextField()
    inspectors_text = models.TextField()
    conflicts_text = models.TextField()
    pools_hash = models.CharField(max_length=64)
    commitment = models.CharField(max_length=64)
    seed = models.CharField(max_length=64)
    drawn_at = models.DateTimeField("原摇号时间")
    pairs = models.JSONField("原抽取结果", default=list)  # [[登记号, 执法证号, 执法证号], …]
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("重新摇号时间")

    class Meta:
        verbose_name = "双随机重新摇号"
        ordering = ("plan", "number")
        constraints = [
            models.UniqueConstraint(fields=("plan", "number"), name="uniq_random_redraw")
        ]


class RandomConflict(models.Model):
    """An officer who must not inspect a target of the plan (回避: kin, former employer…)."""

    plan = models.ForeignKey(RandomPlan, on_delete=models.CASCADE, related_name="conflicts")
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reg_no = models.CharField("统一社会信用代码", max_length=18)
    reason = models.CharField("回避原因", max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("plan", "officer", "reg_no"), name="uniq_random_conflict"
            )
        ]


class RandomTask(models.Model):
    """A drawn target with its two inspectors: their task until the result is recorded."""

    class Result(models.TextChoices):
        NO_PROBLEM = "no_problem", "未发现问题"
        PROBLEM = "problem", "发现问题"
        RECTIFY = "rectify", "责令整改"
        CASE = "case", "立案"

    plan = models.ForeignKey(RandomPlan, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField("抽取顺序")
    reg_no = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=12, choices=RandomTarget.Kind.choices)
    address = models.CharField("地址", max_length=200, blank=True)
    grade = models.CharField("风险等级", max_length=1)
    lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField("检查日期", null=True, blank=True)
    items = models.JSONField("检查项目结果", default=list)
    result = models.CharField("检查结果", max_length=12, choices=Result.choices, blank=True)
    note = models.CharField("检查情况", max_length=1000, blank=True)
    inspection = models.OneToOneField(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="random_task"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "双随机抽查任务"
        ordering = ("plan", "order")
        constraints = [models.UniqueConstraint(fields=("plan", "reg_no"), name="uniq_random_task")]


class RandomPhoto(models.Model):
    task = models.ForeignKey(RandomTask, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="random/%Y/%m/")
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    sm3 = models.CharField(max_length=64)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField()
