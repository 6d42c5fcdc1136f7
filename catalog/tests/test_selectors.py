"""Which 较大数额 (行政处罚法第六十三条) applies to a unit: its region's, else the regions above."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from catalog.models import HearingThreshold
from catalog.selectors import HearingThresholdsNotSet, hearing_thresholds_for
from catalog.services import hearing_threshold_set
from law.rules import HearingThresholds
from procedure.engine import Refused


def figures(fine: str) -> HearingThresholds:
    amount = Decimal(fine)
    return HearingThresholds(amount, amount, amount, amount)


def test_a_unit_falls_back_to_the_province_when_neither_county_nor_city_sets_one(org: Any):
    # build_test_org sets only the province (370000), with the example figures.
    example = replace(HearingThresholds.example(), source="")
    assert hearing_thresholds_for(org.county_scjg) == example
    assert hearing_thresholds_for(org.cgj) == example


def test_the_nearest_region_with_a_setting_wins(org: Any):
    hearing_threshold_set(region_code="371500", thresholds=figures("50000"), source="市")
    assert hearing_thresholds_for(org.cgj) == figures("50000")
    assert hearing_thresholds_for(org.county_scjg) == figures("50000")
    hearing_threshold_set(region_code="371502", thresholds=figures("3000"), source="区")
    assert hearing_thresholds_for(org.county_scjg) == figures("3000")
    assert hearing_thresholds_for(org.cgj) == figures("50000")


def test_no_setting_on_the_way_up_is_refused_with_the_reason(org: Any):
    HearingThreshold.objects.all().delete()
    with pytest.raises(HearingThresholdsNotSet) as raised:
        hearing_thresholds_for(org.county_scjg)
    assert isinstance(raised.value, Refused)
    assert raised.value.errors == [
        "东昌府区尚未设置听证“较大数额”标准（《行政处罚法》第六十三条），请系统管理员配置"
    ]
