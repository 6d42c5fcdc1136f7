from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models

from procedure.roles import ROLE_LABELS, Role


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
    phone = models.CharField("手机号", max_length=20, blank=True)
    # 行政处罚法 Art. 58: first-time legal reviewers need the national legal qualification.
    legal_qualified = models.BooleanField("取得法律职业资格", default=False)

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
    """执法证: an officer may act on a case only while holding a valid one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField("证件号", max_length=30, unique=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    scope = models.CharField("执法领域", max_length=100, blank=True)
    revoked = models.BooleanField("已注销", default=False)

    class Meta:
        verbose_name = "执法证"

    def is_valid_on(self, day: dt.date) -> bool:
        return not self.revoked and self.valid_from <= day <= self.valid_until


class ApiToken(models.Model):
    """A bearer token for the HTTP API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "接口令牌"
