from __future__ import annotations

from django.db import models

from zhifa.fields import EncryptedCharField


class OutboxMessage(models.Model):
    """A message to leave the platform (an SMS, an upload to the traffic platform, …).

    Written in the same transaction as the action that causes it; the worker sends it afterwards
    through the gateway of its channel, retrying with exponential backoff. The idempotency key is
    unique here and is handed to the gateway, so a message sent twice after a crash takes effect
    once on the other side.
    """

    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        TRAFFIC = "traffic", "公安交管集成指挥平台"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        DEAD = "dead", "发送失败"

    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    kind = models.CharField("用途", max_length=40)  # handlers react to a kind once it is sent
    # A phone number for an SMS: stored SM4-encrypted (zhifa.fields), as every personal number.
    recipient = EncryptedCharField("接收方", plain_length=100)
    body = models.TextField("内容", blank=True)
    payload = models.JSONField("数据", default=dict, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    stream = models.CharField("所属记录", max_length=60, blank=True, db_index=True)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    receipt = models.CharField("回执", max_length=100, blank=True)

    class Meta:
        verbose_name = "待发消息"
        indexes = [models.Index(fields=("status", "next_attempt_at"))]


class Delivery(models.Model):
    """What the local gateways (demo and tests) delivered; stands in for the other side."""

    channel = models.CharField(max_length=12)
    idempotency_key = models.CharField(max_length=100)
    recipient = EncryptedCharField(plain_length=100)
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    delivered_at = models.DateTimeField()

    class Meta:
        verbose_name = "本地网关投递记录"
        constraints = [
            models.UniqueConstraint(
                fields=("channel", "idempotency_key"), name="uniq_delivery_channel_key"
            )
        ]
