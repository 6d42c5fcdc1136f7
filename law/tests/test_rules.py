from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from law.enforcement import Interval, surcharge
from law.penalties import PenaltyType
from law.rules import (
    ALL_RULES,
    LITIGATION_ROUTE,
    RECONSIDERATION_ROUTE,
    Band,
    Circumstance,
    HearingThresholds,
    age_on,
    amount_errors,
    chinese_number,
    hearing_right,
    heavier_than_notified,
    legal_review_required,
    minor_rule,
    no_penalty_grounds,
    on_spot_collection_allowed,
    simple_procedure_errors,
    time_bar_expired,
    time_bar_last_day,
)

P = PenaltyType
D = Decimal
EXAMPLE = HearingThresholds.example()


def test_every_rule_has_a_unique_code_and_names_its_statute() -> None:
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    for rule in ALL_RULES:
        assert rule.article.startswith(("行政处罚法第", "行政强制法第")), rule.code


# --- 第三十六条 -----------------------------------------------------------------------------


def test_an_act_discovered_on_the_second_anniversary_is_still_within_the_time_bar() -> None:
    assert not time_bar_expired(
        act_ended_on=date(2022, 3, 15), discovered_on=date(2024, 3, 15), extended=False
    )


def test_an_act_discovered_the_day_after_the_second_anniversary_is_barred() -> None:
    assert time_bar_expired(
        act_ended_on=date(2022, 3, 15), discovered_on=date(2024, 3, 16), extended=False
    )


def test_life_health_or_financial_safety_with_harm_extends_the_time_bar_to_five_years() -> None:
    act = date(2020, 3, 15)
    assert not time_bar_expired(act_ended_on=act, discovered_on=date(2025, 3, 15), extended=True)
    assert time_bar_expired(act_ended_on=act, discovered_on=date(2025, 3, 16), extended=True)


def test_an_act_on_29_february_is_barred_after_28_february_two_years_on() -> None:
    assert time_bar_last_day(act_ended_on=date(2024, 2, 29), extended=False) == date(2026, 2, 28)


# --- 第五十一条、第六十八条 -------------------------------------------------------------------


def test_a_citizen_may_be_fined_up_to_200_yuan_under_the_simple_procedure() -> None:
    assert simple_procedure_errors(party_kind="person", penalties=[(P.FINE, D("200"))]) == []
    errors = simple_procedure_errors(party_kind="person", penalties=[(P.FINE, D("200.01"))])
    assert len(errors) == 1 and "200.00元" in errors[0] and "第五十一条" in errors[0]


def test_an_organisation_or_other_organisation_may_be_fined_up_to_3000_yuan_on_the_spot() -> None:
    for kind in ("organisation", "other"):
        assert simple_procedure_errors(party_kind=kind, penalties=[(P.FINE, D("3000"))]) == []
        assert simple_procedure_errors(party_kind=kind, penalties=[(P.FINE, D("3000.01"))])


def test_the_simple_procedure_allows_only_a_warning_and_or_a_fine() -> None:
    ok = [(P.WARNING, None), (P.FINE, D("50"))]
    assert simple_procedure_errors(party_kind="person", penalties=ok) == []
    errors = simple_procedure_errors(party_kind="person", penalties=[(P.CONFISCATE_GAINS, D("10"))])
    assert errors == ["简易程序只能给予警告或者罚款，不能给予没收违法所得（行政处罚法第五十一条）"]
    assert simple_procedure_errors(party_kind="person", penalties=[])


def test_fines_of_100_yuan_or_less_may_be_collected_on_the_spot() -> None:
    assert on_spot_collection_allowed(
        amount=D("100"), hard_to_collect_later=False, remote_area=False
    )
    assert not on_spot_collection_allowed(
        amount=D("100.01"), hard_to_collect_later=False, remote_area=False
    )


def test_larger_fines_are_collected_on_the_spot_only_when_hard_to_collect_or_in_remote_areas() -> (
    None
):
    assert on_spot_collection_allowed(
        amount=D("150"), hard_to_collect_later=True, remote_area=False
    )
    assert on_spot_collection_allowed(
        amount=D("150"), hard_to_collect_later=False, remote_area=True
    )
    assert not on_spot_collection_allowed(
        amount=D("0"), hard_to_collect_later=True, remote_area=True
    )


# --- 第六十三条 ------------------------------------------------------------------------------


def test_the_example_thresholds_are_marked_as_not_official() -> None:
    assert "非官方" in EXAMPLE.source


def test_a_fine_at_the_local_threshold_carries_the_hearing_right() -> None:
    has, reasons = hearing_right(
        party_kind="person", penalties=[(P.FINE, D("10000"))], thresholds=EXAMPLE
    )
    assert has and "第六十三条第一款第一项" in reasons[0]
    has, _ = hearing_right(
        party_kind="person", penalties=[(P.FINE, D("9999.99"))], thresholds=EXAMPLE
    )
    assert not has


def test_organisations_are_measured_against_their_own_threshold() -> None:
    has, _ = hearing_right(
        party_kind="organisation", penalties=[(P.FINE, D("50000"))], thresholds=EXAMPLE
    )
    assert not has
    has, _ = hearing_right(
        party_kind="other", penalties=[(P.FINE, D("100000"))], thresholds=EXAMPLE
    )
    assert has


def test_revocation_closure_and_restriction_of_business_carry_the_hearing_right() -> None:
    for penalty in (
        P.LOWER_QUALIFICATION,
        P.REVOKE_PERMIT,
        P.SUSPEND_BUSINESS,
        P.CLOSE,
        P.RESTRICT_PRACTICE,
        P.RESTRICT_BUSINESS,
    ):
        has, reasons = hearing_right(
            party_kind="organisation", penalties=[(penalty, None)], thresholds=EXAMPLE
        )
        assert has and len(reasons) == 1, penalty


def test_detention_warning_and_suspension_of_a_permit_carry_no_hearing_right_by_default() -> None:
    for penalty in (P.DETENTION, P.WARNING, P.SUSPEND_PERMIT):
        has, _ = hearing_right(party_kind="person", penalties=[(penalty, None)], thresholds=EXAMPLE)
        assert not has, penalty


def test_a_local_rule_may_add_suspension_of_a_permit_to_the_hearing_cases() -> None:
    local = HearingThresholds(
        D("5000"), D("50000"), D("5000"), D("50000"), extra_types=frozenset({P.SUSPEND_PERMIT})
    )
    has, reasons = hearing_right(
        party_kind="person", penalties=[(P.SUSPEND_PERMIT, None)], thresholds=local
    )
    assert has and "第六项" in reasons[0]


def test_confiscations_are_measured_separately_or_combined_as_configured() -> None:
    items = [(P.CONFISCATE_GAINS, D("6000")), (P.CONFISCATE_PROPERTY, D("6000"))]
    has, _ = hearing_right(party_kind="person", penalties=items, thresholds=EXAMPLE)
    assert not has
    combined = HearingThresholds(
        D("10000"), D("100000"), D("10000"), D("100000"), confiscation_combined=True
    )
    has, reasons = hearing_right(party_kind="person", penalties=items, thresholds=combined)
    assert has and "合计12000.00元" in reasons[0]


# --- 第四十五条 ------------------------------------------------------------------------------


def test_a_decided_fine_may_not_exceed_the_notified_fine() -> None:
    errors = heavier_than_notified([(P.FINE, D("6000"))], [(P.FINE, D("5000"))])
    assert errors == [
        "决定的罚款金额6000.00元高于事先告知的5000.00元（行政处罚法第四十五条第二款）"
    ]
    assert heavier_than_notified([(P.FINE, D("4000"))], [(P.FINE, D("5000"))]) == []


def test_a_penalty_not_notified_may_not_be_added() -> None:
    errors = heavier_than_notified(
        [(P.FINE, D("5000")), (P.REVOKE_PERMIT, None)], [(P.FINE, D("5000"))]
    )
    assert len(errors) == 1 and "吊销许可证件" in errors[0]
    assert heavier_than_notified([(P.FINE, D("5000")), (P.WARNING, None)], [(P.FINE, D("5000"))])


def test_a_notified_penalty_may_be_replaced_by_a_lighter_one() -> None:
    notified = [(P.REVOKE_PERMIT, None), (P.FINE, D("5000"))]
    assert heavier_than_notified([(P.SUSPEND_PERMIT, None), (P.FINE, D("5000"))], notified) == []
    assert heavier_than_notified([(P.WARNING, None)], [(P.FINE, D("500"))]) == []
    assert heavier_than_notified([(P.CLOSE, None)], [(P.REVOKE_PERMIT, None)])


# --- 裁量 -----------------------------------------------------------------------------------

LEGAL = Band(D("1000"), D("5000"))
BANDS = {
    "lighter": Band(D("1000"), D("2000")),
    "ordinary": Band(D("2000"), D("4000")),
    "heavier": Band(D("4000"), D("5000")),
}


def test_a_fine_above_the_catalogue_band_is_reported_with_the_figures() -> None:
    errors = amount_errors(
        amount=D("5000"), legal=LEGAL, bands=BANDS, circumstance=Circumstance.NONE
    )
    assert errors == ["罚款金额5000.00元超出裁量基准（一般情节：2000.00–4000.00元）"]


def test_a_fine_inside_the_band_for_its_circumstance_is_valid() -> None:
    assert (
        amount_errors(amount=D("1500"), legal=LEGAL, bands=BANDS, circumstance=Circumstance.LIGHTER)
        == []
    )
    below = amount_errors(
        amount=D("1500"), legal=LEGAL, bands=BANDS, circumstance=Circumstance.NONE
    )
    assert below == ["罚款金额1500.00元低于裁量基准（一般情节：2000.00–4000.00元）"]


def test_without_a_catalogue_band_the_fine_stays_inside_the_legal_range() -> None:
    assert (
        amount_errors(amount=D("5000"), legal=LEGAL, bands=None, circumstance=Circumstance.HEAVIER)
        == []
    )
    errors = amount_errors(
        amount=D("5001"), legal=LEGAL, bands=None, circumstance=Circumstance.HEAVIER
    )
    assert errors == ["罚款金额5001.00元超出法定幅度（1000.00–5000.00元）"]


def test_a_mitigated_fine_lies_below_the_statutory_minimum() -> None:
    assert (
        amount_errors(amount=D("800"), legal=LEGAL, bands=None, circumstance=Circumstance.MITIGATED)
        == []
    )
    errors = amount_errors(
        amount=D("1000"), legal=LEGAL, bands=None, circumstance=Circumstance.MITIGATED
    )
    assert len(errors) == 1 and "第三十二条" in errors[0]


def test_a_range_without_a_minimum_cannot_be_mitigated_in_money() -> None:
    errors = amount_errors(
        amount=D("100"),
        legal=Band(D("0"), D("2000")),
        bands=None,
        circumstance=Circumstance.MITIGATED,
    )
    assert len(errors) == 1 and "没有下限" in errors[0]


def test_a_fine_must_be_positive() -> None:
    assert amount_errors(amount=D("0"), legal=LEGAL, bands=None, circumstance=Circumstance.NONE)


def test_a_band_with_its_ends_reversed_is_rejected() -> None:
    with pytest.raises(ValueError):
        Band(D("5000"), D("1000"))


# --- 第三十条、第三十三条 --------------------------------------------------------------------


def test_a_person_is_fourteen_only_from_the_day_after_the_fourteenth_birthday() -> None:
    birth = date(2010, 5, 20)
    assert age_on(birth, date(2024, 5, 20)) == 13
    assert age_on(birth, date(2024, 5, 21)) == 14
    assert age_on(date(2008, 2, 29), date(2022, 2, 28)) == 13
    assert age_on(date(2008, 2, 29), date(2022, 3, 1)) == 14


def test_under_fourteen_is_not_penalised_and_under_eighteen_is_penalised_lightly() -> None:
    assert minor_rule(13) == "no_penalty"
    assert minor_rule(14) == "lighter"
    assert minor_rule(17) == "lighter"
    assert minor_rule(18) == "none"


def test_a_minor_act_promptly_corrected_without_harm_must_not_be_penalised() -> None:
    finding = no_penalty_grounds(minor_and_corrected_no_harm=True)
    assert finding.outcome == "must_not" and "第三十三条第一款" in finding.reasons[0]


def test_a_first_minor_offence_promptly_corrected_may_go_unpenalised() -> None:
    finding = no_penalty_grounds(first_offence_minor_corrected=True)
    assert finding.outcome == "may_not"
    assert no_penalty_grounds().outcome == "none"
    assert no_penalty_grounds(age=13).outcome == "must_not"
    assert no_penalty_grounds(no_fault_proven=True, first_offence_minor_corrected=True).outcome == (
        "must_not"
    )


# --- 第五十八条 ------------------------------------------------------------------------------


def test_legal_review_is_required_when_any_ground_of_article_58_applies() -> None:
    base = {
        "major_public_interest": False,
        "hearing_held": False,
        "complex_case": False,
        "other_by_law": False,
    }
    assert not legal_review_required(**base)
    for key in base:
        assert legal_review_required(**{**base, key: True})


# --- 第七十二条、第七十三条 -------------------------------------------------------------------


def test_ten_days_late_on_a_1000_yuan_fine_costs_300_yuan() -> None:
    due = date(2024, 10, 8)
    assert _late(D("1000"), due, date(2024, 10, 18)) == D("300.00")


def test_the_surcharge_never_exceeds_the_fine() -> None:
    due = date(2024, 10, 8)
    assert _late(D("1000"), due, date(2024, 11, 17)) == D("1000.00")


def test_payment_on_the_due_date_costs_nothing() -> None:
    due = date(2024, 10, 8)
    assert _late(D("1000"), due, due) == D("0.00")
    assert _late(D("1000"), due, date(2024, 10, 1)) == D("0.00")


def test_days_of_reconsideration_or_litigation_are_not_counted() -> None:
    due = date(2024, 10, 8)
    # A 复议 pending 7 days (filed 10-10, decided 10-16, both days counted) is not charged.
    review = Interval(date(2024, 10, 10), date(2024, 10, 16))
    paid = date(2024, 10, 18)
    charged = surcharge(fine=D("1000"), due=due, as_of=paid, paid_on=paid, pauses=[review])
    assert charged.amount == D("90.00")


def test_the_surcharge_is_rounded_half_up_to_the_fen() -> None:
    due = date(2024, 10, 8)
    assert _late(D("333.33"), due, date(2024, 10, 9)) == D("10.00")
    assert _late(D("0.50"), due, date(2024, 10, 9)) == D("0.02")


# --- 第五十九条 ------------------------------------------------------------------------------


def test_the_remedy_texts_name_sixty_days_and_six_months_with_their_articles() -> None:
    assert "六十日" in RECONSIDERATION_ROUTE and "《行政复议法》第二十条" in RECONSIDERATION_ROUTE
    assert "六个月" in LITIGATION_ROUTE and "《行政诉讼法》第四十六条" in LITIGATION_ROUTE


def test_chinese_numbers_are_written_as_the_statutes_write_them() -> None:
    assert [chinese_number(n) for n in (2, 10, 15, 24, 60, 90)] == [
        "二",
        "十",
        "十五",
        "二十四",
        "六十",
        "九十",
    ]


def _late(fine: D, due: date, paid: date) -> D:
    """加处罚款 on a fine paid on `paid` (law.enforcement.surcharge, no pause or plan)."""
    return surcharge(fine=fine, due=due, as_of=paid, paid_on=paid).amount
