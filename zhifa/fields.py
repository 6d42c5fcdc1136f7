"""Model fields that hold personal data encrypted (zhifa.crypto), and its blind index.

    id_number = EncryptedCharField("证件号码", plain_length=18, index_field="id_number_index")
    id_number_index = BlindIndexField(source="id_number")

A model reads and writes the plaintext; the database holds only `sm4$…` and the index. Equality
(`filter(id_number=…)`, `party__id_number=…`, `__in`) is answered by the index column; any other
lookup on an encrypted field (contains, startswith, ordering by its order) is refused with a
FieldError, since it could only ever compare ciphertexts. The conversions are the field's own
(get_db_prep_save, from_db_value), so zhifa.rows' bare SQL writes and reads the same rows.

The companion index is computed when the row is saved (pre_save); a queryset `.update()` of an
encrypted field must set its index too (`index_value`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup

from zhifa import crypto

CIPHER_LENGTH = 255  # sm4$id$ + base64 of IV, up to 64 bytes of ciphertext, and the MAC


class EncryptedCharField(models.CharField):  # type: ignore[type-arg]
    description = "个人信息（SM4 加密存储）"

    def __init__(
        self,
        *args: Any,
        plain_length: int = 20,
        index_field: str = "",
        **kwargs: Any,
    ) -> None:
        self.plain_length = plain_length
        self.index_field = index_field
        kwargs["max_length"] = CIPHER_LENGTH
        super().__init__(*args, **kwargs)
        self.validators.append(validators.MaxLengthValidator(plain_length))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        kwargs["plain_length"] = self.plain_length
        if self.index_field:
            kwargs["index_field"] = self.index_field
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        """What the MAC binds a value to: its table and column."""
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return value
        return crypto.decrypt(value, self.context)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        value = self.get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(str(value), self.context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name in ("exact", "iexact"):
            return IndexedExact
        if lookup_name == "in":
            return IndexedIn
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(f"加密存储的“{self.verbose_name}”只能按完整的值查找（{lookup_name}）")

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"加密存储的“{self.verbose_name}”只能按完整的值查找（{lookup_name}）")


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The keyed SM3 index of an encrypted field, written whenever the row is saved."""

    description = "个人信息的检索索引（SM3 带密钥）"

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs["max_length"] = 64
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = index_value(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def index_value(plain: str) -> str:
    return crypto.blind_index(plain)


def stored(model: type[models.Model], attname: str, plain: str) -> tuple[str, str]:
    """What a row written past the ORM (bulk loads, bare SQL) holds for `plain` in an encrypted
    field: its ciphertext and its keyed index."""
    field = model._meta.get_field(attname)
    assert isinstance(field, EncryptedCharField)
    return field.get_db_prep_save(plain, None), index_value(plain)


def _index_col(lookup: Lookup) -> Col:  # type: ignore[type-arg]
    lhs = lookup.lhs
    target = getattr(lhs, "target", None)
    if not isinstance(lhs, Col) or not isinstance(target, EncryptedCharField):
        raise FieldError("加密存储的字段只能按完整的值查找")
    if not target.index_field:
        raise FieldError(f"加密存储的“{target.verbose_name}”没有检索索引，不能查找")
    index = target.model._meta.get_field(target.index_field)
    assert isinstance(index, models.Field)
    return Col(lhs.alias, index)


def _plain(value: Any) -> str:
    if hasattr(value, "resolve_expression"):
        raise FieldError("加密存储的字段只能与给定的值比较")
    return "" if value is None else str(value)


class IndexedExact(Lookup):  # type: ignore[type-arg]
    lookup_name = "exact"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        plain = _plain(self.rhs)
        if not plain:  # an empty value is stored as it is: no index needed to find it
            sql, params = compiler.compile(self.lhs)
            return f"{sql} = %s", [*params, ""]
        sql, params = compiler.compile(_index_col(self))
        found = crypto.blind_indexes(plain)
        marks = ", ".join(["%s"] * len(found))
        return f"{sql} IN ({marks})", [*params, *found]


class IndexedIn(Lookup):  # type: ignore[type-arg]
    lookup_name = "in"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(_index_col(self))
        if not isinstance(self.rhs, Iterable) or isinstance(self.rhs, str):
            raise FieldError("加密存储的字段只能与给定的值比较")
        found = sorted({i for v in self.rhs for i in crypto.blind_indexes(_plain(v))})
        if not found:
            return "1 = 0", []
        marks = ", ".join(["%s"] * len(found))
        return f"{sql} IN ({marks})", [*params, *found]


def encrypted_fields(model: type[models.Model]) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
