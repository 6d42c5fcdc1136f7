"""law/rules.py, penalties.py, limits.py, calendar.py and validators.py through their public
functions: each threshold on its figure and just past it, each reason by its exact Chinese text.
Written against the mutants mutmut left alive (scripts/mutation.sh)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from law import rules
from law.calendar import (
    OverrideTableError,
    WorkingCalendar,
    add_months,
    parse_overrides,
    to_shanghai_date,
)
from law.limits import DayKind, TimeLimit, due_datetime
from law.penalties import PenaltyType, format_amount, heaviest, validate_penalty_items
from law.rules import Band, Circumstance, HearingThresholds
from law.validators import (
    birth_date_from_id,
    credit_code_check_char,
    id_card_check_char,
    id_card_errors,
    is_valid_id_card,
    make_credit_code,
    make_id_card,
)

D = Decimal
FINE, GAINS, GOODS = PenaltyType.FINE, PenaltyType.CONFISCATE_GAINS, PenaltyType.CONFISCATE_PROPERTY
EXAMPLE = HearingThresholds.example()

# --- 第六十三条 听证 ------------------------------------------------------------------------------


def test_the_example_thresholds_are_illustrative_figures_and_say_so():
    assert (
        HearingThresholds(
            fine_person=D("10000"),
            fine_organisation=D("100000"),
            confiscation_person=D("10000"),
            confiscation_organisation=D("100000"),
            source="示例数值，非官方标准，须按本地规定配置",
        )
        == EXAMPLE
    )
    assert EXAMPLE.extra_types == frozenset() and EXAMPLE.confiscation_combined is False


def right(
    kind: str, *items: tuple[PenaltyType, Decimal | None], t: HearingThresholds = EXAMPLE
) -> tuple[bool, list[str]]:
    return rules.hearing_right(party_kind=kind, penalties=list(items), thresholds=t)


def test_a_fine_at_the_threshold_carries_the_hearing_right_and_a_cent_less_does_not():
    assert right("person", (FINE, D("10000"))) == (
        True,
        [
            "拟作出较大数额罚款10000.00元（本地标准：10000.00元以上）（行政处罚法第六十三条第一款第一项）"
        ],
    )
    assert right("person", (FINE, D("9999.99"))) == (False, [])
    assert right("organisation", (FINE, D("99999.99"))) == (False, [])
    assert right("organisation", (FINE, D("100000")))[0] is True
    assert right("person", (FINE, None)) == (False, [])


def test_confiscations_at_the_threshold_each_carry_the_right():
    assert right("person", (GAINS, D("10000")), (GOODS, D("10000"))) == (
        True,
        [
            "拟没收较大数额违法所得10000.00元（本地标准：10000.00元以上）（行政处罚法第六十三条第一款第二项）",
            "拟没收较大价值非法财物10000.00元（本地标准：10000.00元以上）（行政处罚法第六十三条第一款第二项）",
        ],
    )
    assert right("person", (GAINS, D("9999.99")), (GOODS, D("9999.99"))) == (False, [])
    assert right("organisation", (GAINS, D("10000"))) == (False, [])


def test_combined_confiscations_count_as_one_total():
    combined = dataclasses.replace(EXAMPLE, confiscation_combined=True)
    assert right("person", (GAINS, D("5000")), (GOODS, D("5000")), t=combined) == (
        True,
        [
            "拟没收违法所得和非法财物价值合计10000.00元（本地标准：10000.00元以上）"
            "（行政处罚法第六十三条第一款第二项）"
        ],
    )
    assert right("person", (GAINS, D("5000")), (GOODS, D("4999.99")), t=combined) == (False, [])
    zero = dataclasses.replace(combined, confiscation_person=D("0"))
    assert right("person", (FINE, D("1")), t=zero)[1] == []
    assert right(
        "person", (GAINS, D("0")), t=dataclasses.replace(EXAMPLE, confiscation_person=D("0"))
    ) == (
        False,
        [],
    )


def test_a_zero_fine_never_reaches_a_zero_threshold():
    free = dataclasses.replace(EXAMPLE, fine_person=D("0"))
    assert right("person", (PenaltyType.WARNING, None), t=free) == (False, [])


def test_the_types_of_article_63_and_local_extra_types_carry_the_right_in_severity_order():
    assert right(
        "organisation", (PenaltyType.SUSPEND_BUSINESS, None), (PenaltyType.REVOKE_PERMIT, None)
    ) == (
        True,
        [
            "拟作出责令停产停业（行政处罚法第六十三条第一款第四项）",
            "拟作出吊销许可证件（行政处罚法第六十三条第一款第三项）",
        ],
    )
    local = dataclasses.replace(EXAMPLE, extra_types=frozenset({PenaltyType.WARNING}))
    assert right("person", (PenaltyType.WARNING, None), t=local) == (
        True,
        ["拟作出警告（本地规定，行政处罚法第六十三条第一款第六项）"],
    )
    assert right("person", (PenaltyType.WARNING, None)) == (False, [])


# --- 裁量 ---------------------------------------------------------------------------------------

LEGAL = Band(D("100"), D("1000"))


def amount(
    value: str,
    circumstance: Circumstance = Circumstance.NONE,
    bands: Any = None,
    legal: Band = LEGAL,
) -> list[str]:
    return rules.amount_errors(amount=D(value), legal=legal, bands=bands, circumstance=circumstance)


def test_a_fine_is_more_than_zero_and_a_cent_is_enough():
    assert amount("0") == ["罚款金额应当大于0元，实际为0.00元"]
    assert amount("-1") == ["罚款金额应当大于0元，实际为-1.00元"]
    assert amount("0.01", legal=Band(D("0"), D("1000"))) == []
    assert amount("1", legal=Band(D("0"), D("1000"))) == []


def test_a_band_cannot_start_below_zero_nor_end_below_its_start():
    with pytest.raises(ValueError, match=r"^罚款幅度下限不能小于0元$"):
        Band(D("-0.01"), D("1"))
    with pytest.raises(ValueError, match=r"^罚款幅度上限99.00元低于下限100.00元$"):
        Band(D("100"), D("99"))
    assert Band(D("0"), D("0")).max == 0
    assert Band(D("100"), D("100")).min == 100


def test_age_in_full_years_is_reached_the_day_after_the_birthday():
    born = date(2011, 3, 10)
    assert rules.age_on(born, date(2025, 3, 10)) == 13
    assert rules.age_on(born, date(2025, 3, 11)) == 14
    assert rules.age_on(born, born) == 0
    assert rules.age_on(born, date(2012, 3, 11)) == 1
    assert rules.age_on(born, date(2012, 3, 10)) == 0
    with pytest.raises(ValueError, match=r"^计算日期早于出生日期$"):
        rules.age_on(born, born - timedelta(days=1))


def test_the_grounds_for_no_penalty_say_whether_they_bind():
    assert rules.no_penalty_grounds() == rules.NoPenaltyFinding("none", ())
    first = "初次违法且危害后果轻微并及时改正，可以不予行政处罚（行政处罚法第三十三条第一款）"
    assert rules.no_penalty_grounds(first_offence_minor_corrected=True) == rules.NoPenaltyFinding(
        "may_not", (first,)
    )
    assert rules.no_penalty_grounds(
        minor_and_corrected_no_harm=True,
        first_offence_minor_corrected=True,
        no_fault_proven=True,
        age=13,
        lacked_capacity=True,
    ) == rules.NoPenaltyFinding(
        "must_not",
        (
            "违法行为轻微并及时改正，没有造成危害后果（行政处罚法第三十三条第一款）",
            "当事人有证据足以证明没有主观过错（行政处罚法第三十三条第二款）",
            "当事人不满十四周岁（13周岁），责令监护人加以管教（行政处罚法第三十条）",
            "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为（行政处罚法第三十一条）",
            first,
        ),
    )
    assert rules.no_penalty_grounds(age=14) == rules.NoPenaltyFinding("none", ())


def test_chinese_numbers_from_zero_to_ninety_nine():
    assert [rules.chinese_number(n) for n in (0, 9, 10, 15, 20, 60, 99)] == [
        "零",
        "九",
        "十",
        "十五",
        "二十",
        "六十",
        "九十九",
    ]
    for n in (-1, 100):
        with pytest.raises(ValueError, match=r"^仅支持0至99$"):
            rules.chinese_number(n)


def test_simple_procedure_limits_for_an_organisation_and_other_types():
    errors = rules.simple_procedure_errors(
        party_kind="organisation", penalties=[(FINE, D("3000")), (PenaltyType.WARNING, None)]
    )
    assert errors == []
    assert rules.simple_procedure_errors(party_kind="other", penalties=[(FINE, D("3000.01"))]) == [
        "简易程序对法人或者其他组织的罚款不得超过3000.00元，拟罚款3000.01元，应当适用普通程序（行政处罚法第五十一条）"
    ]
    assert rules.simple_procedure_errors(
        party_kind="person", penalties=[(FINE, D("100")), (FINE, D("101"))]
    ) == [
        "简易程序对公民的罚款不得超过200.00元，拟罚款201.00元，应当适用普通程序（行政处罚法第五十一条）"
    ]
    assert rules.simple_procedure_errors(party_kind="person", penalties=[(FINE, None)]) == []


def test_heavier_than_notified_adds_up_each_type():
    notified = [(FINE, D("300")), (GAINS, D("50"))]
    assert (
        rules.heavier_than_notified([(FINE, D("200")), (FINE, D("100")), (GAINS, None)], notified)
        == []
    )


# --- penalties ------------------------------------------------------------------------------------


def test_amounts_show_two_decimals_unless_they_have_more():
    assert format_amount(D("5000")) == "5000.00"
    assert format_amount(D("1.5")) == "1.50"
    assert format_amount(D("1.001")) == "1.001"


def test_no_heaviest_type_of_nothing():
    with pytest.raises(ValueError, match=r"^处罚种类为空，无法确定最重的处罚种类$"):
        heaviest([])


def test_a_fine_of_one_yuan_is_valid_and_two_fines_are_not():
    assert validate_penalty_items([(FINE, D("1"))]) == []
    assert validate_penalty_items([(FINE, D("0.01"))]) == []
    assert validate_penalty_items([(FINE, D("100")), (FINE, D("200"))]) == [
        "对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚（行政处罚法第二十九条）；"
        "同一违法行为违反多个法律规范应当给予罚款处罚的，按照罚款数额高的规定处罚"
    ]
    warned_then_fined = [(PenaltyType.WARNING, None), (FINE, D("1")), (FINE, D("2"))]
    assert len(validate_penalty_items(warned_then_fined)) == 1


# --- limits and calendar --------------------------------------------------------------------------


def test_an_hours_limit_counted_before_an_event_runs_backwards():
    start = datetime(2025, 3, 3, 9, 0)
    limit = TimeLimit(
        code="t",
        name="测试",
        amount=24,
        kind=DayKind.HOURS,
        law="法",
        article="第一条",
        note="",
        before=True,
    )
    assert due_datetime(limit, start, WorkingCalendar()) == start - timedelta(hours=24)
    forward = dataclasses.replace(limit, before=False)
    assert due_datetime(forward, start, WorkingCalendar()) == start + timedelta(hours=24)


def test_the_shanghai_date_of_an_aware_moment_is_its_date_in_shanghai():
    late_utc = datetime(2025, 3, 3, 17, 0, tzinfo=UTC)  # 01:00 on the 4th in Shanghai
    assert to_shanghai_date(late_utc) == date(2025, 3, 4)
    assert to_shanghai_date(datetime(2025, 3, 3, 23, 0)) == date(2025, 3, 3)


def test_months_end_on_the_last_day_of_december():
    assert add_months(date(2024, 10, 31), 2) == date(2024, 12, 31)
    assert add_months(date(2024, 11, 30), 1) == date(2024, 12, 30)


def test_working_days_between_a_day_and_itself_is_zero():
    cal = WorkingCalendar()
    assert cal.working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    assert cal.add_working_days(date(2025, 3, 8), 0) == date(2025, 3, 8)
    assert cal.covers(2025) and not cal.covers(2099)


def test_a_holiday_table_with_two_columns_is_read():
    overrides, years = parse_overrides("date,kind\n2099-01-03,workday\n2099-01-01,holiday\n")
    assert overrides == {date(2099, 1, 3): True, date(2099, 1, 1): False}
    assert years == {2099}
    cal = WorkingCalendar.from_table("date,kind,name\n2099-01-03,workday,调休\n")
    assert cal.is_working_day(date(2099, 1, 3)) and cal.covers(2099)


def table_errors(text: str) -> list[str]:
    with pytest.raises(OverrideTableError) as caught:
        parse_overrides(text)
    assert str(caught.value) == "\n".join(caught.value.errors)
    return caught.value.errors


def test_a_holiday_table_names_every_bad_line():
    assert table_errors(
        "date,kind,name\n2099-01-01\n2099-01-02,holiday,元旦,多余\n2099-01-05,workday\n"
        "2099-01-03,Sometimes\n2099-01-10,workday\n2099-01-01,holiday\n"
    ) == [
        "第2行：应有2至3列（date,kind,name），实际为1列",
        "第3行：应有2至3列（date,kind,name），实际为4列",
        "第4行：2099-01-05是星期一，本来就是工作日，不应列为调休上班日；请核对调休日期",
        "第5行：类型“Sometimes”无效，应为holiday（休息日）或workday（调休上班日）",
    ]
    assert table_errors("日期,类型\n2099-01-01,holiday\n") == [
        "第1行：表头应为“date,kind,name”，实际为“日期,类型”"
    ]
    assert table_errors("") == ["节假日表为空：应有表头“date,kind,name”和至少一行数据"]
    assert table_errors("date,kind,name\n# nothing\n") == ["节假日表没有任何数据行"]


def test_a_workday_on_a_saturday_or_a_friday():
    assert parse_overrides("date,kind\n2099-01-03,workday\n")[0] == {date(2099, 1, 3): True}
    assert table_errors("date,kind\n2099-01-02,workday\n") == [
        "第2行：2099-01-02是星期五，本来就是工作日，不应列为调休上班日；请核对调休日期"
    ]


# --- validators -----------------------------------------------------------------------------------

ID = make_id_card("11010519491231002")


def test_an_id_number_is_read_and_its_errors_named():
    assert is_valid_id_card(ID, today=date(2025, 1, 1))
    assert birth_date_from_id(ID) == date(1949, 12, 31)
    assert id_card_errors(ID, today=date(1949, 12, 31)) == []
    assert id_card_errors(ID, today=date(1949, 12, 30)) == [
        "身份证号码中的出生日期1949-12-31晚于今天"
    ]
    assert not is_valid_id_card(ID, today=date(1949, 12, 30))
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    with pytest.raises(ValueError, match=r"^身份证号码校验码错误，请核对号码$"):
        birth_date_from_id(wrong)
    bad_date = make_id_card("11010519491331002")
    with pytest.raises(ValueError, match=r"^身份证号码中的出生日期19491331不是有效日期$"):
        birth_date_from_id(bad_date)
    with pytest.raises(ValueError, match=r"^身份证号码前17位应为17位数字$"):
        id_card_check_char("1101051949123100")
    with pytest.raises(ValueError, match=r"^身份证号码前17位应为17位数字$"):
        id_card_check_char("1101051949123100A")


def test_a_credit_code_check_character():
    assert make_credit_code("91350100m000100y4") == "91350100M000100Y43"
    assert credit_code_check_char("00000000000000000") == "0"
    with pytest.raises(ValueError, match=r"^统一社会信用代码前17位长度应为17$"):
        credit_code_check_char("0000000000000000")
    with pytest.raises(ValueError, match=r"^统一社会信用代码含有无效字符“I”$"):
        credit_code_check_char("0000000000000000I")


# --- second pass: the survivors of the first run ----------------------------------------------


def test_the_example_thresholds_are_made_fresh_each_time():
    # Called here, not at import, so that the mutated factory is the one under test.
    assert HearingThresholds.example() == EXAMPLE


def test_below_one_yuan_still_reaches_a_zero_threshold():
    free = HearingThresholds(D("0"), D("0"), D("0"), D("0"))
    assert right("person", (FINE, D("0.5")), t=free)[0] is True
    assert right("person", (GAINS, D("0.5")), t=free)[1] == [
        "拟没收较大数额违法所得0.50元（本地标准：0.00元以上）（行政处罚法第六十三条第一款第二项）"
    ]
    assert right("person", (GOODS, D("0.5")), t=free)[1] == [
        "拟没收较大价值非法财物0.50元（本地标准：0.00元以上）（行政处罚法第六十三条第一款第二项）"
    ]
    combined = dataclasses.replace(free, confiscation_combined=True)
    assert right("person", (GOODS, D("0.5")), t=combined)[0] is True


def test_amounts_of_one_type_are_added_up_and_every_decided_type_is_checked():
    notified = [(FINE, D("250"))]
    errors = rules.heavier_than_notified([(FINE, D("200")), (FINE, D("100"))], notified)
    assert errors == ["决定的罚款金额300.00元高于事先告知的250.00元（行政处罚法第四十五条第二款）"]
    both = rules.heavier_than_notified([(PenaltyType.CLOSE, None), (FINE, D("300"))], notified)
    assert both == [
        "决定的处罚种类“责令关闭”未经事先告知，不得增加或者加重处罚（行政处罚法第四十五条第二款）",
        "决定的罚款金额300.00元高于事先告知的250.00元（行政处罚法第四十五条第二款）",
    ]


def test_the_shanghai_date_does_not_depend_on_the_process_time_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert to_shanghai_date(datetime(2025, 3, 3, 17, 0, tzinfo=UTC)) == date(2025, 3, 4)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_repeated_date_does_not_hide_the_lines_after_it():
    assert table_errors(
        "date,kind\n2099-01-01,holiday\n2099-01-01,holiday\n2099-01-03,workday\n"
        "2099-01-03,holiday\n2099-13-01,holiday\n"
    ) == [
        "第3行：2099-01-01与第2行重复",
        "第5行：2099-01-03已在第4行列为调休上班日，不能再列为休息日",
        "第6行：日期“2099-13-01”无效，应为YYYY-MM-DD格式的真实日期",
    ]


def test_all_the_reasons_an_id_number_fails_are_given_together():
    future = make_id_card("11010520991231002")
    wrong = future[:17] + ("0" if future[17] != "0" else "1")
    with pytest.raises(ValueError) as caught:
        birth_date_from_id(wrong)
    assert (
        str(caught.value)
        == "身份证号码中的出生日期2099-12-31晚于今天；身份证号码校验码错误，请核对号码"
    )
