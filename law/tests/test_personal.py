"""Who sees a person's numbers whole (law.personal): on pages, and in a file that prints them."""

from __future__ import annotations

import pytest

from law.personal import Relation, Sight, file_sight, mask_id_number, mask_phone, sight


@pytest.mark.parametrize("roles", [{"handler"}, {"section_chief"}, set()])
def test_the_record_s_own_officer_may_see_the_numbers_without_a_reason(roles):
    assert sight(Relation.OWN, roles) is Sight.FULL
    assert file_sight(Relation.OWN, roles) is Sight.FULL


@pytest.mark.parametrize("role", ["handler", "section_chief", "legal_reviewer", "deputy_director"])
def test_an_approving_officer_of_the_unit_may_see_them_with_a_reason(role):
    assert sight(Relation.UNIT, {role}) is Sight.REVEALABLE
    assert file_sight(Relation.UNIT, {role}) is Sight.REVEALABLE


def test_a_unit_colleague_in_no_approving_role_sees_them_masked_on_pages_and_in_files():
    assert sight(Relation.UNIT, {"traffic_reviewer"}) is Sight.MASKED
    assert file_sight(Relation.UNIT, {"traffic_reviewer"}) is Sight.MASKED


def test_the_supervisor_sees_them_masked_on_pages_but_opens_a_file_with_a_reason():
    # 行政执法监督条例 Art. 22: 调阅、复制 case files is a supervisor's measure, logged.
    assert sight(Relation.OTHER, {"supervisor"}) is Sight.MASKED
    assert file_sight(Relation.OTHER, {"supervisor"}) is Sight.REVEALABLE


@pytest.mark.parametrize("roles", [{"handler"}, {"audit_admin"}, {"sys_admin"}, set()])
def test_anyone_else_sees_them_masked_and_may_not_open_the_file(roles):
    assert sight(Relation.OTHER, roles) is Sight.MASKED
    assert file_sight(Relation.OTHER, roles) is Sight.MASKED


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("37150219900101001X", "371***********001X"),
        (" 371502199001010011 ", "371***********0011"),
        ("12345678", "123*5678"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_a_person_s_id_number_keeps_its_first_three_and_last_four_characters(number, shown):
    assert mask_id_number(number) == shown


def test_an_organisation_s_credit_code_is_public_and_shown_whole():
    code = "91371500MA0000002X"
    assert mask_id_number(code, "organisation") == code


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("13800001111", "138****1111"),
        (" 13800001111 ", "138****1111"),
        ("0635-8881234", "****1234"),
        ("1380000111X", "****111X"),
        ("138000011112", "****1112"),
        ("12345", "****2345"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_a_phone_number_keeps_what_a_person_recognises_and_hides_the_rest(phone, shown):
    assert mask_phone(phone) == shown
