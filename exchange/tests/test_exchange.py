from __future__ import annotations

import copy
import datetime as dt
import gzip
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, Decision, Party, PenaltyItem, Review, Tally
from cases.services.reviews import review_conclude, review_file
from cases.tests.flow import advance, register
from coercion.models import CoerciveMeasure, Enforcement
from exchange.export import dump, export_lines
from exchange.load import ImportReport, RecordError, import_lines
from inspections.models import Inspection, InspectionTarget
from ledger.models import Entry
from ledger.services import ledger_verify
from orgs.models import Unit, User
from orgs.services import regions_ensure
from supervision.selectors import Period, form_table
from supervision.tests.records import ORG, PERSON_2, case, fine, known_2022, party
from zhifa import crypto
from zhifa.fields import EncryptedCharField

CASE_FORMS = ("penalty", "coercion", "inspection")


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    return org


# How an import can run: batch by batch on line, or as one bulk load (indexes and foreign keys
# rebuilt at the end; on PostgreSQL its COPY data built here or in parser processes).
MODES: dict[str, dict[str, Any]] = {
    "online": {},
    "bulk": {"bulk": True},
    "bulk-parallel": {"bulk": True, "workers": 2},
}


@pytest.fixture(params=list(MODES))
def load(request: Any) -> Callable[..., ImportReport]:
    def run(lines: Iterable[str], **kw: Any) -> ImportReport:
        return import_lines(lines, **{**MODES[request.param], **kw})

    return run


def forms(org: Any, year: int) -> dict[str, Any]:
    out = {}
    for f in CASE_FORMS:
        table = form_table(f, root=org.city, period=Period.year(year))
        out[f] = [(r.label, r.values) for r in table.all_rows()]
    return out


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (
            Case,
            Party,
            Decision,
            PenaltyItem,
            Review,
            CoerciveMeasure,
            Enforcement,
            Inspection,
        )
    )


def lines_with(bad_line: int, change: Any) -> list[str]:
    records = known_2022()
    change(records[bad_line - 1])
    return dump(records).splitlines()


def test_an_import_creates_the_rows_the_forms_count(city, load):
    report = load(dump(known_2022()).splitlines())
    assert (report.cases, report.inspections, report.batches) == (7, 4, 1)
    a = Case.objects.get(case_no="A")
    assert a.imported and a.status == "closed" and a.step == "end" and a.outcome == "penalty"
    assert a.handler.username == "import:371500-CGJ" and not a.handler.is_active
    assert not a.handler.roles.exists()
    first = Decision.objects.get(number="A-1")
    assert first.heaviest == "confiscate_gains" and str(first.total_amount) == "6200.50"
    b = Case.objects.get(case_no="B")
    assert b.status == "open" and b.step == "execution" and str(b.transferred_on) == "2022-07-01"
    sx = Unit.objects.get(code="371522-SCJG")
    assert sx.imported and sx.parent is not None and sx.parent.code == "371522-GOV"
    assert sx.path == "/371500-GOV/371522-GOV/371522-SCJG/"


def test_each_batch_leaves_one_ledger_entry_with_the_sm3_of_its_lines(city, load):
    text = dump(known_2022())
    load(text.splitlines(), batch_size=5)
    entries = list(Entry.objects.filter(stream__startswith="import:").order_by("id"))
    assert [e.payload["lines"] for e in entries] == [[1, 5], [6, 10], [11, 11]]
    import hashlib

    first = "".join(line + "\n" for line in text.splitlines()[:5]).encode()
    assert entries[0].payload["sm3"] == hashlib.new("sm3", first).hexdigest()
    assert ledger_verify() == []


@pytest.mark.parametrize(
    ("line", "change", "field"),
    [
        (3, lambda r: r.update(colour="red"), "colour"),
        (
            2,
            lambda r: r["parties"][0].update(
                id_number=PERSON_2[:-1] + ("0" if PERSON_2[-1] != "0" else "1")
            ),
            "parties[0].id_number",
        ),
        (
            1,
            lambda r: r["parties"][0]["decision"]["penalties"][0].update(amount="5000.001"),
            "parties[0].decision.penalties[0].amount",
        ),
        (4, lambda r: r.update(filed_on="2022-13-01"), "filed_on"),
        (4, lambda r: r["parties"][0].update(name="某\x00公司"), "parties[0].name"),
        (
            1,
            lambda r: r["parties"][0]["decision"]["penalties"][0].update(
                amount="99999999999999.99"
            ),
            "parties[0].decision.penalties",
        ),
        (5, lambda r: r.update(source="rumour"), "source"),
        (
            6,
            lambda r: r["parties"][0]["decision"]["penalties"][0].update(amount="1"),
            "parties[0].decision.penalties[0].amount",
        ),
        (2, lambda r: r["unit"].update(region="371599"), "unit.region"),
        (6, lambda r: r["unit"].update(region="371599"), "unit.region"),
        (8, lambda r: r.update(kind="weekly"), "kind"),
        (
            3,
            lambda r: r["parties"][0]["decision"]["reconsideration"].update(result="won"),
            "parties[0].decision.reconsideration.result",
        ),
    ],
)
def test_a_bad_line_is_reported_with_its_number_and_field_and_nothing_of_its_batch_stays(
    city, load, line, change, field
):
    before = counts()
    with pytest.raises(RecordError) as err:
        load(lines_with(line, change))
    assert (err.value.line, err.value.field) == (line, field)
    assert counts() == before
    assert not Unit.objects.filter(imported=True).exists()
    assert not Entry.objects.filter(stream__startswith="import:").exists()


def test_batches_before_the_bad_one_stay(city, load):
    lines = lines_with(5, lambda r: r.update(case_no=""))
    with pytest.raises(RecordError) as err:
        load(lines, batch_size=4)
    assert (err.value.line, err.value.field) == (5, "case_no")
    assert sorted(Case.objects.values_list("case_no", flat=True)) == ["A", "B", "C", "D"]


def test_a_reimport_replaces_and_gives_the_same_forms(city, load):
    text = dump(known_2022())
    load(text.splitlines())
    once, rows = forms(city, 2022), counts()
    report = load(text.splitlines())
    assert report.replaced == 11
    assert forms(city, 2022) == once and counts() == rows
    changed = known_2022()
    changed[0]["parties"][0]["decision"]["penalties"][0] = fine("15000.00")
    load(dump(changed[:1]).splitlines())
    assert str(Decision.objects.get(number="A-1").total_amount) == "16200.50"
    assert counts() == rows


def test_an_import_never_overwrites_a_case_handled_on_the_platform(city, load):
    handled = advance(city, register(city), until="end")
    record = case("cgj", handled.case_no, "2025-03-03", None, [party("other", "某", None, None)])
    with pytest.raises(RecordError) as err:
        load([json.dumps(record, ensure_ascii=False)])
    assert err.value.field == "case_no"
    assert Case.objects.get(pk=handled.pk).imported is False


def test_export_then_import_into_an_empty_database_gives_the_same_forms(city, load):
    load(dump(known_2022()).splitlines())
    handled = advance(city, register(city), until="end")
    # Through the services, so the statistics summary counts it (cases.counts).
    suit = {"case_id": handled.pk, "actor": city.legal, "party": 0, "kind": "litigation"}
    review_file(**suit, filed_on=handled.closed_on, organ="聊城市东昌府区人民法院")
    review_conclude(**suit, ending="dismissed", decided_on=handled.closed_on)
    assert Review.objects.get(decision__case=handled).result == "upheld"
    before = {2022: forms(city, 2022), 2025: forms(city, 2025)}
    exported = list(export_lines())
    assert len(exported) == 12
    old_ids = set(Case.objects.values_list("pk", flat=True))
    Case.objects.all().delete()
    Inspection.objects.all().delete()
    Tally.objects.all().delete()  # an empty database: no statistics summary either
    assert forms(city, 2022) != before[2022]
    load(exported)
    # No id of a deleted case is reused: "case:<id>" names the old case's ledger stream.
    assert min(Case.objects.values_list("pk", flat=True)) > max(old_ids)
    assert {2022: forms(city, 2022), 2025: forms(city, 2025)} == before
    assert list(export_lines()) == exported


def test_export_of_a_unit_and_year_keeps_every_record_the_year_counts(city):
    import_lines(dump(known_2022()).splitlines())
    lines = list(export_lines(unit=Unit.objects.get(code="371522-GOV"), year=2021))
    assert [json.loads(x).get("case_no") for x in lines] == ["C"]
    assert len(list(export_lines(year=2023))) == 1  # D closed in 2023


def test_the_commands_read_gzip_and_standard_input_and_write_a_file(city, tmp_path, monkeypatch):
    gz = tmp_path / "cases.jsonl.gz"
    gz.write_bytes(gzip.compress(dump(known_2022()[:3]).encode()))
    out = io.StringIO()
    call_command("import_cases", str(gz), stdout=out)
    assert "导入案件 3 件" in out.getvalue()
    stdin = io.TextIOWrapper(io.BytesIO(dump(known_2022()[3:]).encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    call_command("import_cases", "-", stdout=io.StringIO())
    assert Case.objects.count() == 7 and Inspection.objects.count() == 4
    target = tmp_path / "out.jsonl"
    call_command("export_cases", "--year", "2022", "--output", str(target), stdout=io.StringIO())
    assert len(target.read_text(encoding="utf-8").splitlines()) == 10  # I-4 is 2021


def test_the_import_command_reports_the_bad_line(city, tmp_path):
    records = copy.deepcopy(known_2022())
    records[1]["parties"][0]["kind"] = "alien"
    path = tmp_path / "bad.jsonl"
    path.write_text(dump(records), encoding="utf-8")
    with pytest.raises(CommandError, match=r"第2行 parties\[0\]\.kind"):
        call_command("import_cases", str(path))
    assert not Case.objects.exists()
    assert not User.objects.filter(username__startswith="import:").exists()


def test_a_key_repeated_in_a_later_batch_of_the_same_run_replaces_the_earlier_line(city, load):
    records = known_2022()
    later = copy.deepcopy(records[2])  # C, of a unit new to the platform
    later["parties"][0]["decision"]["penalties"] = [fine("300.00")]
    report = load(dump([records[2], records[3], later]).splitlines(), batch_size=2)
    assert report.replaced == 1
    assert Case.objects.filter(case_no="C").count() == 1
    assert str(Decision.objects.get(number="C-1").total_amount) == "300.00"


def test_parsing_in_worker_processes_gives_the_same_rows_and_the_same_errors(city):
    report = import_lines(dump(known_2022()).splitlines(), batch_size=3, workers=2)
    assert (report.cases, report.inspections, report.batches) == (7, 4, 4)
    total = form_table("penalty", root=city.city, period=Period.year(2022)).total.values
    assert (total["filed"], total["closed"], str(total["amount"])) == (6, 5, "10.640049")
    assert list(Case.objects.order_by("pk").values_list("case_no", flat=True)) == list("ABCDEFG")
    Case.objects.all().delete()
    Inspection.objects.all().delete()
    with pytest.raises(RecordError) as err:
        import_lines(lines_with(10, lambda r: r.update(on="2022-02-30")), batch_size=3, workers=2)
    assert (err.value.line, err.value.field) == (10, "on")
    assert Case.objects.count() == 7 and Inspection.objects.count() == 2  # batches 1-3 stay


def schema(tables: tuple[str, ...] = ("cases_%", "coercion_%", "inspections_%")) -> list[Any]:
    """The case tables' indexes and foreign keys, as the database defines them."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE ANY(%s)"
                " UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE contype = 'f' AND conrelid::regclass::text LIKE ANY(%s) ORDER BY 1",
                [list(tables), list(tables)],
            )
        else:
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'table')"
                " AND (" + " OR ".join(["tbl_name LIKE %s"] * len(tables)) + ") ORDER BY 1",
                list(tables),
            )
        return cur.fetchall()


def test_a_bulk_load_puts_back_every_index_and_foreign_key_even_when_a_batch_fails(city):
    before = schema()
    assert any("filed_on" in (sql or "") for _, sql in before)  # one a bulk load drops
    import_lines(dump(known_2022()).splitlines(), bulk=True, batch_size=4)
    assert schema() == before
    with pytest.raises(RecordError):
        import_lines(lines_with(9, lambda r: r.update(on="2022-02-30")), bulk=True, batch_size=4)
    assert schema() == before


def test_a_bulk_load_cut_off_by_a_broken_file_leaves_nothing_behind(city):
    before, rows = schema(), counts()

    def broken() -> Iterator[str]:
        yield from dump(known_2022()).splitlines()[:6]
        raise OSError("gzip: unexpected end of file")

    with pytest.raises(OSError, match="unexpected end"):
        import_lines(broken(), bulk=True, batch_size=2)
    assert counts() == rows and schema() == before
    assert not Unit.objects.filter(imported=True).exists()
    assert not Entry.objects.filter(stream__startswith="import:").exists()


def test_after_a_bulk_load_the_platform_numbers_its_own_rows_past_the_imported_ones(city):
    import_lines(dump(known_2022()).splitlines(), bulk=True, workers=2, batch_size=3)
    imported = {
        m: set(m.objects.values_list("pk", flat=True)) for m in (Case, Party, Decision, PenaltyItem)
    }
    handled = advance(city, register(city), until="end")
    assert handled.pk > max(imported[Case])
    assert min(Party.objects.filter(case=handled).values_list("pk", flat=True)) > max(
        imported[Party]
    )
    decision = Decision.objects.get(case=handled)
    assert decision.pk > max(imported[Decision])
    assert min(decision.items.values_list("pk", flat=True)) > max(imported[PenaltyItem])
    assert ledger_verify() == []


def stored_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every column of the imported rows as the database returns it, row ids replaced by their
    order (ids differ between two loads; how a value is stored must not)."""
    from django.db import connection

    ordinal: dict[str, dict[Any, int]] = {}
    out = {}
    with connection.cursor() as cur:
        for model in (
            Case,
            Party,
            Decision,
            PenaltyItem,
            Review,
            CoerciveMeasure,
            Enforcement,
            Inspection,
            InspectionTarget,
        ):
            table = model._meta.db_table
            fields = [
                f
                for f in model._meta.concrete_fields
                if f.column not in ("created_at", "updated_at")
            ]
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            cur.execute(f"SELECT {columns} FROM {table} ORDER BY id")
            # An encrypted value differs at each write (a random IV): compared by what it holds,
            # once it has authenticated as stored under its own column.
            rows = [
                tuple(
                    crypto.decrypt(v, f.context) if isinstance(f, EncryptedCharField) and v else v
                    for f, v in zip(fields, row, strict=True)
                )
                for row in cur.fetchall()
            ]
            ordinal[table] = {row[0]: i for i, row in enumerate(rows)}
            refs = {
                i: f.related_model._meta.db_table
                for i, f in enumerate(fields)
                if f.is_relation and f.related_model._meta.db_table in ordinal
            }
            out[table] = [
                tuple(
                    ordinal[refs[i]][v]
                    if i in refs and v is not None
                    else ordinal[table][v]
                    if i == 0
                    else v
                    for i, v in enumerate(row)
                )
                for row in rows
            ]
    return out


@pytest.mark.parametrize("how", [{"bulk": True}, {"bulk": True, "workers": 2}, {"workers": 2}])
def test_rows_built_by_parser_processes_store_every_value_as_the_writer_does(city, how):
    lines = dump(known_2022()).splitlines()
    import_lines(lines)  # rows built and adapted in this process, by the database driver
    reference = stored_rows()
    Case.objects.all().delete()
    Inspection.objects.all().delete()
    import_lines(lines, batch_size=4, **how)
    assert stored_rows() == reference


def test_a_bulk_load_gives_up_with_a_clear_error_while_a_user_is_in_the_case_tables(
    city, settings, tmp_path
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes its write lock with the transaction (BEGIN IMMEDIATE)")
    import psycopg

    settings.IMPORT_BULK_LOCK_SECONDS = 1
    before, rows = schema(), counts()
    with psycopg.connect(**connection.get_connection_params()) as user:
        user.execute("SELECT count(*) FROM cases_case")  # a reader's open transaction
        path = tmp_path / "cases.jsonl"
        path.write_text(dump(known_2022()), encoding="utf-8")
        with pytest.raises(CommandError, match="正被其他用户使用，1秒内未能取得"):
            call_command("import_cases", str(path), "--bulk", stdout=io.StringIO())
    assert counts() == rows and schema() == before
    load = import_lines(dump(known_2022()).splitlines(), bulk=True)  # once the user is gone
    assert load.cases == 7


def test_an_import_never_overwrites_an_inspection_recorded_on_the_platform(city, load):
    from inspections.services import inspection_record

    own = inspection_record(
        actor=city.handler,
        inspection_no="I-1",
        on=dt.date(2022, 1, 10),
        kind="random",
        result="no_problem",
        targets=[{"kind": "organisation", "name": "平台记录的对象", "id_number": ORG}],
    )
    with pytest.raises(RecordError) as err:
        load(lines_with(8, lambda r: None))
    assert (err.value.line, err.value.field) == (8, "inspection_no")
    assert Inspection.objects.get(inspection_no="I-1") == own
    assert list(own.targets.values_list("name", flat=True)) == ["平台记录的对象"]


def test_a_bulk_load_failing_in_the_database_reports_that_error_and_leaves_nothing(city):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL trigger stands for the database failing half-way")
    before, rows = schema(), counts()
    with connection.cursor() as cur:
        cur.execute(
            "CREATE FUNCTION zhifa_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN RAISE EXCEPTION 'disk full (test)'; END $$"
        )
        cur.execute(
            "CREATE TRIGGER zhifa_test_fail BEFORE INSERT ON cases_party FOR EACH ROW"
            " WHEN (NEW.name = '触发故障') EXECUTE FUNCTION zhifa_test_fail()"
        )
    lines = lines_with(6, lambda r: r["parties"][0].update(name="触发故障"))
    with pytest.raises(DatabaseError, match="disk full"):
        import_lines(lines, bulk=True, workers=2, batch_size=3)
    assert counts() == rows and schema() == before
    assert not Entry.objects.filter(stream__startswith="import:").exists()
