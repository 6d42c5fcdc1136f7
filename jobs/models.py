from __future__ import annotations

from django.conf import settings
from django.db import models

from orgs.models import Unit


class JobRun(models.Model):
    """One long action asked for from a page or the API (an import, an export over a long
    period): queued at once for the worker (`run_worker`), which carries it out with its progress
    (rows total/done), so the request never holds the whole work. The kind's module registers
    what the run does and who may see it (`jobs.services.register_job`).

    The uploaded file (bounded by the kind's request) and the built file are kept on the run."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=30, db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    requested_at = models.DateTimeField()
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)  # the last progress recorded
    params = models.JSONField(default=dict, blank=True)
    input_name = models.CharField(max_length=200, blank=True)
    input_data = models.BinaryField(default=b"", blank=True)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    result_count = models.PositiveIntegerField("结果数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)  # by row and column
    output_name = models.CharField(max_length=200, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    output_data = models.BinaryField(default=b"", blank=True)

    class Meta:
        verbose_name = "后台任务"
        ordering = ("-requested_at", "-id")
        indexes = [models.Index(fields=("kind", "unit", "status"))]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, 100 * self.done // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
