from __future__ import annotations

from datetime import date

import pytest

from law.validators import (
    CREDIT_CODE_ALPHABET,
    birth_date_from_id,
    credit_code_check_char,
    credit_code_errors,
    id_card_errors,
    is_valid_credit_code,
    is_valid_id_card,
    make_credit_code,
    make_id_card,
    name_errors,
)


def reference_id_check(prefix17: str) -> str:
    """GB 11643-1999 from its definition: W_i = 2^(i-1) mod 11, i = 18..2; ISO 7064 MOD 11-2."""
    total = sum(int(c) * pow(2, 17 - k, 11) for k, c in enumerate(prefix17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def reference_credit_check(prefix17: str) -> str:
    """GB 32100-2015 from its definition: W_i = 3^(i-1) mod 31."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * pow(3, k, 31) for k, c in enumerate(prefix17))
    return alphabet[(31 - total % 31) % 31]


ID_PREFIXES = [
    "11010519491231002",
    "37150219800101123",  # 东昌府区, born 1980
    "37152220000229004",  # 莘县, born on 29 February 2000
    "37158119991231567",  # 临清市
    "37150320051001888",  # 茌平区
]

CREDIT_PREFIXES = [
    "91371500MA3C12345",
    "N2371502MF0000001",  # 村集体经济组织 (Liaocheng villages start with N)
    "A1371500000000001",
    "Y1371524000000012",
    "12371500004000000",
]


def test_the_well_known_test_number_11010519491231002x_is_valid() -> None:
    assert is_valid_id_card("11010519491231002X")
    assert is_valid_id_card("11010519491231002x")
    assert birth_date_from_id("11010519491231002x") == date(1949, 12, 31)


@pytest.mark.parametrize("prefix", ID_PREFIXES)
def test_the_id_check_character_matches_an_independent_computation(prefix: str) -> None:
    number = make_id_card(prefix)
    assert number[-1] == reference_id_check(prefix)
    assert id_card_errors(number, today=date(2025, 1, 1)) == []


def test_an_older_dongchangfu_number_is_valid_whatever_the_region_code_history() -> None:
    assert is_valid_id_card(make_id_card("37150219600101001"))


def test_a_wrong_check_character_is_reported() -> None:
    assert id_card_errors("110105194912310021") == ["身份证号码校验码错误，请核对号码"]


def test_an_impossible_or_future_birth_date_is_reported() -> None:
    bad_date = make_id_card("37150219490230001")
    assert id_card_errors(bad_date) == ["身份证号码中的出生日期19490230不是有效日期"]
    future = make_id_card("37150220300101001")
    assert id_card_errors(future, today=date(2025, 1, 1)) == [
        "身份证号码中的出生日期2030-01-01晚于今天"
    ]


def test_the_id_number_has_eighteen_characters_and_seventeen_leading_digits() -> None:
    assert id_card_errors("371502198001011") == ["身份证号码应为18位，实际为15位"]
    assert id_card_errors("37150219800101A23X") == ["身份证号码前17位应为数字"]
    assert id_card_errors("37150219800101123Y") == ["身份证号码第18位应为数字或X"]
    with pytest.raises(ValueError):
        birth_date_from_id("371502198001011")


@pytest.mark.parametrize("prefix", CREDIT_PREFIXES)
def test_the_credit_code_check_character_matches_an_independent_computation(prefix: str) -> None:
    code = make_credit_code(prefix)
    assert code[-1] == reference_credit_check(prefix)
    assert credit_code_errors(code) == []


def test_real_published_credit_codes_are_valid() -> None:
    assert is_valid_credit_code("91350100M000100Y43")  # the example of GB 32100-2015
    assert is_valid_credit_code("9144030071526726XG")  # 深圳市腾讯计算机系统有限公司
    assert is_valid_credit_code("91110108551385082Q")  # 北京小米科技有限责任公司


def test_codes_starting_with_n_a_or_y_are_valid() -> None:
    for prefix in ("N2371502MF0000001", "A1371500000000001", "Y1371524000000012"):
        assert is_valid_credit_code(make_credit_code(prefix))


def test_a_remainder_of_zero_gives_the_check_character_zero() -> None:
    base = "9137150000000000"
    for last in CREDIT_CODE_ALPHABET:
        if credit_code_check_char(base + last) == "0":
            assert reference_credit_check(base + last) == "0"
            break
    else:  # pragma: no cover - 31 candidates always cover every residue
        pytest.fail("no prefix found")


def test_letters_outside_the_credit_code_alphabet_are_rejected() -> None:
    errors = credit_code_errors("91371500MA3CI2345O")
    assert errors == ["统一社会信用代码含有无效字符“I”、“O”（不使用I、O、Z、S、V）"]
    assert credit_code_errors("91371500") == ["统一社会信用代码应为18位，实际为8位"]


def test_a_wrong_credit_code_check_character_is_reported() -> None:
    code = make_credit_code("91371500MA3C12345")
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    assert credit_code_errors(wrong) == ["统一社会信用代码校验码错误，请核对代码"]
    assert is_valid_credit_code(code.lower())


def test_a_name_of_zero_width_spaces_is_refused_as_invisible() -> None:
    assert name_errors("\u200b\u200b") == [
        "姓名或名称含有不可见或控制字符（U+200B），请删除后重新填写"
    ]


@pytest.mark.parametrize("hidden", ["\u200d", "\ufeff", "\u202e", "\x07", "\u2028", "\ue000"])
def test_a_name_hiding_a_format_control_or_private_character_is_refused(hidden: str) -> None:
    assert name_errors(f"张{hidden}三") == [
        f"姓名或名称含有不可见或控制字符（U+{ord(hidden):04X}），请删除后重新填写"
    ]


def test_a_blank_name_is_missing_and_a_written_one_passes() -> None:
    assert name_errors("  ") == ["缺少姓名或名称"]
    assert name_errors("") == ["缺少姓名或名称"]
    assert name_errors("聊城市某某商贸有限公司") == []
    assert name_errors("阿卜杜·热合曼") == []
    assert name_errors("A B") == []
