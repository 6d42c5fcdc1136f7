"""Rows of a model read and written through SQL built once per database, for the few paths where
the ORM's per-call work (building, compiling and materialising a query) costs more than the
database does: a case step and the limits it starts and stops.

The SQL is made from the models' own fields and the values pass through the fields' own
converters and preparation, so a row written here is the row the ORM would write, and an
instance built here is the instance the ORM would give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.expressions import Col

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


def cursor() -> CursorWrapper:
    """A cursor for the step path's statements, used as connection.cursor() is (a context
    manager, the connection's execute wrappers, query log and error translation included).

    On PostgreSQL its parameters are bound on the server, so psycopg prepares a statement on
    the connection once it has run DB_PREPARE_THRESHOLD times (the settings) and the server
    stops parsing and planning it on every step; the ORM's cursors bind on the client and are
    never prepared. On SQLite it is Django's own cursor but for the placeholders: a statement's
    are converted once (`_Converted`), not by a regular expression on every run.
    """
    # As BaseDatabaseWrapper._cursor() does, with a cursor class of the step path's; the
    # connection taken from the proxy once (each attribute of `connection` is a lookup).
    conn = connections[DEFAULT_DB_ALIAS]
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    postgres = conn.vendor == "postgresql"
    with conn.wrap_database_errors:
        if postgres:
            import psycopg

            raw: Any = psycopg.Cursor(conn.connection)
        else:
            raw = conn.connection.cursor(factory=_Converted)
    conn.validate_thread_sharing()
    if not conn.queries_logged:
        return CursorWrapper(raw, conn)
    return _LoggedAsWritten(raw, conn) if postgres else CursorDebugWrapper(raw, conn)


class _Converted(SQLiteCursorWrapper):
    """Django's SQLite cursor, each statement's %s placeholders turned into ? once: the step
    path runs a few dozen statements built once, again and again."""

    _done: ClassVar[dict[str, str]] = {}

    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is not None:
            return str(super().convert_query(query, param_names=param_names))  # type: ignore[misc]
        found = self._done.get(query)
        if found is None:
            found = str(super().convert_query(query))  # type: ignore[misc]
            if len(self._done) < 1000:  # statements built per call (IN lists) stay bounded
                self._done[query] = found
        return found


class _LoggedAsWritten(CursorDebugWrapper):
    """A logged statement reads as written, its parameters apart: psycopg keeps no text of a
    statement it ran as prepared, from which Django's log would take it."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


class Columns:
    """The concrete columns of a model under a table alias: the select list, and the converters
    that turn a cursor's values into what the model's fields hold."""

    def __init__(self, model: type[Model], alias: str, only: Sequence[str] = ()) -> None:
        qn = connection.ops.quote_name
        self.model = model
        self.fields = [
            f for f in model._meta.concrete_fields if not only or f.attname in only or f.primary_key
        ]
        self.names = [f.attname for f in self.fields]
        self.sql = ", ".join(f"{alias}.{qn(f.column)}" for f in self.fields)
        self.converters: list[tuple[int, list[Converter], Col]] = []
        for i, field in enumerate(self.fields):
            col = field.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((i, found, col))

    def __len__(self) -> int:
        return len(self.fields)

    def values(self, row: Sequence[Any], start: int = 0) -> list[Any]:
        """The fields' values whose columns start at `start` in the row, converted."""
        values = list(row[start : start + len(self.fields)])
        conn = connections[DEFAULT_DB_ALIAS]
        for i, found, col in self.converters:
            value = values[i]
            for convert in found:
                value = convert(value, col, conn)
            values[i] = value
        return values

    def build(self, row: Sequence[Any], start: int = 0) -> Any:
        """The instance whose columns start at `start` in the row, as Model.from_db makes it
        (the fields not selected deferred, the state that of a row read from the database)
        without Model.__init__'s work per field: no model here has an __init__ of its own or
        receivers of its init signals (zhifa/tests/test_rows.py holds that)."""
        obj = self.model.__new__(self.model)
        obj.__dict__.update(zip(self.names, self.values(row, start), strict=True))
        state = obj._state = ModelState()
        state.adding = False
        state.db = DEFAULT_DB_ALIAS  # `connection` is the default database's
        return obj


_inserts: dict[tuple[str, type[Model]], tuple[str, list[Any]]] = {}
_updates: dict[tuple[str, type[Model], tuple[str, ...]], tuple[str, list[Any]]] = {}


def insert(obj: M) -> M:
    """INSERT a new instance as Model.save() would (defaults and auto_now included, one
    statement), and give it its primary key."""
    model = type(obj)
    conn = connections[DEFAULT_DB_ALIAS]
    key = (conn.vendor, model)
    built = _inserts.get(key)
    if built is None:
        qn = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        pk = qn(model._meta.pk.column)
        sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {pk}"
        built = _inserts[key] = (sql, fields)
    sql, fields = built
    values = [f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields]
    with cursor() as cur:
        cur.execute(sql, values)
        row = cur.fetchone()
    assert row is not None
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
    return obj


def update(obj: Model, fields: Sequence[str]) -> None:
    """UPDATE the instance's `fields` (attnames) as save(update_fields=…) would, auto_now
    included, in one statement built once per model and set of fields."""
    model = type(obj)
    names = tuple(fields)
    conn = connections[DEFAULT_DB_ALIAS]
    key = (conn.vendor, model, names)
    built = _updates.get(key)
    if built is None:
        qn = connection.ops.quote_name
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        chosen = [by_name[n] for n in names]
        sets = ", ".join(f"{qn(f.column)} = %s" for f in chosen)
        pk = qn(model._meta.pk.column)
        sql = f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {pk} = %s"
        built = _updates[key] = (sql, chosen)
    sql, chosen = built
    values = [f.get_db_prep_save(f.pre_save(obj, False), conn) for f in chosen]
    with cursor() as cur:
        cur.execute(sql, [*values, obj.pk])


_MANY = 100  # rows per multi-row INSERT (SQLite's default limit is 32,766 parameters)


def insert_many(objs: Sequence[M], *, ignore_conflicts: bool = False) -> list[M]:
    """INSERT new instances of one model as insert() would, in one multi-row statement (per
    _MANY rows). Each gets its primary key, in order; with `ignore_conflicts` a row a unique
    constraint already holds is skipped (ON CONFLICT DO NOTHING) and no key is given back."""
    if not objs:
        return []
    model = type(objs[0])
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(qn(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = (
        " ON CONFLICT DO NOTHING" if ignore_conflicts else f" RETURNING {qn(model._meta.pk.column)}"
    )
    done: list[M] = []
    for start in range(0, len(objs), _MANY):
        chunk = objs[start : start + _MANY]
        sql = (
            f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "
            + ", ".join([row] * len(chunk))
            + tail
        )
        values = [
            f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in chunk for f in fields
        ]
        with cursor() as cur:
            cur.execute(sql, values)
            keys = [] if ignore_conflicts else [r[0] for r in cur.fetchall()]
        for i, obj in enumerate(chunk):
            if not ignore_conflicts:
                obj.pk = keys[i]
                obj._state.adding = False
                obj._state.db = connection.alias
        done.extend(chunk)
    return done
