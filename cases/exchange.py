"""The exchange format (数据汇聚): ``zhifa.case/1`` and ``zhifa.inspection/1`` JSON Lines.

See shared/exchange.md. Import is validated line by line (unknown fields are errors), idempotent
(key: unit code + case_no / inspection_no; a re-import replaces the imported record) and
all-or-nothing per batch. Export writes the same format back, so that export → import into an
empty database gives the same statistics forms.

Choices made here (the format leaves them open):
- An imported case gets ``imported=True``, status ``closed`` with step ``end`` when ``closed_on`` is
  given, otherwise status ``open`` with step ``execution`` when it holds a decision and
  ``investigation`` when it does not. Its ``discovered_on`` is its ``filed_on``.
- ``Case.handler`` is required: each unit gets one placeholder user ``import:<unit code>``
  (inactive, unusable password, no roles) that "handles" the unit's imported cases.
- A unit unknown to the platform is created (``imported=True``) under the government unit of the
  region ``unit.region`` names (``<region>-GOV``, created too when missing, under its parent
  region's). A matter unknown to the platform is created with ``imported=True``.
- The ledger is the platform's own record: imported cases get no per-case chain. Each committed
  batch appends one entry to the stream ``import:<first 32 hex of the batch's SM3>`` holding the
  SM3 of the batch's raw lines, the file name, the line range and the counts.
- A key that belongs to a case handled on the platform (``imported=False``) is an error: an import
  never overwrites the platform's own record.

Two ways to write (``import_lines(bulk=...)``, ``import_cases --bulk``): batch by batch, each its
own transaction, while the platform runs; or as a bulk load for a maintenance window, one
transaction with a savepoint per batch in which the case tables' secondary indexes and foreign keys
are dropped and rebuilt (see ``_bulk_load``). The parser processes also turn their batches into
rows (COPY text on PostgreSQL, either way; parameter tuples for a SQLite bulk load); the writer only
resolves units, matters and handlers and streams them.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import orjson
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import OperationalError, connection, transaction
from django.db.models import Model, Q, QuerySet

from cases.models import Case, Decision, Party, PenaltyItem, Review
from catalog.models import Matter
from coercion.models import CoerciveMeasure, Enforcement
from inspections.models import Inspection, InspectionTarget
from law.penalties import AMOUNT_TYPES, PenaltyType, heaviest, validate_penalty_items
from law.validators import credit_code_errors, id_card_errors
from ledger.services import SYSTEM_ACTOR, ledger_append
from orgs.models import Region, Unit, User
from orgs.selectors import unit_path

CASE_SCHEMA = "zhifa.case/1"
INSPECTION_SCHEMA = "zhifa.inspection/1"
DEFAULT_BATCH = 10_000

PROCEDURES = ("general", "simple")
PENALTY_CODES: dict[str, PenaltyType] = {t.value: t for t in PenaltyType}
PENALTY_CHOICES = tuple(PENALTY_CODES)
SOURCES = tuple(c.value for c in Case.Source)
PARTY_KINDS = ("person", "organisation", "other")
OUTCOMES = ("penalty", "no_penalty", "transfer")
REVIEW_RESULTS: tuple[str | None, ...] = (None, "upheld", "corrected")
MEASURE_TYPES = tuple(c.value for c in CoerciveMeasure.Type)
ENFORCEMENT_TYPES = tuple(c.value for c in Enforcement.Type)
INSPECTION_KINDS = tuple(c.value for c in Inspection.Kind)
INSPECTION_RESULTS = tuple(c.value for c in Inspection.Result)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_TOTAL = Decimal("99999999999999.99")  # a decision's 罚没金额 column: 16 digits, 2 decimals
_AMOUNT = re.compile(r"\d{1,14}(\.\d{1,2})?")


_UNIT_FIELDS = frozenset({"code", "name", "region"})
_MATTER_FIELDS = frozenset({"code", "name"})
_PARTY_FIELDS = frozenset({"kind", "name", "id_number", "decision"})
_DECISION_FIELDS = frozenset(
    {"no", "decided_on", "outcome", "penalties", "reconsideration", "litigation"}
)
_TYPE = frozenset({"type"})
_AMOUNT_FIELD = frozenset({"amount"})
_REVIEW_FIELDS = frozenset({"filed_on", "result"})
_EVENT_FIELDS = frozenset({"type", "on"})
_INSPECTION_FIELDS = frozenset(
    {"schema", "unit", "inspection_no", "on", "kind", "targets", "result"}
)
_TARGET_FIELDS = frozenset({"kind", "name", "id_number"})


class RecordError(ValueError):
    """A line that cannot be imported: its line number, the field and why (Chinese)."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(f"第{line}行 {field}：{message}")
        self.line = line
        self.field = field
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a parser process, re-raised here
        return (RecordError, (self.line, self.field, self.message))


class BulkLockError(RuntimeError):
    """A bulk load could not take the case tables: users are still in them."""


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message


# --- parsing one line ----------------------------------------------------------------------


def _obj(
    value: Any, path: str, required: frozenset[str], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    if type(value) is dict and value.keys() == required:
        return value  # the usual line: exactly the fields it must have
    if not isinstance(value, dict):
        raise _Bad(path or "(记录)", "应为JSON对象")
    unknown = sorted(set(value) - required - optional)
    if unknown:
        raise _Bad(f"{path}.{unknown[0]}" if path else unknown[0], "未知字段")
    for name in sorted(required):
        if name not in value:
            raise _Bad(f"{path}.{name}" if path else name, "缺少必填字段")
    return value


def _str(value: Any, path: str, max_length: int, *, blank: bool = False) -> str:
    if not isinstance(value, str):
        raise _Bad(path, "应为字符串")
    text = value.strip()
    if not text and not blank:
        raise _Bad(path, "不能为空")
    if len(text) > max_length:
        raise _Bad(path, f"长度不能超过{max_length}个字符")
    if "\x00" in text:
        raise _Bad(path, "不能包含空字符（\\u0000）")  # no database stores it in text
    return text


def _date(value: Any, path: str, *, null: bool = False) -> dt.date | None:
    if value is None and null:
        return None
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise _Bad(path, "日期格式应为YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(path, "日期无效") from None


def _code(value: Any, path: str, choices: tuple[str | None, ...]) -> Any:
    if value in choices:
        return value
    shown = "、".join(str(c) for c in choices if c is not None)
    raise _Bad(path, f"代码“{value}”无效，应为：{shown}")


def _amount(value: Any, path: str) -> Decimal:
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value):
        raise _Bad(path, '金额应为以元为单位、最多两位小数的字符串，如"2000.00"')
    try:
        return Decimal(value)
    except InvalidOperation:
        raise _Bad(path, "金额无效") from None


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(path, "应为数组")
    return value


@dataclass(frozen=True, slots=True)
class UnitRef:
    code: str
    name: str
    region: str


@dataclass(slots=True)
class ReviewRec:
    filed_on: dt.date
    result: str | None


@dataclass(slots=True)
class DecisionRec:
    no: str
    decided_on: dt.date
    outcome: str
    penalties: list[tuple[PenaltyType, Decimal | None]]
    reconsideration: ReviewRec | None
    litigation: ReviewRec | None


@dataclass(slots=True)
class PartyRec:
    kind: str
    name: str
    id_number: str
    decision: DecisionRec | None


@dataclass(slots=True)
class CaseRec:
    line: int
    unit: UnitRef
    case_no: str
    procedure: str
    matter: tuple[str, str] | None
    source: str
    filed_on: dt.date
    closed_on: dt.date | None
    transferred_on: dt.date | None
    parties: list[PartyRec]
    measures: list[tuple[str, dt.date]]
    enforcements: list[tuple[str, dt.date]]


@dataclass(slots=True)
class InspectionRec:
    line: int
    unit: UnitRef
    inspection_no: str
    on: dt.date
    kind: str
    targets: list[tuple[str, str, str]]
    result: str


def _unit(value: Any) -> UnitRef:
    u = _obj(value, "unit", _UNIT_FIELDS)
    region = _str(u["region"], "unit.region", 6)
    if not re.fullmatch(r"\d{6}", region):
        raise _Bad("unit.region", "应为6位GB/T 2260行政区划代码")
    return UnitRef(_str(u["code"], "unit.code", 40), _str(u["name"], "unit.name", 100), region)


def _id_number(kind: str, value: Any, path: str) -> str:
    if kind == "other":
        if value is None:
            return ""
        return _str(value, path, 18, blank=True)
    number = _str(value, path, 18).upper()
    errors = id_card_errors(number) if kind == "person" else credit_code_errors(number)
    if errors:
        raise _Bad(path, errors[0])
    return number


def _review(value: Any, path: str) -> ReviewRec | None:
    if value is None:
        return None
    r = _obj(value, path, _REVIEW_FIELDS)
    filed = _date(r["filed_on"], f"{path}.filed_on")
    assert filed is not None
    return ReviewRec(filed, _code(r["result"], f"{path}.result", REVIEW_RESULTS))


def _decision(value: Any, path: str) -> DecisionRec | None:
    if value is None:
        return None
    d = _obj(value, path, _DECISION_FIELDS)
    outcome = _code(d["outcome"], f"{path}.outcome", OUTCOMES)
    penalties: list[tuple[PenaltyType, Decimal | None]] = []
    for i, raw in enumerate(_list(d["penalties"], f"{path}.penalties")):
        p_path = f"{path}.penalties[{i}]"
        p = _obj(raw, p_path, _TYPE, _AMOUNT_FIELD)
        ptype = PENALTY_CODES[_code(p["type"], f"{p_path}.type", PENALTY_CHOICES)]
        amount = p.get("amount")
        if ptype in AMOUNT_TYPES:
            if amount is None:
                raise _Bad(f"{p_path}.amount", "罚款、没收违法所得、没收非法财物应当填写金额")
            penalties.append((ptype, _amount(amount, f"{p_path}.amount")))
        elif amount is not None:
            raise _Bad(f"{p_path}.amount", f"处罚种类{ptype.value}不应填写金额")
        else:
            penalties.append((ptype, None))
    if outcome == "penalty":
        errors = validate_penalty_items(penalties)
        if errors:
            raise _Bad(f"{path}.penalties", errors[0])
        if sum(a for _, a in penalties if a is not None) > MAX_TOTAL:
            raise _Bad(f"{path}.penalties", "罚没金额合计超出可记录的范围（不超过14位整数）")
    elif penalties:
        raise _Bad(f"{path}.penalties", "不予处罚或移送的决定不应有处罚种类")
    decided = _date(d["decided_on"], f"{path}.decided_on")
    assert decided is not None
    return DecisionRec(
        no=_str(d["no"], f"{path}.no", 60),
        decided_on=decided,
        outcome=outcome,
        penalties=penalties,
        reconsideration=_review(d["reconsideration"], f"{path}.reconsideration"),
        litigation=_review(d["litigation"], f"{path}.litigation"),
    )


_CASE_FIELDS = frozenset({
    "schema", "unit", "case_no", "procedure", "matter", "source", "filed_on", "closed_on",
    "transferred_on", "parties", "coercive_measures", "enforcements",
})  # fmt: skip


def parse_case(obj: Any, line: int) -> CaseRec:
    c = _obj(obj, "", _CASE_FIELDS)
    matter = None
    if c["matter"] is not None:
        m = _obj(c["matter"], "matter", _MATTER_FIELDS)
        matter = (_str(m["code"], "matter.code", 40), _str(m["name"], "matter.name", 200))
    filed = _date(c["filed_on"], "filed_on")
    assert filed is not None
    closed = _date(c["closed_on"], "closed_on", null=True)
    if closed is not None and closed < filed:
        raise _Bad("closed_on", "结案日期早于立案日期")
    parties: list[PartyRec] = []
    for i, raw in enumerate(_list(c["parties"], "parties")):
        path = f"parties[{i}]"
        p = _obj(raw, path, _PARTY_FIELDS)
        kind = _code(p["kind"], f"{path}.kind", PARTY_KINDS)
        parties.append(
            PartyRec(
                kind=kind,
                name=_str(p["name"], f"{path}.name", 200),
                id_number=_id_number(kind, p["id_number"], f"{path}.id_number"),
                decision=_decision(p["decision"], f"{path}.decision"),
            )
        )
    if not parties:
        raise _Bad("parties", "至少应当有一个当事人")

    def events(key: str, choices: tuple[str, ...]) -> list[tuple[str, dt.date]]:
        out = []
        for i, raw in enumerate(_list(c[key], key)):
            e = _obj(raw, f"{key}[{i}]", _EVENT_FIELDS)
            on = _date(e["on"], f"{key}[{i}].on")
            assert on is not None
            out.append((_code(e["type"], f"{key}[{i}].type", choices), on))
        return out

    return CaseRec(
        line=line,
        unit=_unit(c["unit"]),
        case_no=_str(c["case_no"], "case_no", 60),
        procedure=_code(c["procedure"], "procedure", PROCEDURES),
        matter=matter,
        source=_code(c["source"], "source", SOURCES),
        filed_on=filed,
        closed_on=closed,
        transferred_on=_date(c["transferred_on"], "transferred_on", null=True),
        parties=parties,
        measures=events("coercive_measures", MEASURE_TYPES),
        enforcements=events("enforcements", ENFORCEMENT_TYPES),
    )


def parse_inspection(obj: Any, line: int) -> InspectionRec:
    r = _obj(obj, "", _INSPECTION_FIELDS)
    targets = []
    for i, raw in enumerate(_list(r["targets"], "targets")):
        path = f"targets[{i}]"
        t = _obj(raw, path, _TARGET_FIELDS)
        kind = _code(t["kind"], f"{path}.kind", PARTY_KINDS)
        targets.append(
            (
                kind,
                _str(t["name"], f"{path}.name", 200),
                _id_number(kind, t["id_number"], f"{path}.id_number"),
            )
        )
    on = _date(r["on"], "on")
    assert on is not None
    return InspectionRec(
        line=line,
        unit=_unit(r["unit"]),
        inspection_no=_str(r["inspection_no"], "inspection_no", 60),
        on=on,
        kind=_code(r["kind"], "kind", INSPECTION_KINDS),
        targets=targets,
        result=_code(r["result"], "result", INSPECTION_RESULTS),
    )


def parse_line(text: str, line: int) -> CaseRec | InspectionRec:
    """One line of the file, validated; RecordError names the line and the field."""
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise RecordError(line, "(JSON)", f"不是有效的JSON：{exc.msg}") from None
    try:
        if not isinstance(obj, dict):
            raise _Bad("(记录)", "应为JSON对象")
        schema = obj.get("schema")
        if schema == CASE_SCHEMA:
            return parse_case(obj, line)
        if schema == INSPECTION_SCHEMA:
            return parse_inspection(obj, line)
        raise _Bad("schema", f"应为{CASE_SCHEMA}或{INSPECTION_SCHEMA}")
    except _Bad as bad:
        raise RecordError(line, bad.field, bad.message) from None


# --- writing a batch -----------------------------------------------------------------------


@dataclass
class ImportReport:
    cases: int = 0
    inspections: int = 0
    replaced: int = 0
    batches: int = 0
    lines: int = 0
    units_created: list[str] = field(default_factory=list)
    matters_created: list[str] = field(default_factory=list)
    rebuild_seconds: float = 0.0  # a bulk load: re-creating the indexes and foreign keys


class _Resolver:
    """Units, matters, regions and placeholder handlers, cached across batches."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.had_cases: set[int] | None = None
        self.units: dict[str, Unit] = {}
        self.matters: dict[str, int] = {}
        self.handlers: dict[int, int] = {}
        self.fresh: dict[tuple[type[Model], int], set[int] | None] = {}
        self.password = make_password(None)

    def region(self, code: str, line: int) -> Region:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise RecordError(line, "unit.region", f"未知的行政区划代码“{code}”")
        return region

    def government(self, region: Region, line: int) -> Unit:
        gov = Unit.objects.filter(region=region, kind=Unit.Kind.GOVERNMENT).order_by("path").first()
        if gov is not None:
            return gov
        parent = None
        if region.parent_code and Region.objects.filter(code=region.parent_code).exists():
            parent = self.government(self.region(region.parent_code, line), line)
        gov = Unit.objects.create(
            code=f"{region.code}-GOV",
            name=f"{region.name}人民政府",
            kind=Unit.Kind.GOVERNMENT,
            region=region,
            parent=parent,
            path=unit_path(parent, f"{region.code}-GOV"),
            imported=True,
        )
        self.report.units_created.append(gov.code)
        return gov

    def unit(self, ref: UnitRef, line: int) -> Unit:
        unit = self.units.get(ref.code)
        if unit is None:
            unit = Unit.objects.select_related("region").filter(code=ref.code).first()
            if unit is None:
                region = self.region(ref.region, line)
                parent = self.government(region, line)
                unit = Unit.objects.create(
                    code=ref.code,
                    name=ref.name,
                    kind=Unit.Kind.AGENCY,
                    region=region,
                    parent=parent,
                    path=unit_path(parent, ref.code),
                    imported=True,
                )
                self.report.units_created.append(ref.code)
            self.units[ref.code] = unit
        if unit.region_id != ref.region:
            raise RecordError(
                line,
                "unit.region",
                f"单位“{ref.code}”在平台中的行政区划为{unit.region_id}，与记录的{ref.region}不一致",
            )
        return unit

    def fresh_keys(self, model: type[Model], unit_id: int) -> set[int] | None:
        """Hashes of the numbers this run wrote for a unit that had no record of ``model`` (cases,
        inspections) before it, or None for a unit that had (its keys are looked up)."""
        key = (model, unit_id)
        if key not in self.fresh:
            if model is Case and self.had_cases is not None:
                had = unit_id in self.had_cases
            else:
                had = model._default_manager.filter(unit_id=unit_id).exists()
            self.fresh[key] = None if had else set()
        return self.fresh[key]

    def prime(self) -> None:
        """Note the units that have cases, once, while the unit index is still there (bulk)."""
        self.had_cases = set(Case.objects.values_list("unit_id", flat=True).distinct())

    def matter(self, code: str, name: str) -> int:
        pk = self.matters.get(code)
        if pk is None:
            pk = Matter.objects.filter(code=code).values_list("pk", flat=True).first()
            if pk is None:
                pk = Matter.objects.create(code=code, name=name, imported=True).pk
                self.report.matters_created.append(code)
            self.matters[code] = pk
        return pk

    def handler(self, unit: Unit) -> int:
        pk = self.handlers.get(unit.pk)
        if pk is None:
            user, _ = User.objects.get_or_create(
                username=f"import:{unit.code}"[:150],
                defaults={
                    "full_name": "历史数据导入",
                    "unit": unit,
                    "is_active": False,
                    "password": self.password,
                },
            )
            pk = self.handlers[unit.pk] = user.pk
        return pk


def _chunks(ids: list[int], size: int = 900) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _delete_cases(ids: list[int]) -> None:
    """Remove imported cases being replaced, children first (no per-row cascade collection)."""
    for chunk in _chunks(ids):
        PenaltyItem.objects.filter(decision__case_id__in=chunk).delete()
        Review.objects.filter(decision__case_id__in=chunk).delete()
        Decision.objects.filter(case_id__in=chunk).delete()
        Party.objects.filter(case_id__in=chunk).delete()
        CoerciveMeasure.objects.filter(case_id__in=chunk).delete()
        Enforcement.objects.filter(case_id__in=chunk).delete()
        Case.objects.filter(pk__in=chunk).delete()


# n values from a table's id sequence: a range when they came out contiguous (the usual case: one
# round trip, no list of n ints), the whole list when another session drew meanwhile.
_DRAW_IDS = (
    "WITH s AS (SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS v"
    " FROM generate_series(1, %s))"
    " SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL"
    " ELSE array_agg(v) END FROM s"
)


def _drawn(row: tuple[int, int, list[int] | None]) -> Sequence[int]:
    low, high, scattered = row
    return range(low, high + 1) if scattered is None else scattered


class _Rows:
    """Raw multi-row inserts for one model: ids allocated up front, constant columns (defaults,
    auto_now) computed once from a default instance, one executemany per table and batch.
    The ORM's bulk_create spends most of an import compiling SQL; this keeps the same columns and
    the same database values without it."""

    def __init__(self, model: type[Model], varying: tuple[str, ...]) -> None:
        self.model = model
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        template = model()
        self.varying = varying
        const: dict[str, Any] = {}
        for f in fields:
            if f.attname not in varying:
                const[f.attname] = f.get_db_prep_save(f.pre_save(template, add=True), connection)
        missing = set(varying) - {f.attname for f in fields}
        if missing:
            raise RuntimeError(f"{model.__name__} has no fields {sorted(missing)}")
        quote = connection.ops.quote_name
        self.attnames = [f.attname for f in fields]
        cols = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * (len(fields) + 1))
        self.sql = f"INSERT INTO {quote(self.table)} ({quote('id')}, {cols}) VALUES ({marks})"
        self.copy_sql = f"COPY {quote(self.table)} ({quote('id')}, {cols}) FROM STDIN"
        self.const = const
        # Each column after the id: (index into the varying values, None) or (-1, the constant).
        self.plan = [
            (varying.index(name), None) if name in varying else (-1, const[name])
            for name in self.attnames
        ]
        self.rows: list[tuple[Any, ...]] = []

    def ids(self, n: int) -> Sequence[int]:
        if n == 0:
            return []
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # n values from the table's own sequence, as a range when they came out contiguous
                # (the usual case: one round trip, no list of n ints); the whole list when another
                # session drew from the sequence meanwhile.
                cur.execute(_DRAW_IDS, [self.table, n])
                return _drawn(cur.fetchone())
            # SQLite: the import's transaction holds the write lock (BEGIN IMMEDIATE). Never reuse
            # the id of a deleted row (AUTOINCREMENT's promise; "case:<id>" names a ledger stream).
            table = connection.ops.quote_name(self.table)
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            top = int(cur.fetchone()[0])
            cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            row = cur.fetchone()
            first = max(top, int(row[0]) if row else 0) + 1
            return list(range(first, first + n))

    def add(self, pk: int, values: Sequence[Any]) -> None:
        """A row from its varying values, in the order of the ``varying`` names."""
        self.rows.append((pk, *[values[i] if i >= 0 else c for i, c in self.plan]))

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # COPY: one stream per table instead of a round trip per row (on the driver's
                # cursor, its errors turned into Django's as every statement's are).
                with connection.wrap_database_errors, cur.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cur.executemany(self.sql, self.rows)
        self.rows = []


def _case_values(rec: CaseRec, unit_id: Any, matter_id: Any, handler_id: Any) -> tuple[Any, ...]:
    """A case row's values, in the order of ``_VARYING["case"]``."""
    decisions = [p.decision for p in rec.parties if p.decision is not None]
    outcomes = {d.outcome for d in decisions}
    outcome = (
        Case.Outcome.PENALTY
        if "penalty" in outcomes
        else Case.Outcome.TRANSFER
        if "transfer" in outcomes or rec.transferred_on
        else Case.Outcome.NO_PENALTY
        if outcomes
        else ""
    )
    closed = rec.closed_on is not None
    return (
        unit_id,
        rec.procedure,
        rec.case_no,
        matter_id,
        rec.source,
        rec.filed_on,  # discovered_on
        "end" if closed else ("execution" if decisions else "investigation"),
        Case.Status.CLOSED.value if closed else Case.Status.OPEN.value,
        str(outcome),
        handler_id,
        rec.filed_on,
        rec.closed_on,
        rec.transferred_on,
        True,  # imported
    )


def _replace(
    keyed: Mapping[tuple[int, str], int],
    res: _Resolver,
    model: type[Model],
    number: str,
    delete: Callable[[list[int]], None],
    platform_own: str,
) -> int:
    """Delete the imported records that the batch's keys (unit id, number → line) replace; a key
    of a record the platform made itself is an error (``platform_own`` says so, with the number)."""
    replaced = 0
    by_unit: dict[int, list[str]] = {}
    for unit_id, no in keyed:
        by_unit.setdefault(unit_id, []).append(no)
    for unit_id, nos in by_unit.items():
        seen = res.fresh_keys(model, unit_id)
        if seen is not None:
            # A unit that had none when this import began: only a key written earlier in this
            # same run can exist; look those few up, skip the database for the rest.
            hashed = [hash(no) for no in nos]
            nos = [no for no, h in zip(nos, hashed, strict=True) if h in seen]
            seen.update(hashed)
        for i in range(0, len(nos), 900):
            existing = list(
                model._default_manager.filter(
                    unit_id=unit_id, **{f"{number}__in": nos[i : i + 900]}
                ).values_list("pk", number, "imported")
            )
            own = [no for _, no, imported in existing if not imported]
            if own:
                raise RecordError(
                    keyed[(unit_id, own[0])], number, platform_own.format(number=own[0])
                )
            if existing:
                delete([pk for pk, _, _ in existing])
                replaced += len(existing)
    return replaced


def _replace_existing(keyed: Mapping[tuple[int, str], int], res: _Resolver) -> int:
    return _replace(
        keyed,
        res,
        Case,
        "case_no",
        _delete_cases,
        "案件“{number}”由平台办理，不能被导入的记录覆盖",
    )


def _delete_inspections(ids: list[int]) -> None:
    for chunk in _chunks(ids):
        InspectionTarget.objects.filter(inspection_id__in=chunk).delete()
        Inspection.objects.filter(pk__in=chunk).delete()


def _replace_inspections(keyed: Mapping[tuple[int, str], int], res: _Resolver) -> int:
    return _replace(
        keyed,
        res,
        Inspection,
        "inspection_no",
        _delete_inspections,
        "行政检查“{number}”由平台记录，不能被导入的记录覆盖",
    )


class _Sink:
    """Where _emit puts rows: ``add(table, pk, values)``, the values in the order of
    ``_VARYING[table]``; ``ids(table, n)``, all of a
    batch's taken inside ``turn()``."""

    def ids(self, table: str, n: int) -> Sequence[int]:
        raise NotImplementedError

    def turn(self) -> AbstractContextManager[None]:
        return nullcontext()

    def add(self, table: str, pk: int, values: Sequence[Any]) -> None:
        raise NotImplementedError


# The columns each row of a table gives (the others keep their defaults), in the order _emit
# passes them.
_VARYING: dict[str, tuple[str, ...]] = {
    "case": (
        "unit_id", "procedure", "case_no", "matter_id", "source", "discovered_on", "step",
        "status", "outcome", "handler_id", "filed_on", "closed_on", "transferred_on", "imported",
    ),
    "party": ("case_id", "index", "kind", "name", "id_number"),
    "decision": (
        "case_id", "party_id", "number", "outcome", "decided_on", "heaviest", "total_amount",
    ),
    "item": ("decision_id", "type", "amount"),
    "review": ("decision_id", "kind", "filed_on", "result"),
    "measure": ("case_id", "type", "on"),
    "enforcement": ("case_id", "type", "on"),
    "inspection": ("unit_id", "inspection_no", "on", "kind", "result", "imported"),
    "target": ("inspection_id", "index", "kind", "name", "id_number"),
}  # fmt: skip
_TABLE_MODELS: dict[str, type[Model]] = {
    "case": Case, "party": Party, "decision": Decision, "item": PenaltyItem, "review": Review,
    "measure": CoerciveMeasure, "enforcement": Enforcement, "inspection": Inspection,
    "target": InspectionTarget,
}  # fmt: skip


def _counts(entries: list[CaseRec], inspections: list[InspectionRec]) -> dict[str, int]:
    """How many rows of each table a batch writes."""
    all_decisions = [p.decision for r in entries for p in r.parties if p.decision is not None]
    return {
        "case": len(entries),
        "party": sum(len(r.parties) for r in entries),
        "decision": len(all_decisions),
        "item": sum(len(d.penalties) for d in all_decisions),
        "review": sum(
            (d.reconsideration is not None) + (d.litigation is not None) for d in all_decisions
        ),
        "measure": sum(len(r.measures) for r in entries),
        "enforcement": sum(len(r.enforcements) for r in entries),
        "inspection": len(inspections),
        "target": sum(len(r.targets) for r in inspections),
    }


def _emit(
    entries: list[CaseRec],
    inspections: list[InspectionRec],
    sink: _Sink,
    case_values: Callable[[CaseRec], tuple[Any, ...]],
    unit_id: Callable[[InspectionRec], Any],
) -> None:
    """The rows of a batch: its cases with everything under them, and its inspections with their
    targets; ids taken from the sink at once, in the batch's turn. ``case_values(rec)`` gives a
    case row's values, ``unit_id(rec)`` an inspection's unit."""
    with sink.turn():
        ids = {
            table: iter(sink.ids(table, n)) for table, n in _counts(entries, inspections).items()
        }
    add = sink.add
    for check in inspections:
        inspection_id = next(ids["inspection"])
        add(
            "inspection",
            inspection_id,
            (unit_id(check), check.inspection_no, check.on, check.kind, check.result, True),
        )
        for index, (kind, name, number) in enumerate(check.targets, start=1):
            add("target", next(ids["target"]), (inspection_id, index, kind, name, number))
    case_ids, party_ids, decision_ids = ids["case"], ids["party"], ids["decision"]
    for rec in entries:
        case_id = next(case_ids)
        add("case", case_id, case_values(rec))
        for index, p in enumerate(rec.parties, start=1):
            party_id = next(party_ids)
            add("party", party_id, (case_id, index, p.kind, p.name, p.id_number))
            d = p.decision
            if d is None:
                continue
            decision_id = next(decision_ids)
            types = [t for t, _ in d.penalties]
            total = sum(
                (a for t, a in d.penalties if a is not None and t in AMOUNT_TYPES),
                Decimal("0.00"),
            )
            add(
                "decision",
                decision_id,
                (
                    case_id,
                    party_id,
                    d.no,
                    d.outcome,
                    d.decided_on,
                    heaviest(types).value if types else "",
                    total,
                ),
            )
            for t, a in d.penalties:
                add("item", next(ids["item"]), (decision_id, t.value, a))
            for kind, r in (("reconsideration", d.reconsideration), ("litigation", d.litigation)):
                if r is not None:
                    add(
                        "review",
                        next(ids["review"]),
                        (decision_id, kind, r.filed_on, r.result or ""),
                    )
        for m_type, on in rec.measures:
            add("measure", next(ids["measure"]), (case_id, m_type, on))
        for e_type, on in rec.enforcements:
            add("enforcement", next(ids["enforcement"]), (case_id, e_type, on))


class _RowSink(_Sink):
    """Rows written by this process through _Rows (executemany on SQLite, COPY on PostgreSQL)."""

    def __init__(self) -> None:
        self.rows = {table: _Rows(model, _VARYING[table]) for table, model in _TABLE_MODELS.items()}

    def ids(self, table: str, n: int) -> Sequence[int]:
        return self.rows[table].ids(n)

    def add(self, table: str, pk: int, values: Sequence[Any]) -> None:
        self.rows[table].add(pk, values)

    def flush(self) -> None:
        for rows in self.rows.values():
            rows.flush()


def _write_rows(cases: list[CaseRec], inspections: list[InspectionRec], res: _Resolver) -> int:
    """Write one batch row by row in this process (the caller holds the transaction)."""
    keyed: dict[tuple[int, str], tuple[CaseRec, Unit]] = {}
    for rec in cases:
        unit = res.unit(rec.unit, rec.line)
        keyed[(unit.pk, rec.case_no)] = (rec, unit)  # a later line of the batch replaces
    checks: dict[tuple[int, str], InspectionRec] = {}
    for insp in inspections:
        checks[(res.unit(insp.unit, insp.line).pk, insp.inspection_no)] = insp
    replaced = _replace_existing({k: rec.line for k, (rec, _) in keyed.items()}, res)
    replaced += _replace_inspections({k: r.line for k, r in checks.items()}, res)
    units = {rec.line: unit for rec, unit in keyed.values()}

    def case_values(rec: CaseRec) -> tuple[Any, ...]:
        unit = units[rec.line]
        matter_id = res.matter(*rec.matter) if rec.matter else None
        return _case_values(rec, unit.pk, matter_id, res.handler(unit))

    sink = _RowSink()
    _emit(
        [rec for rec, _ in keyed.values()],
        list(checks.values()),
        sink,
        case_values,
        lambda insp: res.units[insp.unit.code].pk,
    )
    sink.flush()
    return replaced


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


_BULK: _Bulk | None = None  # set in the writer before its parser processes fork


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
    return replaced


Parsed = tuple[list[CaseRec | InspectionRec], str]


def _parse_batch(lines: list[tuple[int, str]], k: int = 0) -> Parsed:
    """Validate a batch and hash its lines (pure: runs in a parser process with --workers)."""
    recs = [parse_line(text, n) for n, text in lines]
    digest = hashlib.new("sm3")
    for _, text in lines:
        digest.update(text.encode("utf-8"))
        digest.update(b"\n")
    return recs, digest.hexdigest()


def _write_batch(
    lines: list[tuple[int, str]],
    parsed: Parsed | _Prepared,
    res: _Resolver,
    report: ImportReport,
    source: str,
) -> None:
    if isinstance(parsed, _Prepared):
        sm3, case_count, insp_count = parsed.sm3, parsed.case_count, parsed.inspection_count
    else:
        recs, sm3 = parsed
        case_recs = [r for r in recs if isinstance(r, CaseRec)]
        insp_recs = [r for r in recs if isinstance(r, InspectionRec)]
        case_count, insp_count = len(case_recs), len(insp_recs)
    with transaction.atomic():
        units_before = dict(res.units)
        try:
            if isinstance(parsed, _Prepared):
                replaced = _write_prepared(parsed, res)
            else:
                replaced = _write_rows(case_recs, insp_recs, res)
            ledger_append(
                stream=f"import:{sm3[:32]}",
                action="case_import",
                payload={
                    "source": source,
                    "lines": [lines[0][0], lines[-1][0]],
                    "sm3": sm3,
                    "cases": case_count,
                    "inspections": insp_count,
                    "replaced": replaced,
                },
                actor_id=None,
                actor_name=SYSTEM_ACTOR,
                role="import",
            )
        except BaseException:
            # Units, matters and handlers created in this batch are rolled back with it.
            res.units = units_before
            res.matters.clear()
            res.handlers.clear()
            res.fresh.clear()
            res.had_cases = None
            raise
    report.cases += case_count
    report.inspections += insp_count
    report.replaced += replaced
    report.batches += 1
    report.lines += len(lines)


def _batches(lines: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for n, raw in enumerate(lines, start=1):
        text = raw.rstrip("\r\n")
        if not text.strip():
            continue
        batch.append((n, text))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _parsed(
    lines: Iterable[str],
    batch_size: int,
    workers: int,
    prepare: Callable[[list[tuple[int, str]], int], Any] = _parse_batch,
) -> Iterator[tuple[list[tuple[int, str]], Any]]:
    """The file's batches in order, each with its parse; with ``workers`` > 1 parsed in that many
    processes ahead of the writer (at most two batches per worker in flight)."""
    if workers <= 1:
        for k, batch in enumerate(_batches(lines, batch_size)):
            yield batch, prepare(batch, k)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[tuple[list[tuple[int, str]], Future[Any]]] = deque()
        for k, batch in enumerate(_batches(lines, batch_size)):
            pending.append((batch, pool.submit(prepare, batch, k)))
            if len(pending) >= 2 * workers:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def import_lines(
    lines: Iterable[str],
    *,
    batch_size: int = DEFAULT_BATCH,
    source: str = "-",
    workers: int = 1,
    bulk: bool = False,
) -> ImportReport:
    """Import JSON Lines; batches before a bad one stay, the bad one raises RecordError.

    With ``workers`` > 1, batches are parsed and validated in that many processes while this one
    writes them, in file order.

    ``bulk`` loads the way pg_restore does, for large loads into a platform that can be taken off
    line meanwhile (the initial load of a city's history, the province's 数据汇聚): the whole import
    is one transaction with a savepoint per batch; the case tables' secondary indexes and foreign
    keys are dropped at the start and re-created, as they were, at the end. Other sessions cannot
    read or write cases until it commits. The outcome is the same as without it: batches before a
    bad one stay, nothing of the bad one does; a crash or an interrupt leaves nothing at all.
    """
    global _BULK
    report = ImportReport()
    res = _Resolver(report)
    if not bulk and (connection.vendor != "postgresql" or workers <= 1):
        for batch, parsed in _parsed(lines, batch_size, workers):
            _write_batch(batch, parsed, res, report, source)
        return report
    if not bulk:
        # On line on PostgreSQL with parser processes: each batch its own transaction, the COPY
        # data built beside the parsing as in a bulk load, ids drawn from the sequences.
        ids = _SequenceIds()
        _BULK = _Bulk(copy=True, copy_specs=_copy_specs(), row_specs={}, counters=ids)
        try:
            for batch, parsed in _parsed(lines, batch_size, workers, _prepare_batch):
                _write_batch(batch, parsed, res, report, source)
        finally:
            _BULK = None
            ids.close()
        return report
    failure: RecordError | None = None
    res.prime()
    with transaction.atomic(), _bulk_load(_IMPORTED_MODELS, report):
        copy = connection.vendor == "postgresql"
        _BULK = _Bulk(
            copy=copy,
            copy_specs=_copy_specs() if copy else {},
            row_specs={} if copy else _row_specs(),
            counters=_Counters(_sequences_next() if copy else _sqlite_next()),
        )
        counters = _BULK.counters
        try:
            for batch, parsed in _parsed(lines, batch_size, workers, _prepare_batch):
                _write_batch(batch, parsed, res, report, source)  # a savepoint each
        except RecordError as exc:
            failure = exc  # its batch is rolled back to its savepoint; commit the ones before
        finally:
            _BULK = None
        # Reached only when the load commits (any other exception rolls it all back, and an
        # aborted transaction would refuse the statement and hide the exception).
        if copy and isinstance(counters, _Counters):
            _sequences_past(counters)
    if failure is not None:
        raise failure
    return report


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


def open_text(path: str) -> IO[str]:
    """A file path ('.gz' decompressed) or '-' for standard input, as UTF-8 text."""
    import sys

    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return Path(path).open(encoding="utf-8")


# --- export --------------------------------------------------------------------------------


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.01')):f}"


def cases_for_export(*, unit: Unit | None = None, year: int | None = None) -> QuerySet[Case]:
    """Filed cases of a subtree; with a year, those with any event the forms count in it."""
    qs = Case.objects.exclude(filed_on=None)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if year is not None:
        y = Q(filed_on__year=year) | Q(closed_on__year=year) | Q(transferred_on__year=year)
        y |= Q(decisions__decided_on__year=year) | Q(decisions__reviews__filed_on__year=year)
        y |= Q(coercive_measures__on__year=year) | Q(enforcements__on__year=year)
        qs = qs.filter(pk__in=Case.objects.filter(y).values("pk"))
    return qs.order_by("pk")


def case_record(case: Case) -> dict[str, Any]:
    unit = case.unit
    reviews: dict[tuple[int, str], Review] = {}
    decisions = {d.party_id: d for d in case.decisions.all()}
    for d in decisions.values():
        for r in d.reviews.all():
            reviews[(d.pk, r.kind)] = r

    def review(d: Decision, kind: str) -> dict[str, Any] | None:
        r = reviews.get((d.pk, kind))
        return None if r is None else {"filed_on": _day(r.filed_on), "result": r.result or None}

    parties = []
    for p in case.parties.all():
        pd = decisions.get(p.pk)
        parties.append(
            {
                "kind": p.kind,
                "name": p.name,
                "id_number": p.id_number or None,
                "decision": None
                if pd is None
                else {
                    "no": pd.number,
                    "decided_on": _day(pd.decided_on),
                    "outcome": pd.outcome,
                    "penalties": [
                        {"type": i.type}
                        if i.amount is None
                        else {"type": i.type, "amount": _money(i.amount)}
                        for i in sorted(pd.items.all(), key=lambda i: i.pk)
                    ],
                    "reconsideration": review(pd, "reconsideration"),
                    "litigation": review(pd, "litigation"),
                },
            }
        )
    return {
        "schema": CASE_SCHEMA,
        "unit": {"code": unit.code, "name": unit.name, "region": unit.region_id},
        "case_no": case.case_no,
        "procedure": case.procedure,
        "matter": None
        if case.matter is None
        else {"code": case.matter.code, "name": case.matter.name},
        "source": case.source,
        "filed_on": _day(case.filed_on),
        "closed_on": _day(case.closed_on),
        "transferred_on": _day(case.transferred_on),
        "parties": parties,
        # Measures carried out (a proposed or rejected one has no date and was never applied).
        "coercive_measures": [
            {"type": m.type, "on": _day(m.on)}
            for m in sorted(case.coercive_measures.all(), key=lambda m: m.pk)
            if m.on is not None
        ],
        "enforcements": [
            {"type": e.type, "on": _day(e.on)}
            for e in sorted(case.enforcements.all(), key=lambda e: e.pk)
        ],
    }


def inspection_record(i: Inspection) -> dict[str, Any]:
    return {
        "schema": INSPECTION_SCHEMA,
        "unit": {"code": i.unit.code, "name": i.unit.name, "region": i.unit.region_id},
        "inspection_no": i.inspection_no,
        "on": _day(i.on),
        "kind": i.kind,
        "targets": [
            {"kind": t.kind, "name": t.name, "id_number": t.id_number or None}
            for t in i.targets.all()
        ],
        "result": i.result,
    }


def export_lines(*, unit: Unit | None = None, year: int | None = None) -> Iterator[str]:
    """The records of a subtree (and year) as JSON Lines, cases first, then inspections."""
    cases = cases_for_export(unit=unit, year=year).select_related("unit", "matter")
    cases = cases.prefetch_related(
        "parties", "decisions__items", "decisions__reviews", "coercive_measures", "enforcements"
    )
    for case in cases.iterator(chunk_size=2000):
        yield json.dumps(case_record(case), ensure_ascii=False, separators=(",", ":"))
    insp = Inspection.objects.select_related("unit").prefetch_related("targets").order_by("pk")
    if unit is not None:
        insp = insp.filter(unit__path__startswith=unit.path)
    if year is not None:
        insp = insp.filter(on__year=year)
    for i in insp.iterator(chunk_size=2000):
        yield json.dumps(inspection_record(i), ensure_ascii=False, separators=(",", ":"))


def dump(records: Iterable[Mapping[str, Any]]) -> str:
    """JSON Lines text of records (tests and the benchmark generator)."""
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
