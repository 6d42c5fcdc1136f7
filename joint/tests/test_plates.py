from __future__ import annotations

import pytest

from joint.plates import normalize_plate, plate_errors, plate_kind


@pytest.mark.parametrize(
    ("plate", "kind"),
    [
        ("鲁P12345", "ordinary"),
        ("鲁PA1B23", "ordinary"),
        ("京A1234学", "ordinary"),
        ("鲁P1234挂", "ordinary"),
        ("鲁PD12345", "new_energy"),
        ("鲁PFA1234", "new_energy"),
        ("鲁P12345D", "new_energy"),
        ("粤B12345F", "new_energy"),
    ],
)
def test_valid_plates_including_new_energy_ones_are_recognised(plate, kind):
    assert plate_kind(plate) == kind
    assert plate_errors(plate) == []


@pytest.mark.parametrize(
    "plate",
    [
        "鲁PI2345",
        "鲁P1234",
        "鲁P1234567",
        "A12345",
        "鲁1A2345",
        "鲁PD1234A",
        "鲁PO1234",
        "港P12345",
    ],
)
def test_malformed_plates_are_refused_with_a_chinese_reason(plate):
    errors = plate_errors(plate)
    assert errors and "车牌" in errors[0]


def test_spaces_dots_and_lower_case_are_normalised():
    assert normalize_plate(" 鲁p·123 45 ") == "鲁P12345"
