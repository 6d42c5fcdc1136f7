"""The bulk path: rows built in the parser processes (COPY text on PostgreSQL, parameter tuples
for a SQLite bulk load) with ids taken in file order, the writer streaming them, and a bulk load's
table locks, the secondary indexes and foreign keys dropped and rebuilt, and the id sequences.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Model

from cases.models import Case, Decision, Party, PenaltyItem, Review
from coercion.models import CoerciveMeasure, Enforcement
from exchange.records import CaseRec, InspectionRec, UnitRef, _parse_batch
from exchange.rows import (
    _DRAW_IDS,
    _TABLE_MODELS,
    _VARYING,
    ImportReport,
    UnitCounts,
    _case_values,
    _count,
    _drawn,
    _emit,
    _replace_existing,
    _replace_inspections,
    _Resolver,
    _Rows,
    _Sink,
    _tally,
)
from inspections.models import Inspection, InspectionTarget
from orgs.models import Unit


class BulkLockError(RuntimeError):
    """A bulk load could not take the case tables: users are still in them."""


# --- bulk load on PostgreSQL: the parser processes build the COPY data ------------------------
#
# A bulk load holds the case tables' ACCESS EXCLUSIVE locks, so no other session inserts into
# them: ids come from counters shared by this process and its parser processes (the sequences are
# moved past them at the end), and each parser process turns its batch into COPY text. The writer
# only fills in the unit, matter and handler of each case (it alone may create them) and streams.

_MARK = "\x00"  # a case row's unit, matter and handler ids, filled in by the writer
_COPY_ESCAPES = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPE = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _copy_str(value: str) -> str:
    if _COPY_ESCAPES.search(value):
        return _COPY_ESCAPES.sub(lambda m: _COPY_ESCAPE[m.group()], value)
    return value


_COPY_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: _copy_str,
    type(None): lambda _: "\\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    Decimal: str,
    dt.date: dt.date.isoformat,
    dt.datetime: dt.datetime.isoformat,
}


def _copy_text(value: Any) -> str:
    """A value in COPY's text format."""
    try:
        return _COPY_BY_TYPE[type(value)](value)
    except KeyError:
        raise TypeError(f"no COPY text for {type(value).__name__}") from None


@dataclass(frozen=True, slots=True)
class _CopySpec:
    copy_sql: str
    template: str  # a row: "{0}" the id, "{i}" the i-th varying value, constants in place


def _copy_specs() -> dict[str, _CopySpec]:
    specs = {}
    for table, model in _TABLE_MODELS.items():
        varying = _VARYING[table]
        rows = _Rows(model, varying)
        fields = ["{0}"]
        for name in rows.attnames:
            if name in rows.const:
                fields.append(_copy_text(rows.const[name]).replace("{", "{{").replace("}", "}}"))
            else:
                fields.append(f"{{{varying.index(name) + 1}}}")
        specs[table] = _CopySpec(rows.copy_sql, "\t".join(fields))
    return specs


class _Counters:
    """Next free id per table, shared with forked parser processes."""

    def __init__(self, first: Mapping[str, int]) -> None:
        import multiprocessing

        self.values = {
            t: multiprocessing.get_context("fork").Value("q", v) for t, v in first.items()
        }

    def take(self, table: str, n: int) -> range:
        value = self.values[table]
        with value.get_lock():
            first = int(value.value)
            value.value = first + n
        return range(first, first + n)


TURN_TIMEOUT = 600.0  # seconds a batch waits for the one before it to take its ids


class _Turns:
    """Batches take their ids in file order, whichever parser process gets there first, so that
    ids (and the export, which follows them) keep the file's order. A batch that failed to parse
    still takes its turn, or the ones after it would wait for ever."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.next = context.Value("q", 0, lock=False)
        self.changed = context.Condition()

    @contextmanager
    def turn(self, k: int) -> Iterator[None]:
        with self.changed:
            if not self.changed.wait_for(lambda: self.next.value == k, timeout=TURN_TIMEOUT):
                raise RuntimeError(f"第{k + 1}批之前的批次未能完成校验（校验进程异常退出？）")
            try:
                yield
            finally:
                self.next.value = k + 1
                self.changed.notify_all()


class _SequenceIds:
    """Ids drawn from the tables' own sequences (PostgreSQL, on line: the platform draws from them
    too), over a connection of the drawing process's own: a forked parser process must not use
    the writer's. Sequences are not transactional, so drawing outside the batch's transaction is
    safe; a batch that fails leaves a gap, as any rolled-back insert does."""

    def __init__(self) -> None:
        self.params = connection.get_connection_params()
        self.pid = 0
        self.conn: Any = None

    def take(self, table: str, n: int) -> Sequence[int]:
        if n == 0:
            return []
        if self.pid != os.getpid():
            import psycopg

            self.conn = psycopg.connect(**self.params, autocommit=True)
            self.pid = os.getpid()
        return _drawn(
            self.conn.execute(_DRAW_IDS, [_TABLE_MODELS[table]._meta.db_table, n]).fetchone()
        )

    def close(self) -> None:
        if self.conn is not None and self.pid == os.getpid():
            self.conn.close()


class _BatchSink(_Sink):
    """Rows a parser process builds for one batch, with ids taken in the batch's turn."""

    def __init__(
        self, counters: _Counters | _SequenceIds, turn: AbstractContextManager[None]
    ) -> None:
        self.counters = counters
        self._turn = turn

    def turn(self) -> AbstractContextManager[None]:
        return self._turn

    def ids(self, table: str, n: int) -> Sequence[int]:
        return self.counters.take(table, n)


class _TextSink(_BatchSink):
    def __init__(
        self,
        specs: Mapping[str, _CopySpec],
        counters: _Counters | _SequenceIds,
        turn: AbstractContextManager[None],
    ) -> None:
        super().__init__(counters, turn)
        self.specs = specs
        self.lines: dict[str, list[str]] = {table: [] for table in specs}

    def add(self, table: str, pk: int, values: Sequence[Any]) -> None:
        spec = self.specs[table]
        self.lines[table].append(spec.template.format(pk, *[_copy_text(v) for v in values]))


def _sqlite_value(value: Any) -> Any:
    """A value as Django's SQLite adapters would store it (dates ISO text, decimals as text)."""
    kind = type(value)
    if kind is dt.date:
        return value.isoformat()
    if kind is Decimal:
        return str(value)
    return value


@dataclass(frozen=True, slots=True)
class _RowSpec:
    sql: str
    positions: dict[str, int]  # varying column → its index in a row (the id is 0)
    places: tuple[int, ...]  # the row index of each varying value, in their order
    template: tuple[Any, ...]  # a row with the constants in place


def _row_specs() -> dict[str, _RowSpec]:
    specs = {}
    for table, model in _TABLE_MODELS.items():
        rows = _Rows(model, _VARYING[table])
        template = (None, *(rows.const.get(n) for n in rows.attnames))
        positions = {n: i for i, n in enumerate(rows.attnames, 1) if n not in rows.const}
        places = tuple(positions[n] for n in _VARYING[table])
        specs[table] = _RowSpec(rows.sql, positions, places, template)
    return specs


class _TupleSink(_BatchSink):
    def __init__(
        self,
        specs: Mapping[str, _RowSpec],
        counters: _Counters | _SequenceIds,
        turn: AbstractContextManager[None],
    ) -> None:
        super().__init__(counters, turn)
        self.specs = specs
        self.rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in specs}

    def add(self, table: str, pk: int, values: Sequence[Any]) -> None:
        spec = self.specs[table]
        row = list(spec.template)
        row[0] = pk
        for value, position in zip(values, spec.places, strict=True):
            row[position] = _sqlite_value(value)
        self.rows[table].append(tuple(row))


@dataclass(frozen=True, slots=True)
class _Bulk:
    """What a bulk load's parser processes need: how to build rows and where ids come from."""

    copy: bool  # PostgreSQL: COPY text; SQLite: parameter tuples
    copy_specs: dict[str, _CopySpec]
    row_specs: dict[str, _RowSpec]
    counters: _Counters | _SequenceIds
    turns: _Turns = field(default_factory=_Turns)


@dataclass(slots=True)
class _Prepared:
    """A batch parsed, validated and turned into COPY text by a parser process."""

    sm3: str
    case_count: int  # case lines, a repeated key counted each time
    units: dict[str, dict[str, tuple[int, UnitRef]]]  # code → region → first line, fields
    matters: dict[str, str]  # code → name, as first named
    heads: list[tuple[int, str, str, str]]  # line, unit code, case_no, matter code ("" = none)
    case_rows: list[Any]  # COPY lines (or SQLite rows) with _MARK for unit, matter and handler
    inspection_count: int  # inspection lines, a repeated key counted each time
    checks: list[tuple[int, str, str]]  # line, unit code, inspection_no
    inspection_rows: list[Any]  # with _MARK for the unit
    children: dict[str, Any]  # table → COPY data (or SQLite rows)
    tallied: UnitCounts  # what the batch counts in the statistics summary, by unit code


_BULK: _Bulk | None = None  # set in the writer before its parser processes fork


@contextmanager
def _loading(state: _Bulk) -> Iterator[_Bulk]:
    """The load's state for the parser processes (forked inside the block) and the writer,
    cleared when the block ends."""
    global _BULK
    _BULK = state
    try:
        yield state
    finally:
        _BULK = None


def _case_marks(rec: CaseRec) -> tuple[Any, ...]:
    return _case_values(rec, _MARK, _MARK, _MARK)


def _prepare_batch(lines: list[tuple[int, str]], k: int) -> _Prepared:
    """Parse, validate and build a batch's COPY data (runs in a parser process)."""
    assert _BULK is not None
    try:
        recs, sm3 = _parse_batch(lines)
    except BaseException:
        with _BULK.turns.turn(k):
            raise
    keyed: dict[tuple[str, str], CaseRec] = {}
    checked: dict[tuple[str, str], InspectionRec] = {}
    units: dict[str, dict[str, tuple[int, UnitRef]]] = {}
    matters: dict[str, str] = {}
    for rec in recs:
        # Each region a unit code comes with, at its first line: the writer resolves them in line
        # order, so a unit known under another region fails at the same line as row by row.
        units.setdefault(rec.unit.code, {}).setdefault(rec.unit.region, (rec.line, rec.unit))
        if isinstance(rec, CaseRec):
            keyed[(rec.unit.code, rec.case_no)] = rec  # a later line of the batch replaces
            if rec.matter:
                matters.setdefault(*rec.matter)
        else:
            checked[(rec.unit.code, rec.inspection_no)] = rec
    cases, checks = list(keyed.values()), list(checked.values())
    sink: _TextSink | _TupleSink
    if _BULK.copy:
        sink = _TextSink(_BULK.copy_specs, _BULK.counters, _BULK.turns.turn(k))
        _emit(cases, checks, sink, _case_marks, lambda _: _MARK)
        case_rows: list[Any] = sink.lines.pop("case")
        inspection_rows: list[Any] = sink.lines.pop("inspection")
        children: dict[str, Any] = {
            t: ("\n".join(rows) + "\n").encode() for t, rows in sink.lines.items() if rows
        }
    else:
        sink = _TupleSink(_BULK.row_specs, _BULK.counters, _BULK.turns.turn(k))
        _emit(cases, checks, sink, _case_marks, lambda _: _MARK)
        case_rows = sink.rows.pop("case")
        inspection_rows = sink.rows.pop("inspection")
        children = {t: rows for t, rows in sink.rows.items() if rows}
    same = {code: code for code in units} | {code: code for code in matters}  # one str each
    return _Prepared(
        sm3=sm3,
        case_count=sum(isinstance(r, CaseRec) for r in recs),
        units=units,
        matters=matters,
        heads=[
            (r.line, same[r.unit.code], r.case_no, same[r.matter[0]] if r.matter else "")
            for r in cases
        ],
        case_rows=case_rows,
        inspection_count=sum(isinstance(r, InspectionRec) for r in recs),
        checks=[(r.line, same[r.unit.code], r.inspection_no) for r in checks],
        inspection_rows=inspection_rows,
        children=children,
        tallied=_tally(cases, checks),
    )


def _write_prepared(prep: _Prepared, res: _Resolver) -> int:
    units: dict[str, Unit] = {}
    firsts = sorted(
        (line, ref) for regions in prep.units.values() for line, ref in regions.values()
    )
    for line, ref in firsts:
        units.setdefault(ref.code, res.unit(ref, line))
    matters: dict[str, int | None] = {
        code: res.matter(code, name) for code, name in prep.matters.items()
    }
    matters[""] = None
    handlers = {code: res.handler(unit) for code, unit in units.items()}
    keyed = {(units[code].pk, case_no): line for line, code, case_no, _ in prep.heads}
    replaced = _replace_existing(keyed, res)
    checks = {(units[code].pk, no): line for line, code, no in prep.checks}
    replaced += _replace_inspections(checks, res)
    assert _BULK is not None
    heads = zip(prep.heads, prep.case_rows, strict=True)
    inspections = zip(prep.checks, prep.inspection_rows, strict=True)
    with connection.cursor() as cur:
        if _BULK.copy:
            null = "\\N"
            lines = []
            for (_, code, _, matter), text in heads:
                before_unit, before_matter, before_handler, rest = text.split(_MARK)
                matter_id = matters[matter]
                lines.append(
                    f"{before_unit}{units[code].pk}{before_matter}"
                    f"{null if matter_id is None else matter_id}"
                    f"{before_handler}{handlers[code]}{rest}"
                )
            checked = [
                f"{before}{units[code].pk}{rest}"
                for (_, code, _), text in inspections
                for before, rest in [text.split(_MARK)]
            ]
            specs = _BULK.copy_specs
            for table, texts in (("case", lines), ("inspection", checked)):
                if texts:
                    with (
                        connection.wrap_database_errors,
                        cur.cursor.copy(specs[table].copy_sql) as copy,
                    ):
                        copy.write("\n".join(texts) + "\n")
            for table, data in prep.children.items():
                with (
                    connection.wrap_database_errors,
                    cur.cursor.copy(specs[table].copy_sql) as copy,
                ):
                    copy.write(data)
        else:
            at = _BULK.row_specs["case"].positions
            unit_at, matter_at, handler_at = at["unit_id"], at["matter_id"], at["handler_id"]
            rows = []
            for (_, code, _, matter), values in heads:
                row = list(values)
                row[unit_at] = units[code].pk
                row[matter_at] = matters[matter]
                row[handler_at] = handlers[code]
                rows.append(row)
            cur.executemany(_BULK.row_specs["case"].sql, rows)
            at_unit = _BULK.row_specs["inspection"].positions["unit_id"]
            checked_rows = []
            for (_, code, _), values in inspections:
                row = list(values)
                row[at_unit] = units[code].pk
                checked_rows.append(row)
            cur.executemany(_BULK.row_specs["inspection"].sql, checked_rows)
            for table, data in prep.children.items():
                cur.executemany(_BULK.row_specs[table].sql, data)
    _count(prep.tallied, {code: unit.pk for code, unit in units.items()})
    return replaced


def _sequences_next() -> dict[str, int]:
    """The next value of each case table's id sequence (PostgreSQL)."""
    first = {}
    with connection.cursor() as cur:
        for table, model in _TABLE_MODELS.items():
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
            first[table] = int(cur.fetchone()[0])
    return first


def _sqlite_next() -> dict[str, int]:
    """The next id of each case table (SQLite; this transaction holds the write lock). Never
    below the AUTOINCREMENT high-water mark, which the inserts then move on."""
    return {table: _Rows(model, ()).ids(1)[0] for table, model in _TABLE_MODELS.items()}


def _sequences_past(counters: _Counters) -> None:
    """Move each sequence past the ids the counters handed out."""
    with connection.cursor() as cur:
        for table, value in counters.values.items():
            cur.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                " GREATEST(%s, (SELECT last_value FROM pg_sequences"
                "  WHERE schemaname || '.' || sequencename = pg_get_serial_sequence(%s, 'id'))))",
                [
                    _TABLE_MODELS[table]._meta.db_table,
                    int(value.value) - 1,
                    _TABLE_MODELS[table]._meta.db_table,
                ],
            )


_IMPORTED_MODELS: tuple[type[Model], ...] = (
    Case, Party, Decision, PenaltyItem, Review, CoerciveMeasure, Enforcement, Inspection,
    InspectionTarget,
)  # fmt: skip

# Indexes the import itself reads while loading (the key lookup of a re-import, the child rows of
# a replaced case), by their leading columns: kept through a bulk load. Every other secondary index
# is dropped and rebuilt at the end.
_LOOKUP_PREFIXES = (("case_id",), ("decision_id",), ("inspection_id",), ("case_no",))


def _serves_lookup(columns: Sequence[str]) -> bool:
    return any(tuple(columns[: len(p)]) == p for p in _LOOKUP_PREFIXES)


@contextmanager
def _bulk_load(models: tuple[type[Model], ...], report: ImportReport) -> Iterator[None]:
    """Inside the caller's transaction: drop the secondary indexes (and, on PostgreSQL, the foreign
    keys) of the models' tables and re-create them from their own definitions when the block ends
    without an exception. An exception propagates and the caller's rollback restores them."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Take every table at once, and fail clearly rather than wait behind users.
            cur.execute(
                "SET LOCAL lock_timeout = %s", [f"{settings.IMPORT_BULK_LOCK_SECONDS * 1000}ms"]
            )
            cur.execute(
                "SELECT DISTINCT c.confrelid::regclass::text FROM pg_constraint c"
                " WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)"
                " AND NOT c.confrelid::regclass::text = ANY(%s)",
                [tables, tables],
            )
            referenced = sorted(r[0] for r in cur.fetchall())  # units, users, matters
            quoted = connection.ops.quote_name
            try:
                with transaction.atomic():
                    cur.execute(
                        f"LOCK TABLE {', '.join(map(quoted, tables))} IN ACCESS EXCLUSIVE MODE"
                    )
                    # What dropping and re-adding the foreign keys takes: writes wait, reads go on.
                    cur.execute(
                        f"LOCK TABLE {', '.join(map(quoted, referenced))}"
                        " IN SHARE ROW EXCLUSIVE MODE"
                    )
            except OperationalError as exc:
                raise BulkLockError(
                    f"案件相关数据表正被其他用户使用，{settings.IMPORT_BULK_LOCK_SECONDS}秒内未能"
                    "取得；批量导入须在停机窗口内执行（或不加 --bulk 导入）"
                ) from exc
            # Django's foreign keys are deferred: check what this transaction already queued,
            # since a table with pending checks cannot be altered.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cur.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
                " FROM pg_constraint c WHERE c.contype = 'f'"
                " AND c.conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
                [tables],
            )
            fks = cur.fetchall()
            cur.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid), ARRAY("
                "  SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)"
                "  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                "  ORDER BY k.n)"
                " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE i.indrelid::regclass::text = ANY(%s)"
                " AND NOT i.indisprimary AND NOT i.indisunique ORDER BY 1",
                [tables],
            )
            indexes = [
                (name, sql)
                for name, sql, columns in cur.fetchall()
                if not (_serves_lookup(columns) and " USING btree (" in sql and "_ops" not in sql)
            ]
        else:
            fks = []
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({', '.join(['%s'] * len(tables))}) ORDER BY name",
                tables,
            )
            indexes = []
            for name, sql in cur.fetchall():
                cur.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})")
                columns = [row[2] for row in cur.fetchall()]
                if not sql.upper().startswith("CREATE UNIQUE") and not _serves_lookup(columns):
                    indexes.append((name, sql))
        quote = connection.ops.quote_name
        for table, name, _ in fks:
            cur.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cur.execute(f"DROP INDEX {quote(name)}")
    yield
    start = time.perf_counter()
    with connection.cursor() as cur:
        for _, sql in indexes:
            cur.execute(sql)
        for table, name, definition in fks:
            cur.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
    report.rebuild_seconds = time.perf_counter() - start
