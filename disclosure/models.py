from __future__ import annotations

from django.conf import settings
from django.db import models


class Publication(models.Model):
    """The 事后公示 of one penalty decision: its masked text, who drafted and approved it, when it
    was published, withdrawn (处罚法 Art. 48) and taken off the site (retention).

    What the public site shows is only what is stored here (the masked party, the text the legal
    reviewer approved): a public page never reads the case."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        APPROVED = "approved", "已审核待发布"
        PUBLISHED = "published", "已公示"
        WITHDRAWN = "withdrawn", "已撤回"

    decision = models.OneToOneField(
        "cases.Decision", on_delete=models.PROTECT, related_name="publication"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField("决定书文号", max_length=60)
    decided_on = models.DateField("决定日期")
    party_kind = models.CharField("当事人类型", max_length=12)
    party_name = models.CharField("当事人（公示）", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    summary = models.CharField("处罚内容", max_length=300)
    text = models.TextField("公示内容")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    publish_due = models.DateField("公示期限", null=True, blank=True)
    late = models.BooleanField("超期公示", default=False)
    shown_until = models.DateField("公示截止日", null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.CharField("撤回理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "处罚决定公示"
        indexes = [
            # Retention: what is on the site and until when.
            models.Index(fields=("status", "shown_until", "published_on"), name="pub_list"),
            models.Index(fields=("unit", "status", "published_on"), name="pub_unit"),
            models.Index(fields=("number",), name="pub_number"),
            # The public list in its order (newest first, then the newest row), all of it and one
            # agency's: a page, a deep page and the bounded count read the index in order and
            # stop, instead of sorting every decision on the site. The searches by part of a
            # name or number have PostgreSQL indexes of their own (migration 0003).
            models.Index(
                fields=("-published_on", "-id"),
                name="pub_site_order",
                condition=models.Q(status__in=("published", "withdrawn")),
            ),
            models.Index(
                fields=("unit", "-published_on", "-id"),
                name="pub_site_unit",
                condition=models.Q(status__in=("published", "withdrawn")),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AgencyProfile(models.Model):
    """What the 事前公示 says of an agency beyond the org tree: the basis of its 执法主体资格
    (监督条例 Art. 17) and where a party seeks 行政复议 and 行政诉讼."""

    unit = models.OneToOneField("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    basis = models.TextField("执法主体资格依据")
    reconsideration_organ = models.CharField("行政复议机关", max_length=100, blank=True)
    court = models.CharField("管辖人民法院", max_length=100, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "执法主体公示信息"


class Correction(models.Model):
    """The agency's own correction of a penalty decision (自行纠错: 行政处罚法第七十五条第一款,
    行政执法监督条例's 自我纠错): changed or revoked by the agency itself, with the reason the
    public reads. Like a 复议/诉讼 result that undoes the decision, it keeps an unpublished decision
    off the site and starts the withdrawal limit of a published one (第四十八条)."""

    class Ending(models.TextChoices):
        CHANGED = "changed", "变更"
        REVOKED = "revoked", "撤销"

    decision = models.OneToOneField(
        "cases.Decision", on_delete=models.PROTECT, related_name="correction"
    )
    ending = models.CharField("纠错方式", max_length=10, choices=Ending.choices)
    corrected_on = models.DateField("纠错决定日期")
    reason = models.CharField("纠错理由", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "行政处罚决定自行纠错"
