from __future__ import annotations

from django.db import models


class Deadline(models.Model):
    """A legal time limit as a row; `run_worker` moves it along. Never a thread or a timer."""

    class Status(models.TextChoices):
        RUNNING = "running", "计时中"
        APPROACHING = "approaching", "即将到期"
        OVERDUE = "overdue", "已超期"
        MET = "met", "已完成"
        CANCELLED = "cancelled", "已终止"

    # By label, not by import: deadlines/ sits below cases/, which starts and stops its limits.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    party = models.ForeignKey("cases.Party", null=True, blank=True, on_delete=models.CASCADE)
    code = models.CharField("期限", max_length=30)
    name = models.CharField("名称", max_length=60)
    citation = models.CharField("法律依据", max_length=60)
    starts_on = models.DateField("起算日")
    due_on = models.DateField("届满日", db_index=True)
    warn_on = models.DateField("预警日", db_index=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.RUNNING, db_index=True
    )
    stopped_on = models.DateField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "法定期限"
        indexes = [
            models.Index(fields=("status", "warn_on")),
            # The case list's 仅看已超期 (a case with an overdue limit): the few overdue limits'
            # cases, read without the table (on PostgreSQL it read every overdue row's page).
            models.Index(
                fields=("case",),
                condition=models.Q(status="overdue"),
                name="deadline_overdue_case",
            ),
        ]


class CalendarDay(models.Model):
    """Administrator-maintained 节假日/调休 table for years chinesecalendar does not cover."""

    day = models.DateField(primary_key=True)
    working = models.BooleanField()
    name = models.CharField(max_length=30, blank=True)


class CalendarYear(models.Model):
    """A year the administrator's table covers completely."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    loaded_at = models.DateTimeField(auto_now=True)


class Timer(models.Model):
    """A minute-level time rule as a row (the 10-minute drive-away window, …).

    Unlike `Deadline` (a legal limit of a case counted in days, warned and flagged), a timer fires
    once at `due_at`: the worker claims it and calls the handler registered for its `kind`
    (deadlines.services.register_timer_handler) in the same transaction that marks it fired, so a
    worker that dies half-way leaves it pending and the next run acts on it exactly once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "计时中"
        FIRED = "fired", "已触发"
        CANCELLED = "cancelled", "已取消"
        FAILED = "failed", "处理失败"

    kind = models.CharField("类型", max_length=40)
    subject = models.CharField("对象", max_length=60)  # e.g. "parking:12"
    due_at = models.DateTimeField("到期时间", db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "计时器"
        indexes = [models.Index(fields=("status", "due_at"))]
        constraints = [
            models.UniqueConstraint(fields=("kind", "subject"), name="uniq_timer_kind_subject")
        ]
