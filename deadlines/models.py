from __future__ import annotations

from django.db import models

from cases.models import Case, Party


class Deadline(models.Model):
    """A legal time limit as a row; `run_worker` moves it along. Never a thread or a timer."""

    class Status(models.TextChoices):
        RUNNING = "running", "计时中"
        APPROACHING = "approaching", "即将到期"
        OVERDUE = "overdue", "已超期"
        MET = "met", "已完成"
        CANCELLED = "cancelled", "已终止"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.CASCADE)
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
        indexes = [models.Index(fields=("status", "warn_on"))]


class CalendarDay(models.Model):
    """Administrator-maintained 节假日/调休 table for years chinesecalendar does not cover."""

    day = models.DateField(primary_key=True)
    working = models.BooleanField()
    name = models.CharField(max_length=30, blank=True)


class CalendarYear(models.Model):
    """A year the administrator's table covers completely."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    loaded_at = models.DateTimeField(auto_now=True)
