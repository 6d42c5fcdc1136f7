from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from law.enforcement import POWER_SCOPES
from law.limits import TIME_BAR
from law.penalties import PenaltyType
from law.rules import Band, HearingThresholds
from orgs.models import Unit


class Matter(models.Model):
    """A 权责清单 entry: one penalty or coercion power with its basis and discretion band."""

    class Kind(models.TextChoices):
        PENALTY = "penalty", "行政处罚"
        COERCION = "coercion", "行政强制"

    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.PENALTY)
    domain = models.CharField("领域", max_length=20, blank=True)
    implementing_units = models.ManyToManyField(Unit, blank=True, verbose_name="实施主体")
    violated_law = models.CharField("违反条款（法律）", max_length=100, blank=True)
    violated_article = models.CharField("违反条款（条）", max_length=60, blank=True)
    basis_law = models.CharField("处罚依据（法律）", max_length=100, blank=True)
    basis_article = models.CharField("处罚依据（条）", max_length=60, blank=True)
    basis_text = models.TextField("处罚依据原文", blank=True)
    penalty_types = models.JSONField("处罚种类", default=list)
    legal_min = models.DecimalField(
        "法定罚款下限", max_digits=14, decimal_places=2, null=True, blank=True
    )
    legal_max = models.DecimalField(
        "法定罚款上限", max_digits=14, decimal_places=2, null=True, blank=True
    )
    multiple = models.JSONField("倍数罚款", null=True, blank=True)
    bands = models.JSONField("裁量基准", null=True, blank=True)
    bands_source = models.CharField("裁量基准来源", max_length=20, blank=True)
    # 行政处罚法第三十六条: two years unless the matter carries the five-year extension.
    time_bar_years = models.PositiveSmallIntegerField("追责时效（年）", default=TIME_BAR.amount)
    major = models.BooleanField("重大执法决定", default=False)
    lenient = models.JSONField("免罚轻罚清单", null=True, blank=True)
    # 行政强制法第十三条: only a law grants an agency its own enforcement power (e.g. 税收征收管理法
    # 第四十条); without it the agency applies to the court (第五十三条). The article is kept with
    # the flag.
    own_enforcement_power = models.BooleanField("法律授予行政强制执行权", default=False)
    enforcement_power_basis = models.CharField("行政强制执行权依据", max_length=120, blank=True)
    # What the law grants: money (税收征收管理法第四十条), an act (城乡规划法第六十八条 强制拆除),
    # or both; an obligation outside it goes to the court like one with no grant.
    enforcement_power_scope = models.CharField(
        "行政强制执行权范围",
        max_length=12,
        blank=True,
        choices=[(k.value, v) for k, v in POWER_SCOPES.items()],
    )
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_until = models.DateField("失效日期", null=True, blank=True)
    imported = models.BooleanField("导入创建", default=False)

    class Meta:
        ordering = ("code",)
        verbose_name = "权责事项"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def basis(self) -> str:
        return f"《{self.basis_law}》{self.basis_article}" if self.basis_law else ""

    @property
    def power_scope(self) -> str:
        """What the agency may enforce itself under this matter ("" : nothing, the court)."""
        return self.enforcement_power_scope if self.own_enforcement_power else ""

    def allowed_types(self) -> frozenset[PenaltyType]:
        return frozenset(PenaltyType(t) for t in self.penalty_types)

    def legal_band(self) -> Band | None:
        if self.legal_min is None or self.legal_max is None:
            return None
        return Band(self.legal_min, self.legal_max)

    def discretion_bands(self) -> dict[str, Band] | None:
        if not self.bands:
            return None
        raw: dict[str, Any] = self.bands
        return {k: Band(Decimal(v["min"]), Decimal(v["max"])) for k, v in raw.items()}

    def in_force_on(self, day: dt.date) -> bool:
        """行政处罚法 Art. 37: the law at the time of the act applies."""
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


class HearingThreshold(models.Model):
    """较大数额 for the hearing right (行政处罚法 Art. 63): a per-jurisdiction setting."""

    region_code = models.CharField("适用区划", max_length=6, unique=True)
    fine_person = models.DecimalField("对公民罚款", max_digits=14, decimal_places=2)
    fine_organisation = models.DecimalField("对法人或其他组织罚款", max_digits=14, decimal_places=2)
    confiscation_person = models.DecimalField("对公民没收", max_digits=14, decimal_places=2)
    confiscation_organisation = models.DecimalField(
        "对法人或其他组织没收", max_digits=14, decimal_places=2
    )
    source = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "听证较大数额标准"

    def as_thresholds(self) -> HearingThresholds:
        return HearingThresholds(
            fine_person=self.fine_person,
            fine_organisation=self.fine_organisation,
            confiscation_person=self.confiscation_person,
            confiscation_organisation=self.confiscation_organisation,
        )
