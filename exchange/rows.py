"""Records into rows: units, matters and handlers resolved (created when unknown), the imported
records a batch's keys replace deleted, and each batch's rows emitted into a sink (``_emit``);
``_write_rows`` writes a batch that way in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Model

from cases import counts
from cases.models import Case, Decision, Party, PenaltyItem, Review
from catalog.models import Matter
from coercion.models import CoerciveMeasure, Enforcement
from exchange.records import CaseRec, InspectionRec, RecordError, UnitRef
from inspections.models import Inspection, InspectionTarget
from inspections.selectors import tally_rows as inspection_tally_rows
from law.penalties import AMOUNT_TYPES, heaviest
from orgs.models import Region, Unit, User
from orgs.selectors import unit_path
from zhifa.fields import stored


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
        counts.uncount_cases(chunk)  # the statistics summary: what they counted goes
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
        counts.add(counts.tally(inspection_tally_rows(chunk)), sign=-1)
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
    "party": ("case_id", "index", "kind", "name", "id_number", "id_number_index"),
    "decision": (
        "case_id", "party_id", "number", "outcome", "decided_on", "heaviest", "total_amount",
    ),
    "item": ("decision_id", "type", "amount"),
    "review": ("decision_id", "kind", "filed_on", "result"),
    "measure": ("case_id", "type", "on"),
    "enforcement": ("case_id", "type", "on"),
    "inspection": ("unit_id", "inspection_no", "on", "kind", "result", "imported"),
    "target": ("inspection_id", "index", "kind", "name", "id_number", "id_number_index"),
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


# A batch's statistics summary by unit code: (code, day, event, value) → [n, cents].
UnitCounts = dict[tuple[str, Any, str, str], list[int]]


def _tally(entries: list[CaseRec], inspections: list[InspectionRec]) -> UnitCounts:
    """What a batch's rows count in the statistics summary (cases.counts), by unit code: the
    same figures a recount of the rows _emit writes gives."""
    out: UnitCounts = {}

    def add(code: str, day: Any, event: str, value: str = "", c: int = 0) -> None:
        if day is not None:
            cell = out.setdefault((code, day, event, value), [0, 0])
            cell[0] += 1
            cell[1] += c

    for check in inspections:
        add(check.unit.code, check.on, counts.INSPECTION)
    for rec in entries:
        code = rec.unit.code
        add(code, rec.filed_on, counts.FILED)
        add(code, rec.closed_on, counts.CLOSED)
        add(code, rec.transferred_on, counts.TRANSFERRED)
        for p in rec.parties:
            d = p.decision
            if d is None:
                continue
            if d.outcome == "penalty":
                types = [t for t, _ in d.penalties]
                total = sum(
                    (a for t, a in d.penalties if a is not None and t in AMOUNT_TYPES),
                    Decimal("0.00"),
                )
                kind = heaviest(types).value if types else "other"
                add(code, d.decided_on, counts.PENALTY, kind, counts.cents(total))
            for kind, r in (("reconsideration", d.reconsideration), ("litigation", d.litigation)):
                if r is not None:
                    add(code, r.filed_on, counts.REVIEW, kind)
                    if r.result == "corrected":
                        add(code, r.filed_on, counts.REVIEW_CORRECTED, kind)
        for m_type, on in rec.measures:
            add(code, on, counts.MEASURE, m_type)
        for e_type, on in rec.enforcements:
            add(code, on, counts.ENFORCEMENT, e_type)
    return out


def _count(tallied: UnitCounts, unit_ids: Mapping[str, int]) -> None:
    """Add a batch's counts to the summary, their unit codes resolved, one upsert per key."""
    counts.add({(unit_ids[code], *rest): v for (code, *rest), v in tallied.items()})


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
            add(
                "target",
                next(ids["target"]),
                (inspection_id, index, kind, name, *_sealed(InspectionTarget, number)),
            )
    case_ids, party_ids, decision_ids = ids["case"], ids["party"], ids["decision"]
    for rec in entries:
        case_id = next(case_ids)
        add("case", case_id, case_values(rec))
        for index, p in enumerate(rec.parties, start=1):
            party_id = next(party_ids)
            add("party", party_id, (case_id, index, p.kind, p.name, *_sealed(Party, p.id_number)))
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


def _sealed(model: type[Model], number: str) -> tuple[str, str]:
    """An ID number as its model stores it (zhifa.fields): the rows here go in as bare values,
    past the field's own preparation."""
    return stored(model, "id_number", number)


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
    _count(
        _tally([rec for rec, _ in keyed.values()], list(checks.values())),
        {code: unit.pk for code, unit in res.units.items()},
    )
    return replaced
