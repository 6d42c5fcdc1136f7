from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]

from cases.models import Case, Decision
from cases.services.reviews import review_conclude, review_file
from cases.tests.flow import advance, register
from conftest import move
from exchange.export import case_record, dump
from exchange.load import import_lines
from jobs.services import jobs_due
from orgs.services import regions_ensure
from procedure.testing import assert_refused
from supervision.render import as_csv, as_xlsx
from supervision.selectors import Period, Table, form_table
from supervision.services import report_submit
from supervision.tables import FORMS
from supervision.tests.records import case, known_2022, party
from zhifa import clock

ROWS = [
    "市直部门(单位)",
    "东昌府区",
    "茌平区",
    "临清市",
    "冠县",
    "莘县",
    "阳谷县",
    "东阿县",
    "高唐县",
]


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    return org


def grid(table: Table) -> dict[str, dict[str, Any]]:
    return {r.label: r.values for r in table.all_rows()}


def expected(form: str, cells: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every cell of the form: the given ones, zero elsewhere."""
    spec = FORMS[form]
    out = {}
    for label in [*ROWS, "合计"]:
        given = cells.get(label, {})
        unknown = set(given) - {c.key for c in spec.columns}
        assert not unknown, unknown
        out[label] = {c.key: given.get(c.key, Decimal(0) if c.wan else 0) for c in spec.columns}
    return out


PENALTY_2022 = {
    "市直部门(单位)": {
        "filed": 2,
        "closed": 2,
        "type_confiscate_gains": 1,
        "type_warning": 1,
        "amount": Decimal("0.62005"),
        "reconsidered": 1,
        "reconsideration_corrected": 1,
    },
    "东昌府区": {
        "filed": 1,
        "type_detention": 1,
        "amount": Decimal("0.02"),
        "reconsidered": 1,
        "litigated": 1,
        "litigation_lost": 1,
        "transferred": 1,
    },
    "冠县": {"filed": 2, "closed": 2, "type_warning": 1, "type_other": 1},
    "莘县": {
        "filed": 1,
        "closed": 1,
        "type_close": 1,
        "amount": Decimal("9.999999"),
        "reconsidered": 1,
    },
    "合计": {
        "filed": 6,
        "closed": 5,
        "type_confiscate_gains": 1,
        "type_warning": 2,
        "type_detention": 1,
        "type_close": 1,
        "type_other": 1,
        "amount": Decimal("10.640049"),
        "reconsidered": 3,
        "reconsideration_corrected": 1,
        "litigated": 1,
        "litigation_lost": 1,
        "transferred": 1,
    },
}

COERCION_2022 = {
    "市直部门(单位)": {
        "m_seize": 1,
        "measures_total": 1,
        "e_surcharge": 1,
        "enforcements_total": 1,
        "total": 2,
    },
    "东昌府区": {"m_seal_up": 1, "m_freeze": 1, "measures_total": 2, "e_court": 1, "total": 3},
    "莘县": {"e_other": 1, "e_restore": 1, "enforcements_total": 2, "total": 2},
    "合计": {
        "m_seal_up": 1,
        "m_seize": 1,
        "m_freeze": 1,
        "measures_total": 3,
        "e_surcharge": 1,
        "e_restore": 1,
        "e_other": 1,
        "enforcements_total": 3,
        "e_court": 1,
        "total": 7,
    },
}

INSPECTION_2022 = {
    "市直部门(单位)": {"inspections": 2},
    "东昌府区": {"inspections": 1},
    "合计": {"inspections": 3},
}


def forms_2022(org: Any) -> dict[str, dict[str, dict[str, Any]]]:
    period = Period.year(2022)
    return {f: grid(form_table(f, root=org.city, period=period)) for f in FORMS}


def test_every_cell_of_the_case_forms_counts_the_imported_records(city):
    import_lines(dump(known_2022()).splitlines())
    period = Period.year(2022)
    penalty = form_table("penalty", root=city.city, period=period)
    assert [r.label for r in penalty.all_rows()] == [*ROWS, "合计"]
    assert grid(penalty) == expected("penalty", PENALTY_2022)
    assert grid(form_table("coercion", root=city.city, period=period)) == expected(
        "coercion", COERCION_2022
    )
    assert grid(form_table("inspection", root=city.city, period=period)) == expected(
        "inspection", INSPECTION_2022
    )
    assert penalty.title == "聊城市2022年行政处罚情况统计表"


def test_a_row_with_more_decisions_than_closed_cases_is_warned_not_rejected(city):
    import_lines(dump(known_2022()).splitlines())
    penalty = form_table("penalty", root=city.city, period=Period.year(2022))
    assert len(penalty.warnings) == 1 and penalty.warnings[0].startswith("东昌府区：")


def test_a_period_counts_only_the_events_inside_it(city):
    import_lines(dump(known_2022()).splitlines())
    first_half = Period(Period.year(2022).start, Period.year(2022).start.replace(month=6, day=30))
    g = grid(form_table("penalty", root=city.city, period=first_half))
    assert g["莘县"]["filed"] == 0 and g["莘县"]["closed"] == 1 and g["莘县"]["type_close"] == 0
    assert g["合计"]["filed"] == 5 and g["合计"]["litigated"] == 0


def test_a_county_supervisor_subtree_counts_its_county_only(city):
    import_lines(dump(known_2022()).splitlines())
    g = grid(form_table("penalty", root=city.county, period=Period.year(2022)))
    assert list(g) == ["东昌府区", "合计"]
    assert g["合计"]["filed"] == 1 and g["合计"]["type_detention"] == 1


def test_a_case_handled_on_the_platform_counts_like_an_imported_one(city):
    handled = advance(city, register(city), until="end")
    assert handled.status == "closed"
    decision = Decision.objects.get(case=handled)
    twin = case(
        "dcf",
        "TWIN",
        handled.filed_on.isoformat(),
        handled.closed_on.isoformat(),
        [
            party(
                p.kind,
                p.name,
                p.id_number,
                {
                    "no": "TWIN-1",
                    "decided_on": decision.decided_on.isoformat(),
                    "outcome": "penalty",
                    "penalties": [{"type": "fine", "amount": "5000.00"}],
                    "reconsideration": None,
                    "litigation": None,
                },
            )
            for p in handled.parties.all()
        ],
    )
    import_lines(dump([twin]).splitlines())
    g = grid(form_table("penalty", root=city.city, period=Period.year(2025)))
    assert g["市直部门(单位)"] == g["东昌府区"]
    assert g["市直部门(单位)"]["type_fine"] == 1 and g["市直部门(单位)"]["amount"] == Decimal("0.5")


SEED_PERMIT = [
    ("371500-CGJ", "2214051", "2207668", "2408", "131"),
    ("371502-SCJG", "270438", "269786", "652", "17"),
]
SEED_LEVY = [
    # 市直部门(单位) and 东昌府区 of the seed's 行政征收征用 table
    ("371500-CGJ", "73", "15482.31137", "267", "3"),
    ("371502-SCJG", "70", "2762.837693", "4", "0"),
]


def test_reported_forms_aggregate_the_units_figures_exactly(city):
    period = Period.year(2022)
    units = {"371500-CGJ": city.cgj, "371502-SCJG": city.county_scjg}
    for code, accepted, granted, refused, revoked in SEED_PERMIT:
        report_submit(
            actor=city.supervisor,
            unit=units[code],
            form="permit",
            period_start=period.start,
            period_end=period.end,
            values={
                "accepted": accepted,
                "granted": granted,
                "refused": refused,
                "revoked": revoked,
            },
        )
    for code, fees, amount, exprop, requis in SEED_LEVY:
        report_submit(
            actor=city.supervisor,
            unit=units[code],
            form="levy",
            period_start=period.start,
            period_end=period.end,
            values={
                "fees": fees,
                "fee_amount": amount,
                "expropriations": exprop,
                "requisitions": requis,
            },
        )
    permit = grid(form_table("permit", root=city.city, period=period))
    assert permit["市直部门(单位)"] == {
        "accepted": 2214051,
        "granted": 2207668,
        "refused": 2408,
        "revoked": 131,
    }
    assert permit["合计"] == {
        "accepted": 2484489,
        "granted": 2477454,
        "refused": 3060,
        "revoked": 148,
    }
    levy = grid(form_table("levy", root=city.city, period=period))
    assert levy["合计"] == {
        "fees": 143,
        "fee_amount": Decimal("18245.149063"),
        "expropriations": 271,
        "requisitions": 3,
    }
    assert levy["东昌府区"]["fee_amount"] == Decimal("2762.837693")


@pytest.mark.parametrize(
    ("form", "values", "message"),
    [
        (
            "permit",
            {"accepted": "10", "granted": "9", "refused": "2", "revoked": "0"},
            "不能大于受理数量",
        ),
        ("permit", {"accepted": "10", "granted": "-1", "refused": "2", "revoked": "0"}, "整数"),
        ("permit", {"accepted": "10", "granted": "1", "refused": "2"}, "不能为空"),
        (
            "levy",
            {"fees": "0", "fee_amount": "3.5", "expropriations": "0", "requisitions": "0"},
            "同时为0",
        ),
        (
            "levy",
            {"fees": "1", "fee_amount": "1.1234567", "expropriations": "0", "requisitions": "0"},
            "六位小数",
        ),
        ("penalty", {"filed": "1"}, "不是需要填报的统计表"),
    ],
)
def test_a_report_breaking_the_tables_identities_is_refused(city, form, values, message):
    assert_refused(
        lambda: report_submit(
            actor=city.chief,
            unit=city.cgj,
            form=form,
            period_start=Period.year(2022).start,
            period_end=Period.year(2022).end,
            values=values,
        ),
        message,
    )
    assert not form_table("permit", root=city.city, period=Period.year(2022)).total.values[
        "accepted"
    ]


def test_an_officer_of_another_unit_cannot_report_for_a_unit(city):
    # 市场监管局's section chief holds a reporting role: only the unit is wrong.
    assert_refused(
        lambda: report_submit(
            actor=city.other_officer,
            unit=city.cgj,
            form="permit",
            period_start=Period.year(2022).start,
            period_end=Period.year(2022).end,
            values={"accepted": "1", "granted": "1", "refused": "0", "revoked": "0"},
        ),
        "只有本单位业务科长、分管局长或上级执法监督员可以填报",
    )


def test_csv_has_the_printed_columns_one_row_per_unit_row_and_the_total_last(city):
    import_lines(dump(known_2022()).splitlines())
    table = form_table("penalty", root=city.city, period=Period.year(2022))
    text = as_csv(table)
    assert text.startswith("\ufeff单位名称,")  # UTF-8 with BOM: Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["单位名称", "立案数量", "结案数量", "警告"]
    assert (
        rows[0][16:18] == ["其他行政处罚", "罚没金额(万元)"] and rows[0][-1] == "移送司法机关数量"
    )
    assert [r[0] for r in rows[1:]] == [*ROWS, "合计"]
    assert rows[-1][17] == "10.640049"


def test_xlsx_is_laid_out_like_the_printed_table(city, tmp_path):
    import_lines(dump(known_2022()).splitlines())
    out = tmp_path / "penalty.xlsx"
    call_command(
        "stats",
        "--year",
        "2022",
        "--form",
        "penalty",
        "--format",
        "xlsx",
        "--output",
        str(out),
        "--unit",
        "371500-GOV",
    )
    ws = load_workbook(out).active
    assert ws["A1"].value == "聊城市2022年行政处罚情况统计表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:A3", "B2:R2", "S2:V2", "W2:W3"} <= merged
    assert ws["B2"].value == "行政处罚实施数量" and ws["B3"].value == "立案数量"
    assert ws["A4"].value == "市直部门(单位)" and ws["A13"].value == "合计"
    assert ws["R13"].value == pytest.approx(10.640049) and ws["R13"].number_format == "0.00####"
    assert ws["B13"].value == 6
    table = form_table("coercion", root=city.city, period=Period.year(2022))
    ws = load_workbook(io.BytesIO(as_xlsx(table))).active
    assert {"B2:F2", "G2:N2", "O2:O3"} <= {str(r) for r in ws.merged_cells.ranges}


def test_the_stats_command_prints_the_table(city, capsys):
    import_lines(dump(known_2022()).splitlines())
    call_command("stats", "--year", "2022", "--form", "inspection", "--unit", "371500-SFJ")
    out = capsys.readouterr().out
    assert "聊城市2022年行政检查情况统计表" in out
    assert out.splitlines()[-1].split() == ["合计", "3"]


def test_a_reconsideration_recorded_on_a_platform_case_counts_and_its_correction_too(city):
    handled = advance(city, register(city), until="end")
    move(days=30)
    review_file(
        case_id=handled.pk,
        actor=city.legal,
        party=0,
        kind="reconsideration",
        filed_on=clock.today(),
        organ="聊城市人民政府",
    )
    review_file(
        case_id=handled.pk,
        actor=city.chief,
        party=0,
        kind="litigation",
        filed_on=clock.today(),
        organ="聊城市东昌府区人民法院",
    )
    g = grid(form_table("penalty", root=city.city, period=Period.year(2025)))["市直部门(单位)"]
    assert (g["reconsidered"], g["reconsideration_corrected"]) == (1, 0)
    assert (g["litigated"], g["litigation_lost"]) == (1, 0)
    move(days=30)
    for kind, ending in (("reconsideration", "revoked"), ("litigation", "withdrawn")):
        review_conclude(
            case_id=handled.pk,
            actor=city.legal,
            party=0,
            kind=kind,
            ending=ending,
            decided_on=clock.today(),
        )
    g = grid(form_table("penalty", root=city.city, period=Period.year(2025)))["市直部门(单位)"]
    assert (g["reconsidered"], g["reconsideration_corrected"]) == (1, 1)
    # A withdrawn suit was still filed; it ended without a judgment, so it is not 败诉.
    assert (g["litigated"], g["litigation_lost"]) == (1, 0)
    # Filed in 2025: nothing in 2024's form.
    assert (
        grid(form_table("penalty", root=city.city, period=Period.year(2024)))["合计"][
            "reconsidered"
        ]
        == 0
    )
    # The exchange record carries it as before: the filing day and the statistics' result.
    record = case_record(Case.objects.get(pk=handled.pk))
    decision = record["parties"][0]["decision"]
    assert decision["reconsideration"] == {"filed_on": "2025-04-02", "result": "corrected"}
    assert decision["litigation"] == {"filed_on": "2025-04-02", "result": None}


def test_the_stats_command_without_a_unit_gives_the_whole_city(city, capsys):
    """issue 15 item 9: `--unit` left out is the whole city's layout its help promises."""
    import_lines(dump(known_2022()).splitlines())
    call_command("stats", "--year", "2022", "--form", "penalty", "--unit", "371500-GOV")
    city_wide = capsys.readouterr().out
    call_command("stats", "--year", "2022", "--form", "penalty")
    assert capsys.readouterr().out == city_wide
    assert "聊城市2022年行政处罚情况统计表" in city_wide


def test_the_csv_download_and_file_start_with_the_utf8_bom(city, tmp_path):
    """issue 15 item 9: CSV files open in Excel (UTF-8 with BOM), downloaded or written."""
    import_lines(dump(known_2022()).splitlines())
    client = Client()
    client.force_login(city.supervisor)
    queued = client.post(
        "/supervision/stats/export/",
        {"form": "penalty", "from": "2022-01-01", "to": "2022-12-31", "format": "csv"},
    )
    jobs_due()
    r = client.get(queued["Location"] + "file")
    assert r.status_code == 200
    assert r.content.startswith("\ufeff单位名称".encode())
    out = tmp_path / "penalty.csv"
    call_command(
        "stats", "--year", "2022", "--form", "penalty", "--format", "csv", "--output", str(out)
    )
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert out.read_text(encoding="utf-8-sig").startswith("单位名称,立案数量")
