"""The demo history: forms that count exactly what was generated, inboxes that hold the live
cases, a second load that changes nothing, and a ledger that verifies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.http import Http404

from cases.models import Case, Decision
from cases.selectors import get_case_for_user
from deadlines.models import Deadline
from demo.cases import SCENARIOS
from demo.enforcement import SCENARIOS as ENFORCEMENT_SCENARIOS
from demo.history import history_records
from inspections.models import Inspection
from law.calendar import SHANGHAI
from law.penalties import PenaltyType, heaviest
from ledger.models import Entry
from ledger.services import ledger_verify
from orgs.models import Unit, User
from procedure.engine import END
from procedure.roles import Role
from supervision.models import FileReview, FileReviewCase, FormReport, Item, Matter
from supervision.selectors import Period, form_table
from web.selectors import inbox_cases
from zhifa import clock

pytestmark = pytest.mark.django_db

# A Monday in a year chinesecalendar covers; the history is 2025 and 2026 up to 14 June.
DAY = dt.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)
UNTIL = dt.date(2026, 6, 14)
SIZE = 150
PERSONAS = {
    "handler1": Role.HANDLER,
    "handler2": Role.HANDLER,
    "chief": Role.SECTION_CHIEF,
    "legal": Role.LEGAL_REVIEWER,
    "director": Role.DEPUTY_DIRECTOR,
}


@pytest.fixture
def demo() -> Iterator[str]:
    clock.set_now(DAY)
    out = StringIO()
    call_command("demo", "--history-size", str(SIZE), stdout=out)
    yield out.getvalue()
    clock.set_now(None)


def _expected_penalty_totals(records: list[dict[str, Any]], year: int) -> dict[str, Any]:
    """The 处罚 form's 合计 row counted straight from the records, as shared/exchange.md says."""

    def within(day: str | None) -> bool:
        return day is not None and day.startswith(f"{year}-")

    out: dict[str, Any] = {c: 0 for c in ("filed", "closed", "transferred")}
    out.update({f"type_{t.value}": 0 for t in PenaltyType})
    out.update({k: 0 for k in ("reconsidered", "reconsideration_corrected")})
    out.update({k: 0 for k in ("litigated", "litigation_lost")})
    out["amount"] = Decimal(0)
    for r in records:
        if r["schema"] != "zhifa.case/1":
            continue
        out["filed"] += within(r["filed_on"])
        out["closed"] += within(r["closed_on"])
        out["transferred"] += within(r["transferred_on"])
        for p in r["parties"]:
            d = p["decision"]
            if d is None:
                continue
            if d["outcome"] == "penalty" and within(d["decided_on"]):
                types = [PenaltyType(i["type"]) for i in d["penalties"]]
                out[f"type_{heaviest(types).value}"] += 1
                out["amount"] += sum(
                    (Decimal(i["amount"]) for i in d["penalties"] if "amount" in i), Decimal(0)
                )
            for kind, lost in (
                ("reconsideration", "reconsideration_corrected"),
                ("litigation", "litigation_lost"),
            ):
                review = d[kind]
                if review is not None and within(review["filed_on"]):
                    out["reconsidered" if kind == "reconsideration" else "litigated"] += 1
                    out[lost] += review["result"] == "corrected"
    out["amount"] /= 10_000
    return out


def test_the_penalty_form_of_the_previous_year_counts_exactly_the_generated_history(demo):
    records = history_records(first_year=2025, until=UNTIL, size=SIZE)
    expected = _expected_penalty_totals(records, 2025)
    assert expected["filed"] == SIZE and expected["type_fine"] > 0
    # The 强制执行 demo cases were decided about seven months before the demo day, so in 2025.
    clues = [s.clue for s in ENFORCEMENT_SCENARIOS]
    expected["filed"] += Case.objects.filter(clue__in=clues, filed_on__year=2025).count()
    for d in Decision.objects.filter(case__clue__in=clues, decided_on__year=2025):
        expected["type_fine"] += 1
        expected["amount"] += d.total_amount / 10_000
    city = Unit.objects.select_related("region").get(code="371500-GOV")
    table = form_table("penalty", root=city, period=Period.year(2025))
    assert table.total.values == expected
    assert all(row.values["filed"] > 0 for row in table.rows), "市直 and all eight counties"
    assert "导入2025年1月1日至2026年06月14日" in demo
    permit = form_table("permit", root=city, period=Period.year(2025))
    assert permit.total.values["accepted"] > 0
    inspections = form_table("inspection", root=city, period=Period.year(2025))
    assert inspections.total.values["inspections"] == sum(
        1 for r in records if r["schema"] == "zhifa.inspection/1" and r["on"] < "2026"
    )


def test_each_persona_finds_the_live_cases_waiting_for_them_with_their_limits(demo):
    # Leads the public's complaints and the random inspections brought in (demo/complaints.py,
    # demo/random_draws.py) wait for the section chief's approval of the lead.
    planned = {s.clue for s in SCENARIOS} | {s.clue for s in ENFORCEMENT_SCENARIOS}
    brought = Case.objects.filter(imported=False).exclude(clue__in=planned)
    leads = {c.clue for c in brought}
    assert {(c.source, c.step) for c in brought} <= {
        ("complaint", "lead_approve"),
        ("random_inspection", "lead_approve"),
    }
    for persona, role in PERSONAS.items():
        user = User.objects.get(username=f"371500-cgj-{persona}")
        waiting = {c.clue for c in inbox_cases(user, role)}
        expected = {s.clue for s in SCENARIOS if s.waiting_for == persona}
        if persona == "handler2":  # the co-handler takes part in every investigation
            expected |= {s.clue for s in SCENARIOS if s.until == "investigation"}
        if persona == "handler1":  # the unpaid fines under enforcement wait at 执行 too
            expected |= {s.clue for s in ENFORCEMENT_SCENARIOS}
        if persona == "chief":
            expected |= leads
        assert waiting == expected, persona
    live = {c.clue: c for c in Case.objects.filter(imported=False)}
    assert len(live) == len(SCENARIOS) + len(ENFORCEMENT_SCENARIOS) + len(leads)

    def status(key: str, code: str) -> str:
        clue = next(s.clue for s in SCENARIOS if s.key == key)
        return Deadline.objects.get(case=live[clue], code=code).status

    assert status("decision_overdue", "decision_limit") == Deadline.Status.OVERDUE
    assert status("decision_approaching", "decision_limit") == Deadline.Status.APPROACHING
    assert status("payment_overdue", "payment") == Deadline.Status.OVERDUE
    # The case under investigation keeps evidence (行政处罚法第五十六条), its 7 days running.
    assert status("investigation", "evidence_preservation_decision") == Deadline.Status.RUNNING
    closed = [s for s in SCENARIOS if s.until == END]
    assert {live[s.clue].status for s in closed} == {Case.Status.CLOSED}
    assert all(
        c.status != Case.Status.CLOSED
        for c in live.values()
        if c.clue not in {s.clue for s in closed}
    )
    assert "演示案件15件" in demo


def test_the_live_cases_are_seen_by_their_unit_and_the_supervisor_only(demo):
    case = Case.objects.filter(imported=False, status=Case.Status.CLOSED).first()
    assert case is not None
    for insider in ("371500-cgj-chief", "371500-sfj-supervisor"):
        assert get_case_for_user(User.objects.get(username=insider), case.pk) == case
    for outsider in ("371500-scjg-handler1", "371502-sfj-supervisor"):
        with pytest.raises(Http404):
            get_case_for_user(User.objects.get(username=outsider), case.pk)


def test_the_supervisor_finds_irregularities_items_at_work_and_a_file_review(demo):
    rules = set(Item.objects.values_list("rule", flat=True))
    assert {"decided_late", "outside_band", "onsite_over_limit"} <= rules
    statuses = set(Item.objects.values_list("status", flat=True))
    assert {Item.Status.RAISED, Item.Status.SENT, Item.Status.ANSWERED} <= statuses
    review = FileReview.objects.get(name="2025年度行政处罚案卷评查")
    assert review.cases.count() > 0
    assert review.cases.exclude(total=None).exists()


def test_the_demo_has_a_supervision_matter_at_each_stage(demo):
    from supervision.models import OfficerMeasure

    statuses = set(Matter.objects.values_list("status", flat=True))
    assert statuses == {
        "opened",
        "sent",
        "objected",
        "answered",
        "proposed",
        "decided",
        "reported",
        "closed",
    }
    assert Matter.objects.exclude(objection="").count() == 2
    assert Matter.objects.exclude(decision_no="").count() == 3
    assert OfficerMeasure.objects.exclude(decision="").exists()
    assert "执法监督事项9项" in demo


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Case,
            Inspection,
            FormReport,
            Item,
            FileReview,
            FileReviewCase,
            Matter,
            Deadline,
            Entry,
        )
    )


def test_loading_the_demo_twice_changes_no_count_and_the_ledger_verifies(demo):
    before = _counts()
    out = StringIO()
    call_command("demo", "--history-size", str(SIZE), stdout=out)
    assert _counts() == before
    assert "历史数据已存在，未重复导入" in out.getvalue()
    assert ledger_verify() == []
    call_command("ledger", "verify", stdout=StringIO())


def test_the_demo_without_history_loads_only_the_leads_the_public_and_the_draws_brought(frozen):
    out = StringIO()
    call_command("demo", "--no-history", stdout=out)
    # A complaint filed as a lead, and a random inspection that found a problem, are leads of
    # the base demo (demo/complaints.py, demo/random_draws.py); nothing of the history is there.
    assert set(Case.objects.values_list("source", "step")) <= {
        ("complaint", "lead_approve"),
        ("random_inspection", "lead_approve"),
    }
    assert not Case.objects.filter(imported=True).exists() and not FormReport.objects.exists()
    assert "演示历史" not in out.getvalue()
