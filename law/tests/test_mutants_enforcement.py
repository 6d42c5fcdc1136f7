"""强制执行's rules (law/enforcement.py) by the statute's own numbers: every reason by its exact
Chinese text, every limit on its last lawful day and the day after. Written against the mutants
mutmut left alive (scripts/mutation.sh)."""

from __future__ import annotations

import os
import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from law import enforcement as e
from law.calendar import SHANGHAI, WorkingCalendar

CAL = WorkingCalendar()
FINE = Decimal("1000.00")
DUE = date(2025, 3, 25)
HUNDRED = Decimal("100")


# --- 加处罚款 (行政处罚法第七十二条第一款第一项, 行政强制法第四十五条) --------------------------


def test_a_fine_of_zero_carries_no_surcharge_and_a_negative_fine_is_refused():
    assert e.surcharge(fine=Decimal("0"), due=DUE, as_of=date(2025, 4, 4)).amount == Decimal("0")
    with pytest.raises(ValueError, match=r"^罚款金额不能为负数$"):
        e.surcharge(fine=Decimal("-0.01"), due=DUE, as_of=DUE)


def test_a_fine_paid_before_its_due_date_carries_no_surcharge_and_no_paused_day():
    pause = e.Interval(date(2025, 3, 1), date(2025, 3, 31))
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 4, 4), paid_on=date(2025, 3, 20))
    assert (s.amount, s.days, s.paused) == (Decimal("0.00"), 0, 0)
    s = e.surcharge(fine=FINE, due=DUE, as_of=DUE, pauses=[pause])
    assert (s.amount, s.days, s.paused) == (Decimal("0.00"), 0, 0)


def test_a_review_filed_on_the_due_date_pauses_from_the_day_after():
    pause = e.Interval(DUE, date(2025, 3, 26))
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 3, 28), pauses=[pause])
    assert (s.amount, s.days, s.paused) == (Decimal("60.00"), 2, 1)


def test_a_surcharge_capped_at_a_fine_in_fractions_of_a_fen_is_rounded_half_up():
    # 0.125 × 3 % × 40 days > 0.125: the cap is the fine itself, 0.125 → 0.13
    s = e.surcharge(fine=Decimal("0.125"), due=DUE, as_of=date(2025, 5, 4))
    assert s.amount == Decimal("0.13")


def test_a_surcharge_line_states_its_base_dates_days_and_amount():
    pause = e.Interval(date(2025, 3, 27), date(2025, 3, 27))
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 3, 28), pauses=[pause])
    assert s.lines == (e.SurchargeLine(FINE, DUE, date(2025, 3, 28), 2, 1, Decimal("60.00")),)


def test_each_instalment_is_charged_on_its_own_amount_up_to_its_own_payment():
    plan = [
        e.Instalment(date(2025, 4, 25), Decimal("400.00"), paid_on=date(2025, 4, 27)),
        e.Instalment(date(2025, 5, 25), Decimal("600.00")),
    ]
    s = e.surcharge(fine=FINE, due=DUE, as_of=date(2025, 5, 26), schedule=plan)
    first, second = Decimal("400.00"), Decimal("600.00")
    assert s.lines == (
        e.SurchargeLine(first, date(2025, 4, 25), date(2025, 4, 27), 2, 0, Decimal("24.00")),
        e.SurchargeLine(second, date(2025, 5, 25), date(2025, 5, 26), 1, 0, Decimal("18.00")),
    )
    assert (s.amount, s.days, s.paused) == (Decimal("42.00"), 3, 0)


def test_a_deferral_approved_on_the_due_date_or_without_a_date_charges_nothing_before_it():
    plan = [e.Instalment(date(2025, 5, 25), FINE)]
    as_of = date(2025, 5, 26)
    for approved in (DUE, None):
        s = e.surcharge(
            fine=FINE,
            due=DUE,
            as_of=as_of,
            schedule=plan,
            approved_on=approved,
            deferral_moves_due=False,
        )
        assert (s.amount, len(s.lines)) == (Decimal("30.00"), 1)


def test_what_ran_before_a_late_approval_is_charged_up_to_today_at_most():
    plan = [e.Instalment(date(2025, 5, 25), FINE)]
    s = e.surcharge(
        fine=FINE,
        due=DUE,
        as_of=date(2025, 3, 27),
        schedule=plan,
        approved_on=date(2025, 4, 1),
        deferral_moves_due=False,
    )
    assert s.lines[0] == e.SurchargeLine(FINE, DUE, date(2025, 3, 27), 2, 0, Decimal("60.00"))
    assert s.amount == Decimal("60.00")


def test_the_surcharge_of_all_instalments_together_never_exceeds_the_fine():
    # 34 days on the whole fine before the approval (capped at the fine), then a late instalment.
    plan = [e.Instalment(date(2025, 5, 25), FINE)]
    s = e.surcharge(
        fine=FINE,
        due=DUE,
        as_of=date(2025, 5, 27),
        schedule=plan,
        approved_on=date(2025, 4, 28),
        deferral_moves_due=False,
    )
    assert [line.amount for line in s.lines] == [FINE, Decimal("60.00")]
    assert s.amount == FINE


def test_the_surcharge_rounds_half_a_fen_up():
    # 0.50 × 3 % × 3 = 0.045 → 0.05
    half = Decimal("0.50")
    assert e.surcharge(fine=half, due=DUE, as_of=date(2025, 3, 28)).amount == Decimal("0.05")
    plan = [e.Instalment(date(2025, 4, 1), half)]
    s = e.surcharge(fine=half, due=DUE, as_of=date(2025, 4, 4), schedule=plan)
    assert s.amount == Decimal("0.05")


# --- 延期、分期 (行政处罚法第六十六条第二款) ------------------------------------------------------


def test_a_deferral_without_any_instalment_is_refused_by_article_66():
    assert list(e.schedule_errors(FINE, DUE, [])) == [
        "请填写延期或分期缴纳的期限和金额（《行政处罚法》第六十六条第二款）"
    ]


def test_each_instalment_is_more_than_zero_in_whole_fen():
    plan = [
        e.Instalment(date(2025, 4, 1), Decimal("0")),
        e.Instalment(date(2025, 5, 1), Decimal("999.995")),
        e.Instalment(date(2025, 6, 1), Decimal("0.005")),
    ]
    assert list(e.schedule_errors(FINE, DUE, plan)) == [
        "第1期金额须大于零",
        "第2期金额最多两位小数",
        "第3期金额最多两位小数",
    ]


def test_an_instalment_due_on_the_original_due_date_is_refused_and_the_day_after_passes():
    plan = [e.Instalment(DUE, FINE)]
    assert list(e.schedule_errors(FINE, DUE, plan)) == ["第1期缴纳期限须晚于原缴款期限2025-03-25"]
    assert list(e.schedule_errors(FINE, DUE, [e.Instalment(date(2025, 3, 26), FINE)])) == []


def test_each_instalment_falls_due_after_the_one_before():
    plan = [
        e.Instalment(date(2025, 4, 1), Decimal("400")),
        e.Instalment(date(2025, 4, 1), Decimal("300")),
        e.Instalment(date(2025, 4, 2), Decimal("300")),
    ]
    assert list(e.schedule_errors(FINE, DUE, plan)) == ["第2期缴纳期限须晚于上一期"]


def test_the_instalments_add_up_to_the_fine():
    plan = [
        e.Instalment(date(2025, 4, 1), Decimal("400")),
        e.Instalment(date(2025, 5, 1), Decimal("500")),
    ]
    assert list(e.schedule_errors(FINE, DUE, plan)) == [
        "各期金额合计900元，应等于罚款1000.00元（《行政处罚法》第六十六条第二款）"
    ]


# --- 申请人民法院强制执行 (第五十三条、第五十四条) ------------------------------------------------


def test_the_litigation_period_is_six_months_from_service_by_default():
    assert e.litigation_period_end(date(2025, 3, 10), CAL) == date(2025, 9, 10)


def test_the_litigation_period_of_a_decision_that_omitted_the_term_rolls_over_a_holiday():
    # served 2024-10-01: one year → 2025-10-01, 国庆、中秋 until 10-08.
    assert e.litigation_period_end(date(2024, 10, 1), CAL, term_omitted=True) == date(2025, 10, 9)


def test_a_review_first_period_is_a_setting_and_rolls_over_a_weekend():
    # served 2025-03-10 + 61 days = 2025-05-10, a Saturday → Monday 05-12.
    end = e.litigation_period_end(date(2025, 3, 10), CAL, review_first=True, review_first_days=61)
    assert end == date(2025, 5, 12)
    end = e.litigation_period_end(
        date(2025, 3, 10), CAL, term_omitted=True, review_first=True, review_first_days=15
    )
    assert end == date(2025, 3, 25)  # 复议前置 comes first


def test_the_court_window_passes_every_choice_on_to_the_litigation_period():
    w = e.court_window(
        date(2025, 3, 10), CAL, term_omitted=True, review_first=True, review_first_days=15
    )
    assert w == e.CourtWindow(date(2025, 3, 25), date(2025, 3, 26), date(2025, 6, 25))
    w = e.court_window(date(2025, 3, 10), CAL, term_omitted=True)
    assert w == e.CourtWindow(date(2026, 3, 10), date(2026, 3, 11), date(2026, 6, 10))


def test_a_deferral_ending_before_the_litigation_period_does_not_shorten_it():
    w = e.court_window(date(2025, 3, 10), CAL, deferral_ends=date(2025, 9, 9))
    assert w == e.CourtWindow(date(2025, 9, 10), date(2025, 9, 11), date(2025, 12, 10))
    w = e.court_window(date(2025, 3, 10), CAL, deferral_ends=date(2025, 9, 11))
    assert w == e.CourtWindow(date(2025, 9, 11), date(2025, 9, 12), date(2025, 12, 11))


def test_an_application_before_the_window_opens_names_the_last_day_of_the_litigation_period():
    w = e.court_window(date(2025, 3, 10), CAL)
    assert list(e.court_application_errors(date(2025, 9, 10), date(2025, 8, 1), w, CAL)) == [
        "法定起诉期限至2025-09-10届满，期满后方可申请（《行政强制法》第五十三条）"
    ]
    assert list(e.court_application_errors(date(2025, 12, 11), date(2025, 8, 1), w, CAL)) == [
        "申请期限已于2025-12-10届满（期限届满之日起三个月，《行政强制法》第五十三条）"
    ]


def test_an_application_without_a_notice_and_outside_the_window_gives_both_reasons():
    w = e.court_window(date(2025, 3, 10), CAL)
    assert list(e.court_application_errors(date(2025, 9, 10), None, w, CAL)) == [
        "申请人民法院强制执行前须催告当事人履行义务（《行政强制法》第五十四条）",
        "法定起诉期限至2025-09-10届满，期满后方可申请（《行政强制法》第五十三条）",
    ]


# --- 代履行 (第五十一条、第五十二条) ----------------------------------------------------------


def test_substitute_performance_without_a_notice_names_article_51():
    assert list(e.substitute_errors(date(2025, 10, 9), None, CAL)) == [
        "代履行三日前须催告当事人履行（《行政强制法》第五十一条第一款第二项）"
    ]


def test_substitute_performance_before_the_third_working_day_names_the_latest_notice_day():
    # 2025-10-09 and 10-10 are working days, 10-01..10-08 the holiday; 09-28 (Sunday) was worked.
    assert list(e.substitute_errors(date(2025, 10, 9), date(2025, 9, 29), CAL)) == [
        "代履行三日前须催告当事人履行：2025-10-09代履行的，最迟应于2025-09-28送达催告，"
        "按2025-09-29送达的催告最早2025-10-10（《行政强制法》第五十一条、第六十九条）"
    ]


def test_an_immediate_substitute_with_a_notice_is_never_refused_for_its_timing():
    served = date(2025, 9, 29)
    assert list(e.substitute_errors(date(2025, 9, 30), served, CAL, immediate=True)) == []


@pytest.mark.parametrize(("obj", "place"), [("spill", "museum"), ("building", "road")])
def test_immediate_substitute_needs_both_a_listed_object_and_a_listed_place(obj: str, place: str):
    assert list(e.immediate_errors(obj, place)) == [
        "立即代履行仅限清除道路、河道、航道或者公共场所的遗洒物、障碍物或者污染物"
        "（《行政强制法》第五十二条）"
    ]


# --- 第四十三条: the time and the manner -------------------------------------------------------

NIGHT = (
    "不得在夜间（22:00至06:00）实施行政强制执行，情况紧急的须记录紧急理由"
    "（《行政强制法》第四十三条第一款）"
)


def test_the_night_ends_at_six_in_the_morning():
    assert e.is_night(time(5, 59))
    assert not e.is_night(time(6, 0))
    assert e.is_night(time(22, 0))
    assert not e.is_night(time(21, 59))


def test_a_night_window_inside_one_day_is_read_from_its_start_to_its_end():
    one, five = time(1, 0), time(5, 0)
    assert e.is_night(time(1, 0), one, five)
    assert e.is_night(time(4, 59), one, five)
    assert not e.is_night(time(5, 0), one, five)
    assert not e.is_night(time(0, 59), one, five)
    assert not e.is_night(time(23, 0), one, five)


def test_a_night_window_of_no_length_covers_no_hour():
    assert not e.is_night(time(22, 0), time(22, 0), time(22, 0))
    assert not e.is_night(time(3, 0), time(22, 0), time(22, 0))


def test_the_night_is_read_on_shanghai_time_whatever_the_clock_of_the_moment():
    utc = datetime(2025, 9, 30, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai
    assert list(e.timing_errors(utc, CAL)) == [NIGHT]
    assert list(e.timing_errors(datetime(2025, 9, 30, 13, 59, tzinfo=UTC), CAL)) == []
    assert list(e.timing_errors(datetime(2025, 9, 30, 22, 0), CAL)) == [NIGHT]
    assert list(e.timing_errors(datetime(2025, 9, 30, 10, 0), CAL)) == []


@pytest.fixture
def server_on_utc() -> Iterator[None]:
    """The process's own time zone set to UTC (the platform's processes run on Asia/Shanghai)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    clock.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        clock.tzset()


def test_the_night_does_not_depend_on_the_time_zone_of_the_server(server_on_utc: None):
    assert list(e.timing_errors(datetime(2025, 9, 30, 14, 0, tzinfo=UTC), CAL)) == [NIGHT]
    assert list(e.timing_errors(datetime(2025, 9, 30, 22, 0), CAL)) == [NIGHT]
    assert list(e.timing_errors(datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI), CAL)) == []


def test_a_holiday_is_the_day_in_shanghai_and_a_night_on_it_gives_both_reasons():
    utc = datetime(2025, 9, 30, 17, 0, tzinfo=UTC)  # 2025-10-01 01:00 in Shanghai
    assert list(e.timing_errors(utc, CAL)) == [
        NIGHT,
        "2025-10-01是法定节假日，不得实施行政强制执行，情况紧急的须记录紧急理由"
        "（《行政强制法》第四十三条第一款）",
    ]


def test_a_blank_urgent_reason_is_no_reason():
    at = datetime(2025, 9, 30, 22, 0, tzinfo=SHANGHAI)
    assert list(e.timing_errors(at, CAL, urgent_reason="  ")) == [NIGHT]


def test_the_night_window_setting_is_named_in_the_refusal():
    at = datetime(2025, 9, 30, 6, 30, tzinfo=SHANGHAI)
    assert list(e.timing_errors(at, CAL, night_from=time(20, 0), night_until=time(7, 0))) == [
        "不得在夜间（20:00至07:00）实施行政强制执行，情况紧急的须记录紧急理由"
        "（《行政强制法》第四十三条第一款）"
    ]


def test_every_utility_cut_is_named_in_the_order_given():
    assert list(e.method_errors(["gas", "transfer_funds", "heat", "power"])) == [
        "不得对居民生活采取停止供燃气、停止供热、停止供电等方式迫使当事人履行"
        "（《行政强制法》第四十三条第二款）"
    ]
    assert list(e.method_errors([])) == []


# --- 第三十九条 中止, 第四十条 终结, 第四十二条 执行协议 -----------------------------------------


def test_three_years_of_suspension_do_not_end_enforcement_of_a_party_able_to_pay():
    on, later = date(2025, 3, 10), date(2029, 1, 1)
    assert not e.no_longer_enforced(on, later, no_obvious_harm=True, unable=False)
    assert not e.no_longer_enforced(on, later, no_obvious_harm=False, unable=False)
    assert e.no_longer_enforced(on, later, no_obvious_harm=True, unable=True)


def test_a_suspension_without_a_ground_or_a_reason_names_both():
    assert list(e.suspend_errors("bored", " ")) == [
        "请选择中止执行的情形（《行政强制法》第三十九条第一款）",
        "请填写中止执行的理由",
    ]


def test_an_ending_without_a_ground_or_a_reason_names_both():
    assert list(e.end_errors("bored", " ")) == [
        "请选择终结执行的情形（《行政强制法》第四十条）",
        "请填写终结执行的理由",
    ]


STAGES = [
    e.Instalment(date(2025, 5, 1), Decimal("500")),
    e.Instalment(date(2025, 6, 1), Decimal("500")),
]
TODAY = date(2025, 4, 1)


def test_an_agreement_without_stages_asks_for_them_once():
    assert list(e.agreement_errors([], FINE, TODAY)) == [
        "请填写执行协议约定的履行阶段（《行政强制法》第四十二条第一款）"
    ]


def test_each_stage_is_more_than_zero_in_whole_fen_and_not_due_before_today():
    stages = [
        e.Instalment(TODAY, Decimal("0")),
        e.Instalment(TODAY, Decimal("0.005")),
        e.Instalment(date(2025, 3, 31), Decimal("999.995")),
    ]
    assert list(e.agreement_errors(stages, FINE, TODAY)) == [
        "第1阶段金额须大于零且最多两位小数",
        "第2阶段金额须大于零且最多两位小数",
        "第3阶段金额须大于零且最多两位小数",
        "第3阶段履行期限不能早于今天",
    ]


def test_a_stage_of_fifty_fen_is_a_stage():
    stages = [*STAGES, e.Instalment(TODAY, Decimal("0.50"))]
    assert list(e.agreement_errors(stages, Decimal("1000.50"), TODAY)) == []


def test_the_stages_add_up_to_what_is_owed_less_the_waiver():
    assert list(e.agreement_errors(STAGES, FINE + HUNDRED, TODAY)) == [
        "各阶段金额合计1000元，应等于应履行金额1100.00元"
    ]
    owed = FINE + HUNDRED + HUNDRED
    short = e.agreement_errors(
        STAGES, owed, TODAY, waived=HUNDRED, remedied=True, surcharge_due=HUNDRED
    )
    assert list(short) == ["各阶段金额合计1000元，应等于应履行金额1100.00元"]
    waived = e.agreement_errors(
        STAGES, FINE + HUNDRED, TODAY, waived=HUNDRED, remedied=True, surcharge_due=HUNDRED
    )
    assert list(waived) == []


def test_a_waiver_is_never_negative_and_never_more_than_the_surcharge():
    assert list(e.agreement_errors(STAGES, FINE - HUNDRED, TODAY, waived=-HUNDRED)) == [
        "减免的加处罚款不能为负数"
    ]
    over = e.agreement_errors(
        STAGES, FINE + HUNDRED, TODAY, waived=HUNDRED, remedied=True, surcharge_due=Decimal("99.99")
    )
    assert list(over) == ["减免金额不能超过已加处的罚款99.99元"]


def test_a_waiver_without_a_remedy_names_article_42():
    half = Decimal("0.50")
    refused = e.agreement_errors(STAGES, FINE + half, TODAY, waived=half, surcharge_due=half)
    assert list(refused) == [
        "当事人采取补救措施的，方可减免加处的罚款或者滞纳金（《行政强制法》第四十二条第一款）"
    ]
    assert list(
        e.agreement_errors(STAGES, FINE + HUNDRED, TODAY, waived=HUNDRED, surcharge_due=HUNDRED)
    ) == ["当事人采取补救措施的，方可减免加处的罚款或者滞纳金（《行政强制法》第四十二条第一款）"]
