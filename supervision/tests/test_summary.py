"""The statistics summary (cases.counts): kept exact by every write, equal to a recount of the raw
rows, and giving the forms the figures the raw rows give."""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cases.counts import differences, recount, stored
from cases.models import Case, Tally
from cases.services.reviews import review_conclude, review_file
from cases.services.steps import case_act, case_register
from cases.tests.flow import act, advance, register
from coercion import services as coercion
from coercion.models import Enforcement
from conftest import move
from exchange.export import dump
from exchange.load import ImportReport, import_lines
from inspections.services import inspection_record
from law.calendar import SHANGHAI
from orgs.models import Unit
from orgs.services import regions_ensure
from supervision.selectors import Period, dashboard, form_table
from supervision.tests.raw_forms import raw_cells
from supervision.tests.records import fine, known_2022
from zhifa import clock

pytestmark = pytest.mark.django_db

# The 行政强制 form's totals are sums of its counted columns, not counts of their own.
TOTALS = {"measures_total", "enforcements_total", "total"}
MODES: dict[str, dict[str, Any]] = {
    "online": {},
    "bulk": {"bulk": True},
    "bulk-parallel": {"bulk": True, "workers": 2},
}


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    return org


@pytest.fixture(params=list(MODES))
def load(request: Any) -> Callable[..., ImportReport]:
    def run(lines: Iterable[str]) -> ImportReport:
        return import_lines(lines, **MODES[request.param])

    return run


def assert_forms_count_what_the_raw_rows_count(root: Unit, period: Period) -> None:
    for form in ("penalty", "coercion", "inspection"):
        table = form_table(form, root=root, period=period)
        got = [{k: v for k, v in r.values.items() if k not in TOTALS} for r in table.rows]
        cells = raw_cells(form, root, period)
        want = [{k: v for k, v in c.items() if k not in TOTALS} for c in cells]
        assert got == want, form
    board = dashboard(root, period)["rows"]
    for key, day in (("filed", "filed_on"), ("closed", "closed_on")):
        by_unit = {r["unit"].pk: r[key] for r in board if r[key]}
        cases = Case.objects.filter(**{f"{day}__gte": period.start, f"{day}__lte": period.end})
        raw: dict[int, int] = {}
        for unit_id in cases.filter(unit__path__startswith=root.path).values_list(
            "unit_id", flat=True
        ):
            raw[unit_id] = raw.get(unit_id, 0) + 1
        assert by_unit == {u: n for u, n in raw.items() if u in {r["unit"].pk for r in board}}


def simple_case(org: Any) -> Case:
    case = case_register(
        actor=org.handler,
        procedure="simple",
        source="patrol",
        clue="当场发现",
        discovered_on=clock.today(),
        act_on=clock.today(),
        matter_code=org.matter.code,
        parties=[{"kind": "person", "name": "某", "id_number": "11010519491231002X"}],
    )
    data = {
        "certificate_shown": True,
        "facts": "店外乱设广告牌",
        "basis": "条例第三十六条",
        "place": "柳园路",
        "penalties": [{"type": "fine", "amount": "150.00"}],
        "delivered_on_spot": True,
    }
    return case_act(
        case_id=case.pk, actor=org.handler, step="simple_decide", decision="submit", data=data
    )


def measure(org: Any, case: Case, kind: str) -> None:
    m = coercion.measure_propose(
        case_id=case.pk,
        actor=org.handler,
        type=kind,
        items=[{"name": "户外广告牌", "quantity": "1块", "description": "钢结构"}],
        reason="可能被转移",
        basis="《广告法》第四十九条第二款",
    )
    m = coercion.measure_decide(
        case_id=case.pk, measure_id=m.pk, actor=org.director, decision="approve", opinion="同意"
    )
    coercion.measure_carry_out(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.handler,
        officers=[org.handler.pk, org.co_handler.pk],
        on_site={
            "certificate_shown": True,
            "party_present": True,
            "party_notified": True,
            "told": True,
            "statements_heard": True,
            "record_made": True,
            "party_signed": True,
            "decision_delivered": True,
        },
    )


def test_the_summary_equals_a_recount_after_steps_measures_a_correction_and_a_reimport(city, load):
    load(dump(known_2022()).splitlines())
    assert differences() == [] and stored()
    # Cases handled on the platform: filed, decided (general and simple), a surcharge paid
    # (an enforcement), closed; a measure carried out; an inspection.
    handled = advance(city, register(city), until="execution")
    move(days=17)  # paid 2 days late: 5000 + 300 surcharge (cases/tests/test_guards.py)
    paid = {"kind": "paid", "paid_on": "2025-03-20", "amount": "5300.00"}
    handled = act(city, handled, "execution", executions=[{"party": 0, **paid}])
    handled = act(city, handled, "closing_approve")
    assert Enforcement.objects.filter(case=handled).count() == 1
    simple_case(city)
    measure(city, register(city), "seal_up")
    inspection_record(
        actor=city.handler,
        inspection_no="聊城管检〔2025〕1号",
        on=clock.today(),
        kind="random",
        result="no_problem",
        targets=[{"kind": "organisation", "name": "某公司", "id_number": "91350100M000100Y43"}],
    )
    # A reconsideration that revokes the decision, a suit withdrawn.
    move(days=10)
    for kind in ("reconsideration", "litigation"):
        review_file(
            case_id=handled.pk,
            actor=city.legal,
            party=0,
            kind=kind,
            filed_on=clock.today(),
            organ="聊城市人民政府",
        )
    move(days=20)
    for kind, ending in (("reconsideration", "revoked"), ("litigation", "withdrawn")):
        review_conclude(
            case_id=handled.pk,
            actor=city.legal,
            party=0,
            kind=kind,
            ending=ending,
            decided_on=clock.today(),
        )
    assert differences() == []
    # A re-import replacing records with other figures: another amount, a case no longer closed,
    # a decision moved to another day, an inspection moved a year.
    changed = copy.deepcopy(known_2022())
    changed[0]["parties"][0]["decision"]["penalties"][0] = fine("15000.00")
    changed[1]["closed_on"] = None
    changed[2]["parties"][0]["decision"]["decided_on"] = "2022-12-30"
    for record in changed:
        if record["schema"] == "zhifa.inspection/1":
            record["on"] = "2021-06-01"
            break
    report = load(dump(changed).splitlines())
    assert report.replaced == len(changed)
    assert differences() == []
    for year in (2021, 2022, 2023, 2025):
        assert_forms_count_what_the_raw_rows_count(city.city, Period.year(year))
    assert_forms_count_what_the_raw_rows_count(city.county, Period.year(2022))


def test_a_refused_step_counts_nothing(city):
    case = advance(city, register(city), until="filing_approve")
    before = stored()
    with pytest.raises(Exception):  # noqa: B017 - any refusal: the step's transaction goes back
        act(city, case, "filing_approve", actor=city.handler)
    assert stored() == before == recount()


def test_the_check_names_the_first_difference_and_the_rebuild_repairs_it(city, capsys):
    import_lines(dump(known_2022()).splitlines())
    call_command("stats_summary", "check")
    assert "一致" in capsys.readouterr().out
    row = Tally.objects.filter(event="penalty").order_by("day", "unit_id").first()
    assert row is not None
    Tally.objects.filter(pk=row.pk).update(n=row.n + 1)
    Tally.objects.create(unit=city.cgj, day=row.day, event="filed", n=0, cents=0)  # nets to 0
    with pytest.raises(CommandError) as err:
        call_command("stats_summary", "check")
    message = str(err.value)
    assert f"{row.day.isoformat()} penalty/{row.value}" in message
    assert f"summary n={row.n + 1}" in message and f"raw rows n={row.n}" in message
    call_command("stats_summary", "rebuild")
    call_command("stats_summary", "check")
    assert differences() == []


def test_the_forms_on_the_demo_data_count_what_the_raw_rows_count(db):
    # As the demo's own tests run it: a Monday in a year chinesecalendar covers.
    clock.set_now(dt.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI))
    try:
        call_command("demo", "--history-size", "150", stdout=io.StringIO())
    finally:
        clock.set_now(None)
    assert differences() == []
    root = Unit.objects.filter(parent=None).order_by("path").first()
    assert root is not None
    today = clock.today()
    for year in (today.year - 1, today.year):
        assert_forms_count_what_the_raw_rows_count(root, Period.year(year))
