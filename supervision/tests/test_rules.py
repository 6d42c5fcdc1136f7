from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cases.models import Case, Decision, Party, PenaltyItem
from cases.services.preservations import (
    preservation_approve,
    preservation_carry_out,
    preservation_decide,
    preservation_request,
)
from cases.tests.flow import advance, register
from catalog.models import HearingThreshold
from catalog.services import hearing_threshold_set
from conftest import move
from exchange.export import dump
from exchange.load import import_lines
from law.calendar import SHANGHAI
from law.rules import HearingThresholds
from ledger.models import Entry
from ledger.testing import ledger_maintenance
from orgs.services import regions_ensure
from supervision.models import Item
from supervision.rules import ENFORCEMENT_RULES, PRESERVATION_RULES, RULES, detect
from supervision.services import supervision_scan
from supervision.tests.records import PERSON, case, decision, fine, party
from zhifa import clock


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    return org


def fired(case_obj: Case) -> set[str]:
    return {f.rule.code for f in detect(Case.objects.filter(pk=case_obj.pk))}


def imported(record: dict[str, Any]) -> Case:
    import_lines(dump([record]).splitlines())
    return Case.objects.get(case_no=record["case_no"])


@pytest.fixture
def clean(city: Any) -> Case:
    return advance(city, register(city), until="end")


def test_a_case_handled_cleanly_on_the_platform_breaks_no_rule(clean):
    assert fired(clean) == set()


def test_a_clean_imported_case_breaks_no_rule(city):
    c = imported(
        case(
            "cgj",
            "OK",
            "2022-01-01",
            "2022-02-01",
            [party("person", "甲", PERSON, decision("OK-1", "2022-01-20", [fine("5000.00")]))],
        )
    )
    assert fired(c) == set()


def test_decided_after_the_ninety_days_fires_the_article_60_rule(city):
    c = imported(
        case(
            "cgj",
            "LATE",
            "2022-01-01",
            None,
            [party("person", "甲", PERSON, decision("L-1", "2022-04-02", [fine("5000.00")]))],
        )
    )
    assert fired(c) == {"decided_late"}


def test_a_fine_outside_the_matters_band_fires(city):
    c = imported(
        case(
            "cgj",
            "BAND",
            "2022-01-01",
            None,
            [party("person", "甲", PERSON, decision("B-1", "2022-01-05", [fine("20000.00")]))],
        )
    )
    assert fired(c) == {"outside_band"}


def test_an_on_the_spot_fine_above_the_article_51_limit_fires(city):
    c = imported(
        case(
            "cgj",
            "SPOT",
            "2022-01-01",
            "2022-01-01",
            [party("person", "甲", PERSON, decision("S-1", "2022-01-01", [fine("500.00")]))],
            procedure="simple",
        )
    )
    assert fired(c) == {"onsite_over_limit"}


def test_delivery_later_than_seven_working_days_fires(clean):
    d = Decision.objects.get(case=clean)
    Decision.objects.filter(pk=d.pk).update(delivered_on=d.decided_on + dt.timedelta(days=20))
    assert fired(clean) == {"late_delivery"}


def test_a_decision_heavier_than_notified_fires(clean):
    Party.objects.filter(case=clean).update(notified=[{"type": "fine", "amount": "3000.00"}])
    assert fired(clean) == {"heavier_than_notified"}


def test_a_party_not_told_of_its_hearing_right_fires(clean):
    PenaltyItem.objects.filter(decision__case=clean).update(amount="200000.00")
    Party.objects.filter(case=clean).update(
        hearing_right=False, notified=[{"type": "fine", "amount": "200000.00"}]
    )
    assert "hearing_not_told" in fired(clean)


def test_handler_and_legal_reviewer_being_the_same_person_fires(clean):
    with ledger_maintenance():
        Entry.objects.filter(stream=clean.stream, action="legal_review").update(
            actor_id=clean.handler_id
        )
    assert fired(clean) == {"same_reviewer"}


def test_a_major_case_without_legal_review_fires(clean):
    Case.objects.filter(pk=clean.pk).update(complex=True)
    assert fired(clean) == set()
    with ledger_maintenance():
        Entry.objects.filter(stream=clean.stream, action="legal_review").update(action="other")
    assert fired(clean) == {"no_legal_review"}


def test_every_rule_names_the_statute_it_protects():
    every = (*RULES, *PRESERVATION_RULES, *ENFORCEMENT_RULES)
    assert all(r.statute.startswith(("行政处罚法第", "行政强制法第")) for r in every)
    assert len({r.code for r in every}) == len(every) == 14


def test_the_scan_raises_one_item_per_finding_and_is_idempotent(city):
    imported(
        case(
            "cgj",
            "LATE",
            "2022-01-01",
            None,
            [party("person", "甲", PERSON, decision("L-1", "2022-04-02", [fine("20000.00")]))],
        )
    )
    assert supervision_scan() == 2
    assert supervision_scan() == 0
    items = Item.objects.order_by("rule")
    assert [(i.rule, i.statute, i.status) for i in items] == [
        ("decided_late", "行政处罚法第六十条", "raised"),
        ("outside_band", "行政处罚法第三十四条", "raised"),
    ]
    assert (
        Entry.objects.filter(stream=f"supervision:{items[0].pk}", action="item_raise").count() == 1
    )


def test_the_worker_runs_the_nightly_scan_and_rearms_it(city):
    from conftest import move
    from deadlines.models import Timer
    from deadlines.services import run_timers_once
    from supervision.services import scan_schedule

    imported(
        case(
            "cgj",
            "LATE",
            "2022-01-01",
            None,
            [party("person", "甲", PERSON, decision("L-1", "2022-04-02", [fine("100.00")]))],
        )
    )
    timer = scan_schedule()
    assert timer.due_at == dt.datetime(2025, 3, 4, 2, tzinfo=SHANGHAI)
    assert run_timers_once()["fired"] == 0
    move(hours=18)
    assert run_timers_once()["fired"] == 1
    assert Item.objects.filter(rule="decided_late").count() == 1
    timer = Timer.objects.get(pk=timer.pk)
    assert timer.status == "pending" and timer.due_at == dt.datetime(2025, 3, 5, 2, tzinfo=SHANGHAI)


def test_evidence_kept_past_its_seven_working_days_fires_until_and_after_it_is_decided(
    city, frozen
):
    case = advance(city, register(city), until="investigation")
    p = preservation_request(
        case_id=case.pk,
        actor=city.handler,
        items=[{"name": "广告牌", "quantity": "1块"}],
        reason="x",
    )
    preservation_approve(
        case_id=case.pk, actor=city.director, preservation_id=p.pk, approved=True, opinion="同意"
    )
    preservation_carry_out(
        case_id=case.pk, actor=city.handler, preservation_id=p.pk, on=clock.today()
    )
    move(days=9)  # 2025-03-12: the last of the 7 working days
    assert fired(case) == set()
    move(days=1)
    assert fired(case) == {"preservation_late"}
    preservation_decide(
        case_id=case.pk, actor=city.handler, preservation_id=p.pk, disposition="release", note=""
    )
    (finding,) = detect(Case.objects.filter(pk=case.pk))
    assert finding.rule.statute == "行政处罚法第五十六条"
    assert finding.detail.endswith("2025-03-13才作出处理决定")


# --- the statute read from law/ and the jurisdiction's settings --------------------------------


def scanned(case_obj: Case) -> set[str]:
    """The rules the supervision scan raises items for on this case (so far)."""
    supervision_scan(cases=Case.objects.filter(pk=case_obj.pk))
    return set(Item.objects.filter(case=case_obj).values_list("rule", flat=True))


def decide_for(case_obj: Case, amount: str) -> None:
    """Decide (and notify) the clean case's organisation a fine of ``amount``, no hearing right."""
    PenaltyItem.objects.filter(decision__case=case_obj).update(amount=amount)
    Party.objects.filter(case=case_obj).update(
        hearing_right=False, notified=[{"type": "fine", "amount": amount}]
    )


def thresholds(fine_organisation: str) -> HearingThresholds:
    return HearingThresholds(
        fine_person=Decimal("1000"),
        fine_organisation=Decimal(fine_organisation),
        confiscation_person=Decimal("1000"),
        confiscation_organisation=Decimal(fine_organisation),
    )


def test_a_city_with_higher_hearing_thresholds_is_not_flagged_below_them(clean):
    # 聊城 sets 500000 for organisations, far above the example's 100000: a 200000 fine carries
    # no hearing right there, so not telling of one is no irregularity.
    hearing_threshold_set(region_code="371500", thresholds=thresholds("500000"), source="市")
    decide_for(clean, "200000.00")
    assert "hearing_not_told" not in fired(clean)
    decide_for(clean, "499999.99")
    assert "hearing_not_told" not in scanned(clean)
    decide_for(clean, "500000.00")  # 以上 includes the figure itself
    assert "hearing_not_told" in scanned(clean)


def test_a_city_with_lower_hearing_thresholds_is_flagged_above_them(clean):
    # 聊城 sets 3000 for organisations, far below the example's 100000: the clean case's 5000
    # fine carried the hearing right there, and the notice did not tell of it.
    (party_obj,) = Party.objects.filter(case=clean)
    assert not party_obj.hearing_right and party_obj.notified is not None
    hearing_threshold_set(region_code="371500", thresholds=thresholds("5000.01"), source="市")
    assert "hearing_not_told" not in scanned(clean)
    hearing_threshold_set(region_code="371500", thresholds=thresholds("3000"), source="市")
    (finding,) = detect(Case.objects.filter(pk=clean.pk))
    assert finding.rule.code == "hearing_not_told"
    assert finding.detail.startswith("当事人")
    assert "hearing_not_told" in scanned(clean)


def test_without_configured_thresholds_the_hearing_rule_is_skipped_and_the_scan_goes_on(clean):
    HearingThreshold.objects.all().delete()
    decide_for(clean, "200000.00")
    assert fired(clean) == {"outside_band"}


def test_a_decision_on_the_ninetieth_day_is_in_time_and_the_next_day_late(city):
    def on(no: str, decided: str) -> Case:
        record = case(
            "cgj",
            no,
            "2022-01-01",
            None,
            [party("person", "甲", PERSON, decision(f"{no}-1", decided, [fine("5000.00")]))],
        )
        return imported(record)

    assert scanned(on("DAY90", "2022-04-01")) == set()
    assert scanned(on("DAY91", "2022-04-02")) == {"decided_late"}


def test_delivery_on_the_seventh_working_day_is_in_time_and_the_next_day_late(clean):
    # Decided the day before the 2025 劳动节 holiday (1-5 May): the seven working days are
    # 6, 7, 8, 9, 12, 13 and 14 May.
    Decision.objects.filter(case=clean).update(
        decided_on=dt.date(2025, 4, 30), delivered_on=dt.date(2025, 5, 14)
    )
    assert scanned(clean) == set()
    Decision.objects.filter(case=clean).update(delivered_on=dt.date(2025, 5, 15))
    assert scanned(clean) == {"late_delivery"}
    (item,) = Item.objects.filter(case=clean)
    assert item.statute == "行政处罚法第六十一条"
    assert item.detail == "2025-04-30作出决定，2025-05-15送达，超过7个工作日（2025-05-14）"


def test_legal_review_is_required_of_a_hearing_case_a_major_matter_or_a_complex_case(clean, org):
    with ledger_maintenance():
        Entry.objects.filter(stream=clean.stream, action="legal_review").update(action="other")
    assert fired(clean) == set()  # an ordinary case: Art. 58 does not require the review
    Party.objects.filter(case=clean).update(hearing_right=True)
    assert fired(clean) == {"no_legal_review"}
    Party.objects.filter(case=clean).update(hearing_right=False)
    Case.objects.filter(pk=clean.pk).update(matter=org.major_matter)
    assert fired(clean) == {"no_legal_review"}
    Case.objects.filter(pk=clean.pk).update(matter=org.matter, complex=True)
    assert fired(clean) == {"no_legal_review"}
