from __future__ import annotations

from django.conf import settings
from django.db import models


class Notice(models.Model):
    """A notice to one officer in the platform (站内提醒), made in the transaction of its event.

    (user, kind, subject, occasion) is unique: the same occasion never notifies anyone twice,
    however often the event's code runs (the worker's next pass, a retried step). The SMS copy,
    when the user wants one for the kind, goes out through the outbox (`sms`: its state)."""

    class Kind(models.TextChoices):
        LIMIT_APPROACHING = "limit_approaching", "期限即将届满"
        LIMIT_OVERDUE = "limit_overdue", "期限已届满"
        RETURNED = "returned", "案件被退回"
        APPROVAL = "approval", "待审批"
        MATTER = "matter", "执法监督事项"
        PARTY_RESPONSE = "party_response", "当事人在线陈述申辩"
        JOB_DONE = "job_done", "后台任务完成"

    class Sms(models.TextChoices):
        NONE = "", "不发短信"
        PENDING = "pending", "待发短信"
        SENT = "sent", "已发短信"
        DIGESTED = "digested", "已合并发送"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    subject = models.CharField("对象", max_length=60)  # a ledger stream: "case:12", "matter:3"
    occasion = models.CharField("事由", max_length=60)  # what happened to it: "entry:7", …
    url = models.CharField("链接", max_length=200, blank=True)
    text = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    sms = models.CharField(max_length=10, choices=Sms.choices, default=Sms.NONE, blank=True)
    sms_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        constraints = [
            models.UniqueConstraint(
                fields=("user", "kind", "subject", "occasion"), name="uniq_notice_occasion"
            )
        ]
        indexes = [
            models.Index(fields=("user", "read_at")),
            models.Index(fields=("sms", "user")),
        ]


class NoticeSetting(models.Model):
    """What one officer wants by SMS besides the platform (站内 is always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_setting"
    )
    sms_kinds = models.JSONField("短信提醒的类型", default=list, blank=True)

    class Meta:
        verbose_name = "提醒设置"
