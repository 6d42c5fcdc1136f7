from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models import Case, Party
from orgs.models import Unit


class Document(models.Model):
    """One issued document (文书): the PDF as issued, its DOCX, its number and verification code.

    A document renders one ledger entry of its case (`entry_seq`); when the step is redone a new
    version is issued and the older one stays, so every printed copy can still be verified."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("文书种类", max_length=30)
    title = models.CharField("文书名称", max_length=60)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    # What the document is about beyond the case and the party: empty for the case's own
    # documents; ("measure", CoerciveMeasure id) for a coercive measure's (one per measure),
    # ("enforcement", EnforcementRecord id) for an enforcement record's (one per record).
    subject_kind = models.CharField("文书对象", max_length=20, blank=True, default="")
    subject_id = models.PositiveIntegerField("文书对象编号", null=True, blank=True)
    number = models.CharField("文号", max_length=60, db_index=True)
    code = models.CharField("核验码", max_length=16, unique=True)
    entry_seq = models.PositiveIntegerField("所据记录序号")
    version = models.PositiveSmallIntegerField("版本", default=1)
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="documents/%Y/%m/")
    docx = models.FileField(upload_to="documents/%Y/%m/")
    issued_at = models.DateTimeField("生成时间")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "执法文书"
        constraints = [
            models.UniqueConstraint(
                fields=("case", "kind", "party", "entry_seq"), name="uniq_document_version"
            ),
            models.UniqueConstraint(
                fields=("case", "kind", "entry_seq"),
                condition=models.Q(party__isnull=True, subject_kind=""),
                name="uniq_case_document_version",
            ),
            models.UniqueConstraint(
                fields=("case", "kind", "subject_kind", "subject_id", "entry_seq"),
                condition=~models.Q(subject_kind=""),
                name="uniq_subject_document_version",
            ),
            models.CheckConstraint(
                condition=models.Q(subject_kind="", subject_id__isnull=True)
                | (~models.Q(subject_kind="") & models.Q(subject_id__isnull=False)),
                name="document_subject_complete",
            ),
        ]
        indexes = [models.Index(fields=("subject_kind", "subject_id"), name="document_subject")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class DocumentCounter(models.Model):
    """Per-unit, per-kind, per-year counters for the numbers of documents without their own
    series in cases (告知书, 听证通知书, 送达回证…)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    kind = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("unit", "kind", "year"), name="uniq_document_counter")
        ]


class Dossier(models.Model):
    """A case's 卷宗 as assembled: one PDF of the cover, the table of contents, every issued
    document (latest version), the evidence list, the full record and the 备考表.

    Assembling again keeps the earlier versions, so a copy handed to a review stays verifiable."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="dossiers")
    version = models.PositiveSmallIntegerField("版本")
    pdf = models.FileField(upload_to="dossiers/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField("页数")
    document_count = models.PositiveIntegerField("文书份数")
    record_seq = models.PositiveIntegerField("所含记录截至序号")
    created_at = models.DateTimeField("组卷时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "卷宗"
        constraints = [
            models.UniqueConstraint(fields=("case", "version"), name="uniq_dossier_version")
        ]

    def __str__(self) -> str:
        return f"卷宗 {self.case_id} 第{self.version}版"
