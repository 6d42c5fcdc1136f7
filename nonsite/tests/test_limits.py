from __future__ import annotations

from decimal import Decimal

import pytest

from nonsite.limits import Flag, VehicleType, classify, gross_limit_kg

T, C = VehicleType.TRUCK, VehicleType.COMBINATION


@pytest.mark.parametrize(
    ("axles", "kind", "single", "limit"),
    [
        (2, T, False, 18_000),
        (3, T, False, 25_000),
        (3, C, False, 27_000),
        (4, T, False, 31_000),
        (4, C, False, 36_000),
        (5, C, False, 43_000),
        (6, C, False, 49_000),
        (6, C, True, 46_000),
        (7, C, False, 49_000),
    ],
)
def test_the_limits_of_article_three_by_axle_configuration(axles, kind, single, limit):
    assert gross_limit_kg(axles, kind, single) == limit


def test_there_is_no_two_axle_combination():
    with pytest.raises(ValueError):
        gross_limit_kg(2, C)


def verdict(gross: int, tolerance: str = "0"):
    return classify(
        gross_kg=gross, limit_kg=49_000, tolerance_pct=Decimal(tolerance), red_pct=Decimal("30")
    )


def test_without_a_tolerance_exactly_the_limit_is_not_an_overload_and_one_kilogram_more_is():
    assert verdict(49_000).flag == Flag.NONE
    assert verdict(49_001).flag == Flag.YELLOW


def test_with_a_tolerance_at_just_under_and_just_over_the_allowed_mass():
    assert verdict(51_449, "5").flag == Flag.NONE  # just under 49,000 × 1.05
    assert verdict(51_450, "5").flag == Flag.NONE  # at it
    v = verdict(51_451, "5")  # just over it
    assert (v.flag, v.over_kg, v.allowed_kg) == (Flag.YELLOW, 2_451, 51_450)


def test_thirty_percent_over_is_red():
    assert verdict(63_699).flag == Flag.YELLOW
    assert verdict(63_700).flag == Flag.RED
    assert verdict(63_700).over_pct == Decimal("30.00")
