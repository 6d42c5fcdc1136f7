"""The stored personal data column by column, in bare SQL: encrypting the plaintext an older
version left (the migrations), re-encrypting under a new data key, rebuilding the index under a
new index key, and counting the values under each key (`manage.py data_key`).

Bare SQL because the ORM reads these columns through the field, which refuses anything that is
not its own ciphertext: here the stored text itself is what is looked at.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Field

from zhifa import crypto
from zhifa.fields import encrypted_fields

BATCH = 500


@dataclass(frozen=True)
class Column:
    table: str
    pk: str
    column: str
    index: str  # the companion index column, "" for none

    @property
    def context(self) -> str:
        return f"{self.table}.{self.column}"


def columns() -> list[Column]:
    """Every encrypted column of the installed models."""
    found = []
    for model in global_apps.get_models():
        for f in encrypted_fields(model):
            index = ""
            if f.index_field:
                companion = model._meta.get_field(f.index_field)
                assert isinstance(companion, Field)
                index = companion.column
            found.append(Column(model._meta.db_table, model._meta.pk.column, f.column, index))
    return found


def _batches(col: Column, cursor: Any) -> Iterator[list[tuple[Any, str]]]:
    qn = connection.ops.quote_name
    last: Any = None
    while True:
        where = f"WHERE {qn(col.pk)} > %s" if last is not None else ""
        cursor.execute(
            f"SELECT {qn(col.pk)}, {qn(col.column)} FROM {qn(col.table)} {where} "
            f"ORDER BY {qn(col.pk)} LIMIT {BATCH}",
            [last] if last is not None else [],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [(pk, value or "") for pk, value in rows]


def _rewrite(col: Column, change: Callable[[str], tuple[str, str] | None]) -> int:
    """Apply `change` (stored → (new stored, index) or None) to every row, a batch per
    transaction. The number of rows changed."""
    qn = connection.ops.quote_name
    sets = f"{qn(col.column)} = %s" + (f", {qn(col.index)} = %s" if col.index else "")
    sql = f"UPDATE {qn(col.table)} SET {sets} WHERE {qn(col.pk)} = %s"
    changed = 0
    with connection.cursor() as reader:
        for batch in _batches(col, reader):
            with transaction.atomic(), connection.cursor() as writer:
                for pk, stored in batch:
                    new = change(stored)
                    if new is None:
                        continue
                    params = [new[0], new[1]] if col.index else [new[0]]
                    writer.execute(sql, [*params, pk])
                    changed += 1
    return changed


def encrypt_plaintext(col: Column) -> int:
    """Encrypt the values still in plaintext (rows written before the column was encrypted)."""

    def change(stored: str) -> tuple[str, str] | None:
        if not stored or crypto.is_ciphertext(stored):
            return None
        return crypto.encrypt(stored, col.context), crypto.blind_index(stored)

    return _rewrite(col, change)


def decrypt_to_plaintext(col: Column) -> int:
    """The way back (a migration reversed): every value in plaintext, the index emptied."""

    def change(stored: str) -> tuple[str, str] | None:
        if not crypto.is_ciphertext(stored):
            return None
        return crypto.decrypt(stored, col.context), ""

    return _rewrite(col, change)


def reencrypt(col: Column) -> int:
    """Every value under a key other than the active one, re-encrypted under the active one."""
    active = crypto.ring().active

    def change(stored: str) -> tuple[str, str] | None:
        if not stored or crypto.key_id_of(stored) == active:
            return None
        plain = crypto.decrypt(stored, col.context)
        return crypto.encrypt(plain, col.context), crypto.blind_index(plain)

    return _rewrite(col, change)


def reindex(col: Column) -> int:
    """Every index recomputed under the current index key."""

    def change(stored: str) -> tuple[str, str] | None:
        if not stored:
            return None
        plain = crypto.decrypt(stored, col.context)
        return stored, crypto.blind_index(plain)

    return _rewrite(col, change) if col.index else 0


def usage() -> Counter[str]:
    """How many stored values each data key id holds ("" for plaintext left over)."""
    counts: Counter[str] = Counter()
    with connection.cursor() as cursor:
        for col in columns():
            for batch in _batches(col, cursor):
                counts.update(crypto.key_id_of(v) for _pk, v in batch if v)
    return counts


def migration(app_label: str, model: str, field: str) -> tuple[Any, Any]:
    """The forward and backward functions of a RunPython that encrypts the existing rows of one
    column (and fills its index) and, reversed, decrypts them."""

    def _column(apps: Any) -> Column:
        m = apps.get_model(app_label, model)
        f = m._meta.get_field(field)
        index = m._meta.get_field(f.index_field).column if getattr(f, "index_field", "") else ""
        return Column(m._meta.db_table, m._meta.pk.column, f.column, index)

    def forward(apps: Any, schema_editor: Any) -> None:
        encrypt_plaintext(_column(apps))

    def backward(apps: Any, schema_editor: Any) -> None:
        decrypt_to_plaintext(_column(apps))

    return forward, backward
