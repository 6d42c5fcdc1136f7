from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case, Decision
from coercion.models import Enforcement
from law.enforcement import OBLIGATIONS
from procedure.enforcement import OUTCOMES


class EnforcementRecord(models.Model):
    """强制执行 of one obligation of one decision (so of one party) after it was not performed:
    where it stands in procedure/enforcement.py, and what each step recorded. The 催告 names the
    obligation (money, or the act the decision orders); one open record per decision and
    obligation, so a fine and a demolition run side by side with their own windows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enforcement_records")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="+")
    step = models.CharField("当前环节", max_length=20, db_index=True)
    outcome = models.CharField(
        "结果", max_length=16, blank=True, choices=[(k, v) for k, v in OUTCOMES.items()]
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField("开始日期")
    obligation = models.CharField(
        "催告履行的义务", max_length=12, choices=[(str(k), v) for k, v in OBLIGATIONS.items()]
    )
    # 催告 (行政强制法第三十五条): term, manner, amount, rights told; served (第三十八条).
    notice = models.JSONField("催告", default=dict)
    notice_term_ends = models.DateField("催告履行期限", null=True, blank=True)
    notice_served_on = models.DateField("催告送达日期", null=True, blank=True)
    statement = models.JSONField("陈述申辩及复核", default=dict)
    route = models.CharField("执行途径", max_length=12, blank=True)
    # 强制执行决定 (第三十七条), 代履行 (第五十一条), court application (第五十五条), 执行协议
    # (第四十二条), 中止/终结/回转: what each recorded, by key.
    detail = models.JSONField("执行情况", default=dict)
    immediate = models.BooleanField("立即代履行", default=False)
    sub_served_on = models.DateField("代履行催告送达日期", null=True, blank=True)
    resume_step = models.CharField("中止前环节", max_length=20, blank=True)
    suspended_on = models.DateField("中止日期", null=True, blank=True)
    completed_on = models.DateField("执行完毕日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    # The statistics row written when the enforcement was completed (coercion.Enforcement).
    counted = models.ForeignKey(
        Enforcement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "强制执行"
        constraints = [
            models.UniqueConstraint(
                fields=("decision", "obligation"),
                condition=~Q(step="end") & ~Q(step="en_done"),
                name="one_open_enforcement_per_obligation",
            )
        ]


class Deferral(models.Model):
    """延期或者分期缴纳罚款 (行政处罚法第六十六条第二款): applied for by the party, approved by
    the agency head. Its instalments move the surcharge's due dates (第七十二条) and the court
    window runs from its end (第七十二条第二款)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="deferrals")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("批准日期")
    reason = models.TextField("当事人确有经济困难的情况")
    schedule = models.JSONField("缴纳期限和金额")  # [{"due": "YYYY-MM-DD", "amount": "…"}]
    ends_on = models.DateField("最后一期缴纳期限")

    class Meta:
        verbose_name = "延期（分期）缴纳罚款"
