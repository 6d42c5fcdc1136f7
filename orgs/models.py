from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models

from law.certificates import (
    EMPLOYMENT_LABELS,
    REVOKE_LABELS,
    STATUS_LABELS,
    Employment,
    RevokeKind,
    Status,
    Stored,
    may_enforce,
    status_on,
)
from procedure.roles import ROLE_LABELS, Role
from zhifa.fields import EncryptedCharField


class Region(models.Model):
    """A GB/T 2260 administrative division (reference data shipped with the platform)."""

    code = models.CharField("行政区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=50)
    parent_code = models.CharField("上级代码", max_length=6, blank=True)
    level = models.CharField("层级", max_length=10)  # province | city | county
    order = models.PositiveSmallIntegerField("统计表行序", default=0)

    class Meta:
        ordering = ("order", "code")
        verbose_name = "行政区划"

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A node of the org tree: government, justice bureau, enforcement agency or township."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        JUSTICE = "justice", "司法行政机关"
        AGENCY = "agency", "行政执法机关"
        TOWNSHIP = "township", "乡镇（街道）"

    code = models.CharField("单位代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    short = models.CharField("文号简称", max_length=20, blank=True)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="行政区划")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path "/A/B/C/" of unit codes: a subtree is one prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    imported = models.BooleanField("导入创建", default=False)

    class Meta:
        ordering = ("path",)
        verbose_name = "执法主体"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = EncryptedCharField("手机号", plain_length=20, blank=True)  # SM4 (zhifa.fields)
    # 行政处罚法 Art. 58: first-time legal reviewers need the national legal qualification.
    legal_qualified = models.BooleanField("取得法律职业资格", default=False)
    # 山东省行政执法监督条例 Art. 10: only 在编 officers enforce (law.certificates.ENFORCING).
    employment = models.CharField(
        "用工性质",
        max_length=12,
        choices=[(e.value, label) for e, label in EMPLOYMENT_LABELS.items()],
        default=Employment.STAFF.value,
    )

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_set(self) -> frozenset[Role]:
        cached: frozenset[Role] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(Role(r) for r in self.roles.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, role: Role) -> bool:
        return role in self.role_set


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(
        "角色", max_length=20, choices=[(r.value, label) for r, label in ROLE_LABELS.items()]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=("user", "role"), name="uniq_user_role")]
        verbose_name = "角色授权"


class Certificate(models.Model):
    """执法证: an officer may act on a case only while holding a valid one.

    `status` is what an administrator set (有效 / 暂扣 / 吊销或注销), from `status_on` on; expiry is
    not stored: it follows from `valid_until` (law.certificates.status_on)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField("证件号", max_length=30, unique=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    scope = models.CharField("执法领域", max_length=100, blank=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name="执法区域"
    )
    issuer = models.CharField("发证机关", max_length=100, blank=True)
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    training_hours = models.PositiveSmallIntegerField("培训学时", null=True, blank=True)
    exam_on = models.DateField("考试日期", null=True, blank=True)
    exam_score = models.DecimalField(
        "考试成绩", max_digits=4, decimal_places=1, null=True, blank=True
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=[(s.value, STATUS_LABELS[Status(s.value)]) for s in Stored],
        default=Stored.VALID.value,
    )
    status_on = models.DateField("状态生效日期", null=True, blank=True)
    status_reason = models.CharField("原因", max_length=200, blank=True)
    revoke_kind = models.CharField(
        "吊销或注销",
        max_length=10,
        blank=True,
        choices=[(k.value, label) for k, label in REVOKE_LABELS.items()],
    )

    class Meta:
        verbose_name = "执法证"

    def status_for(self, day: dt.date) -> Status:
        return status_on(self.status, self.status_on, self.valid_from, self.valid_until, day)

    def status_label(self, day: dt.date) -> str:
        status = self.status_for(day)
        if status == Status.REVOKED and self.revoke_kind:
            return REVOKE_LABELS[RevokeKind(self.revoke_kind)]
        return STATUS_LABELS[status]

    def is_valid_on(self, day: dt.date) -> bool:
        """Valid on `day`, and its holder may enforce at all (the guards' `valid_certificates`)."""
        return self.status_for(day) == Status.VALID and may_enforce(self.user.employment)


class ApiToken(models.Model):
    """A bearer token for the HTTP API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "接口令牌"
