"""行政强制措施's checks (law/coercion.py) and the review time limits (law/reviews.py): every
reason by its exact Chinese text, every limit on its last day and the day after. Written against
the mutants mutmut left alive (scripts/mutation.sh)."""

from __future__ import annotations

from datetime import date

from law.calendar import WorkingCalendar
from law.coercion import MeasureType, item_errors, on_site_errors
from law.limits import LITIGATION, LITIGATION_AFTER_RECONSIDERATION, RECONSIDERATION
from law.reviews import FilingCheck, Kind, Other, Result, filing_check

SEAL, SEIZE, FREEZE = MeasureType.SEAL_UP, MeasureType.SEIZE, MeasureType.FREEZE

# --- 清单 (行政强制法第二十四条) and 冻结 (第二十九条) -------------------------------------------


def test_a_seizure_list_of_named_counted_items_passes():
    assert list(item_errors(SEIZE, [{"name": "电动车", "quantity": "1辆"}])) == []
    assert (
        list(item_errors(SEIZE, [{"name": "甲" * 100, "quantity": "1", "description": "乙" * 500}]))
        == []
    )


def test_an_empty_list_names_what_the_measure_needs():
    assert list(item_errors(SEAL, [])) == [
        "请列出查封的场所、设施或者财物清单（名称、数量）（《行政强制法》第二十四条）"
    ]
    assert list(item_errors(SEIZE, [])) == [
        "请列出扣押的场所、设施或者财物清单（名称、数量）（《行政强制法》第二十四条）"
    ]
    assert list(item_errors(FREEZE, [])) == ["请填写冻结的账户（开户银行、账号）和金额"]


def test_each_list_row_needs_a_name_and_a_quantity_of_bounded_length():
    rows = [
        {"name": "电动车", "quantity": "1辆"},
        {"name": " ", "quantity": None},
        {"name": "甲" * 101, "quantity": "1"},
        {"name": "乙", "quantity": "1", "description": "丙" * 501},
    ]
    assert list(item_errors(SEIZE, rows)) == [
        "清单第2项请填写名称",
        "清单第2项请填写数量（含单位）",
        "清单第3项的名称不能超过100个字，描述不能超过500个字",
        "清单第4项的名称不能超过100个字，描述不能超过500个字",
    ]


def test_a_list_holds_at_most_200_rows():
    row = {"name": "箱", "quantity": "1"}
    assert list(item_errors(SEIZE, [row] * 200)) == []
    assert list(item_errors(SEIZE, [row] * 201)) == ["清单最多200项"]


def test_each_frozen_account_names_its_bank_number_and_a_positive_amount_in_cents():
    ok = {"bank": "工商银行", "account": "6222", "amount": "100.01"}
    assert list(item_errors(FREEZE, [ok])) == []
    rows = [
        {"bank": "", "account": " ", "amount": "abc"},
        {**ok, "amount": "0"},
        {**ok, "amount": "-1"},
        {**ok, "amount": "1.001"},
        {**ok, "amount": "Infinity"},
        {**ok, "amount": None},
    ]
    assert list(item_errors(FREEZE, rows)) == [
        "第1个账户请填写开户银行（金融机构）",
        "第1个账户请填写账号",
        "第1个账户的冻结金额“abc”不是有效的金额",
        "第2个账户的冻结金额须大于零",
        "第3个账户的冻结金额须大于零",
        "第4个账户的冻结金额最多两位小数",
        "第5个账户的冻结金额须大于零",
        "第6个账户的冻结金额“”不是有效的金额",
    ]


# --- 现场 (行政强制法第十八条) --------------------------------------------------------------

DONE = {
    "certificate_shown": True,
    "told": True,
    "statements_heard": True,
    "record_made": True,
    "party_present": True,
    "party_notified": True,
    "party_signed": True,
    "decision_delivered": True,
}


def test_a_measure_carried_out_by_the_book_passes():
    assert list(on_site_errors(SEIZE, DONE)) == []
    refused = {**DONE, "party_signed": False, "refusal_note": "当事人拒绝签名"}
    assert list(on_site_errors(SEIZE, refused)) == []
    absent = {**DONE, "party_present": False, "party_notified": False, "witness": "李四"}
    assert list(on_site_errors(SEIZE, absent)) == []


def test_every_duty_of_article_18_left_undone_is_named():
    assert list(on_site_errors(SEAL, {"party_present": True})) == [
        "实施前须向当事人出示执法身份证件（《行政强制法》第十八条第三项）",
        "须当场告知当事人采取行政强制措施的理由、依据以及当事人依法享有的权利、救济途径"
        "（《行政强制法》第十八条第五项）",
        "须听取当事人的陈述和申辩（《行政强制法》第十八条第六项）",
        "须制作现场笔录（《行政强制法》第十八条第七项）",
        "须通知当事人到场（《行政强制法》第十八条第四项）",
        "现场笔录须由当事人签名或者盖章；当事人拒绝的，须在笔录中予以注明（《行政强制法》第十八条第八项）",
        "须制作并当场交付查封、扣押决定书和清单（《行政强制法》第二十四条第一款）",
    ]


def test_an_absent_party_needs_a_witness_and_a_freeze_a_notice_to_the_bank():
    absent = {**DONE, "party_present": False, "witness": " ", "decision_delivered": False}
    assert list(on_site_errors(FREEZE, absent)) == [
        "当事人不到场的，须邀请见证人到场并在现场笔录上签名或者盖章，请填写见证人（《行政强制法》第十八条第九项）",
        "须向金融机构交付冻结通知书（《行政强制法》第三十条）",
    ]
    blank_note = {**DONE, "party_signed": False, "refusal_note": " "}
    assert len(list(on_site_errors(SEIZE, blank_note))) == 1


# --- 行政复议、行政诉讼 的期限 -------------------------------------------------------------------

CAL = WorkingCalendar()
KNOWN = date(2025, 3, 3)  # 60 days → 05-02, in the May Day holiday → 05-06
R, L = Kind.RECONSIDERATION, Kind.LITIGATION


def check(
    kind: Kind, filed: date, known: date | None = KNOWN, other: Other | None = None
) -> FilingCheck:
    return filing_check(kind=kind, filed_on=filed, known_on=known, calendar=CAL, other=other)


def test_reconsideration_on_its_last_day_is_in_time_and_the_day_after_late():
    assert check(R, date(2025, 5, 6)) == FilingCheck(RECONSIDERATION, date(2025, 5, 6), False, ())
    late = check(R, date(2025, 5, 7))
    assert late == FilingCheck(
        RECONSIDERATION,
        date(2025, 5, 6),
        True,
        (
            f"超过{RECONSIDERATION.name}：{RECONSIDERATION.citation}规定{RECONSIDERATION.duration_label}，"
            "自2025-03-03起算至2025-05-06届满；是否受理由行政复议机关决定",
        ),
    )


def test_a_suit_has_six_months_and_the_court_decides_on_a_late_one():
    assert check(L, date(2025, 9, 3)) == FilingCheck(LITIGATION, date(2025, 9, 3), False, ())
    late = check(L, date(2025, 9, 4))
    assert late.late and late.warnings == (
        f"超过{LITIGATION.name}：{LITIGATION.citation}规定{LITIGATION.duration_label}，"
        "自2025-03-03起算至2025-09-03届满；是否受理由人民法院决定",
    )


def test_after_a_reconsideration_result_a_suit_has_fifteen_days_from_it():
    decided = Other(filed_on=date(2025, 3, 10), result=Result.UPHELD, ended_on=date(2025, 6, 3))
    on_time = check(L, date(2025, 6, 18), other=decided)
    assert on_time == FilingCheck(LITIGATION_AFTER_RECONSIDERATION, date(2025, 6, 18), False, ())
    late = check(L, date(2025, 6, 19), other=decided)
    limit = LITIGATION_AFTER_RECONSIDERATION
    assert late == FilingCheck(
        limit,
        date(2025, 6, 18),
        True,
        (
            f"超过{limit.name}：{limit.citation}规定{limit.duration_label}，"
            "自2025-06-03起算至2025-06-18届满；是否受理由人民法院决定",
            "此期限自复议结果日期起算；当事人收到复议决定书较晚的，以收到之日为准",
        ),
    )


def test_a_withdrawn_reconsideration_leaves_the_six_months():
    withdrawn = Other(filed_on=date(2025, 3, 10), result=Result.NONE, ended_on=date(2025, 4, 1))
    assert check(L, date(2025, 9, 3), other=withdrawn) == FilingCheck(
        LITIGATION, date(2025, 9, 3), False, ()
    )
    # ... and a withdrawn suit does not bar a reconsideration.
    assert check(R, date(2025, 5, 6), other=withdrawn).warnings == ()


def test_no_suit_while_a_reconsideration_runs():
    running = Other(filed_on=date(2025, 3, 10), result=Result.NONE, ended_on=None)
    assert check(L, date(2025, 4, 1), other=running) == FilingCheck(
        LITIGATION,
        date(2025, 9, 3),
        False,
        (
            "当事人已申请行政复议且复议尚未办结，复议期间不得提起行政诉讼"
            "（《行政复议法》第二十九条），是否立案由人民法院决定",
        ),
    )


def test_no_reconsideration_once_a_suit_was_filed_the_same_day_or_before():
    sued = (
        "当事人已就该决定提起行政诉讼，人民法院已经受理的不得再申请行政复议"
        "（《行政复议法》第二十九条），是否受理由复议机关决定"
    )
    same_day = Other(filed_on=date(2025, 4, 1), result=Result.NONE, ended_on=None)
    assert check(R, date(2025, 4, 1), other=same_day).warnings == (sued,)
    later = Other(filed_on=date(2025, 4, 2), result=Result.NONE, ended_on=None)
    assert check(R, date(2025, 4, 1), other=later).warnings == ()
    judged = Other(filed_on=date(2025, 3, 5), result=Result.CORRECTED, ended_on=date(2025, 3, 20))
    assert check(R, date(2025, 4, 1), other=judged).warnings == (sued,)


def test_without_the_delivery_day_the_limit_is_not_checked():
    assert check(R, date(2030, 1, 1), known=None) == FilingCheck(
        RECONSIDERATION,
        None,
        False,
        (f"决定书送达日期未登记，未核对{RECONSIDERATION.name}（{RECONSIDERATION.citation}）",),
    )


def test_a_year_the_calendar_lacks_is_not_checked_and_says_why():
    result = check(R, date(2099, 6, 1), known=date(2099, 3, 3))
    assert result.limit is RECONSIDERATION and result.due_on is None and result.late is False
    assert len(result.warnings) == 1
    assert result.warnings[0].endswith(
        f"，未核对{RECONSIDERATION.name}（{RECONSIDERATION.citation}）"
    )
    assert "2099" in result.warnings[0]


def test_a_frozen_amount_of_one_yuan_or_less_is_valid():
    for amount in ("1", "0.5"):
        row = {"bank": "工商银行", "account": "6222", "amount": amount}
        assert list(item_errors(FREEZE, [row])) == []


def test_each_measure_has_its_own_period_and_extension():
    from law.coercion import extension_limit, period_limit
    from law.limits import FREEZE_EXTENSION, FREEZE_PERIOD, SEIZURE_EXTENSION, SEIZURE_PERIOD

    assert period_limit(FREEZE) is FREEZE_PERIOD and extension_limit(FREEZE) is FREEZE_EXTENSION
    for kind in (SEAL, SEIZE):
        assert period_limit(kind) is SEIZURE_PERIOD and extension_limit(kind) is SEIZURE_EXTENSION
