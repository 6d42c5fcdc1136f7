"""Every statutory edge, on both of its sides.

Each time limit of ``law/limits.py`` is checked against the statute's own number and a due date
worked out by hand (across weekends, 调休 working days and holidays where the limit counts
working days): acting on the last lawful day is in time, the day after is not. The bands and
thresholds of ``law/rules.py`` are checked at the figure and one step past it.

The expected dates are written out, never derived from the row under test, so a row whose
number or counting changes fails here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from law.calendar import SHANGHAI, WorkingCalendar
from law.enforcement import surcharge
from law.limits import (
    ALL_LIMITS,
    EMERGENCY_MEASURE_REPORT,
    LIMITS_BY_CODE,
    DayKind,
    TimeLimit,
    due_date,
    due_datetime,
)
from law.penalties import PenaltyType
from law.rules import (
    Band,
    Circumstance,
    HearingThresholds,
    age_on,
    amount_errors,
    hearing_right,
    minor_rule,
    on_spot_collection_allowed,
    simple_procedure_errors,
    time_bar_expired,
    time_bar_last_day,
)

CAL = WorkingCalendar()
P = PenaltyType
D = Decimal
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Edge:
    """One row of law/limits.py as the statute words it, and its last lawful day from a start."""

    code: str
    number: int  # the statute's own figure (“七日”, “九十日”, “三个月”)
    kind: DayKind
    article: str
    start: date  # the event the limit counts from (for a ``before`` limit: the event it precedes)
    last_day: date  # worked out by hand
    why: str


EDGES: tuple[Edge, ...] = (
    # --- 行政处罚法 ---
    Edge(
        "decision_limit",
        90,
        DayKind.CALENDAR,
        "第六十条",
        date(2024, 7, 1),
        date(2024, 9, 29),
        "九十日 in calendar days; the filing day is not counted",
    ),
    Edge(
        "evidence_preservation_decision",
        7,
        DayKind.WORKING,
        "第五十六条",
        date(2024, 9, 27),
        date(2024, 10, 12),
        "Sun 29 Sep and Sat 12 Oct were worked; 1–7 Oct National Day",
    ),
    Edge(
        "hearing_request",
        5,
        DayKind.WORKING,
        "第六十四条第一项",
        date(2024, 9, 27),
        date(2024, 10, 10),
        "29 Sep, 30 Sep, 8, 9, 10 Oct",
    ),
    Edge(
        "hearing_notice",
        7,
        DayKind.WORKING,
        "第六十四条第二项",
        date(2024, 10, 10),
        date(2024, 9, 25),
        "hearing on 10 Oct: 9, 8 Oct, 30, 29 (worked Sunday), 27, 26, 25 Sep",
    ),
    Edge(
        "delivery",
        7,
        DayKind.WORKING,
        "第六十一条",
        date(2025, 1, 24),
        date(2025, 2, 10),
        "Sun 26 Jan, 27 Jan, then 5, 6, 7, Sat 8 (worked), 10 Feb; 28 Jan–4 Feb Spring Festival",
    ),
    Edge(
        "payment",
        15,
        DayKind.CALENDAR,
        "第六十七条",
        date(2024, 9, 16),
        date(2024, 10, 8),
        "the fifteenth day, 1 Oct, is National Day: rolls over to 8 Oct",
    ),
    Edge(
        "on_spot_fine_handover",
        2,
        DayKind.WORKING,
        "第七十一条",
        date(2025, 3, 7),
        date(2025, 3, 11),
        "Friday: Monday and Tuesday",
    ),
    Edge(
        "disclosure_withdrawal",
        3,
        DayKind.WORKING,
        "第四十八条",
        date(2025, 4, 30),
        date(2025, 5, 8),
        "1–5 May Labour Day: 6, 7, 8 May",
    ),
    Edge(
        "time_bar",
        2,
        DayKind.YEARS,
        "第三十六条第一款",
        date(2023, 3, 15),
        date(2025, 3, 15),
        "the second anniversary",
    ),
    Edge(
        "time_bar_extended",
        5,
        DayKind.YEARS,
        "第三十六条第一款",
        date(2020, 2, 29),
        date(2025, 2, 28),
        "29 Feb: the anniversary is 28 Feb",
    ),
    # --- 行政强制法 ---
    Edge(
        "seizure_period",
        30,
        DayKind.CALENDAR,
        "第二十五条第一款",
        date(2025, 3, 3),
        date(2025, 4, 2),
        "thirty calendar days",
    ),
    Edge(
        "seizure_extension",
        30,
        DayKind.CALENDAR,
        "第二十五条第一款",
        date(2025, 4, 2),
        date(2025, 5, 2),
        "the agency's own limit ends on a holiday, no roll-over",
    ),
    Edge(
        "freeze_period",
        30,
        DayKind.CALENDAR,
        "第三十二条第一款",
        date(2025, 1, 31),
        date(2025, 3, 2),
        "across a 28-day February",
    ),
    Edge(
        "freeze_extension",
        30,
        DayKind.CALENDAR,
        "第三十二条第一款",
        date(2025, 3, 2),
        date(2025, 4, 1),
        "thirty calendar days",
    ),
    Edge(
        "surcharge_enforce_after",
        30,
        DayKind.CALENDAR,
        "第四十六条第一款",
        date(2024, 12, 15),
        date(2025, 1, 14),
        "across the new year",
    ),
    Edge(
        "substitute_notice",
        3,
        DayKind.WORKING,
        "第五十一条第一款第二项",
        date(2025, 2, 5),
        date(2025, 1, 24),
        "代履行 on 5 Feb: back over the Spring Festival, 27 Jan, Sun 26 Jan (worked), 24 Jan",
    ),
    Edge(
        "court_application",
        3,
        DayKind.MONTHS,
        "第五十三条",
        date(2024, 11, 30),
        date(2025, 2, 28),
        "no 30 February: the month's end",
    ),
    Edge(
        "court_application_after_notice",
        10,
        DayKind.WORKING,
        "第五十四条",
        date(2025, 4, 25),
        date(2025, 5, 13),
        "Sun 27 Apr (worked), 28–30 Apr, 6–9 May, 12, 13 May",
    ),
    # --- 行政复议法、行政诉讼法 ---
    Edge(
        "reconsideration",
        60,
        DayKind.CALENDAR,
        "第二十条第一款",
        date(2025, 3, 3),
        date(2025, 5, 6),
        "the sixtieth day, 2 May, is a holiday: 6 May",
    ),
    Edge(
        "reconsideration_max",
        1,
        DayKind.YEARS,
        "第二十条第三款",
        date(2024, 2, 29),
        date(2025, 2, 28),
        "29 Feb: one year on is 28 Feb, a Friday",
    ),
    Edge(
        "litigation",
        6,
        DayKind.MONTHS,
        "第四十六条第一款",
        date(2024, 4, 1),
        date(2024, 10, 8),
        "six months on is 1 Oct, National Day: 8 Oct",
    ),
    Edge(
        "litigation_after_reconsideration",
        15,
        DayKind.CALENDAR,
        "第四十五条",
        date(2025, 3, 3),
        date(2025, 3, 18),
        "fifteen calendar days, a Tuesday",
    ),
    # --- 三项制度、双随机 ---
    Edge(
        "disclosure_penalty",
        7,
        DayKind.WORKING,
        "“加强事后公开”",
        date(2025, 3, 3),
        date(2025, 3, 12),
        "seven working days over one weekend",
    ),
    Edge(
        "disclosure_other",
        20,
        DayKind.WORKING,
        "“加强事后公开”",
        date(2025, 3, 3),
        date(2025, 3, 31),
        "four weekends",
    ),
    Edge(
        "random_inspection_publish",
        20,
        DayKind.WORKING,
        "（双随机、一公开）",
        date(2024, 9, 20),
        date(2024, 10, 23),
        "Sun 29 Sep and Sat 12 Oct worked, 1–7 Oct National Day",
    ),
)


def late(limit: TimeLimit, start: date, on: date) -> bool:
    """Whether acting on ``on`` misses the limit counted from ``start``."""
    return on > due_date(limit, start, CAL)


def test_every_row_of_the_limits_table_has_its_edge_case() -> None:
    covered = {e.code for e in EDGES} | {EMERGENCY_MEASURE_REPORT.code}
    assert covered == {limit.code for limit in ALL_LIMITS}


@pytest.mark.parametrize("edge", EDGES, ids=[e.code for e in EDGES])
def test_each_limit_carries_the_statutes_own_number_and_article(edge: Edge) -> None:
    limit = LIMITS_BY_CODE[edge.code]
    assert (limit.amount, limit.kind, limit.article) == (edge.number, edge.kind, edge.article)


@pytest.mark.parametrize("edge", EDGES, ids=[e.code for e in EDGES])
def test_each_limit_is_met_on_its_last_lawful_day_and_missed_the_day_after(edge: Edge) -> None:
    limit = LIMITS_BY_CODE[edge.code]
    assert due_date(limit, edge.start, CAL) == edge.last_day, edge.why
    assert not late(limit, edge.start, edge.last_day)
    assert late(limit, edge.start, edge.last_day + DAY)


def test_the_emergency_report_is_in_time_at_the_24th_hour_and_late_a_minute_after() -> None:
    limit = EMERGENCY_MEASURE_REPORT
    assert (limit.amount, limit.kind, limit.article) == (24, DayKind.HOURS, "第十九条")
    # Over a weekend night: hours run through rest days.
    start = datetime(2025, 3, 8, 22, 15, tzinfo=SHANGHAI)
    due = due_datetime(limit, start, CAL)
    assert due == datetime(2025, 3, 9, 22, 15, tzinfo=SHANGHAI)
    reported_last_minute = datetime(2025, 3, 9, 22, 15, tzinfo=SHANGHAI)
    reported_a_minute_after = reported_last_minute + timedelta(minutes=1)
    assert not reported_last_minute > due
    assert reported_a_minute_after > due


# --- law/rules.py: 第六十三条 听证 (the example thresholds; with a local figure the same edge) ----

EXAMPLE = HearingThresholds.example()


def heard(kind: str, *items: tuple[PenaltyType, Decimal]) -> bool:
    return hearing_right(party_kind=kind, penalties=list(items), thresholds=EXAMPLE)[0]


@pytest.mark.parametrize(
    ("kind", "at", "below"),
    [
        ("person", "10000", "9999.99"),
        ("organisation", "100000", "99999.99"),
        ("other", "100000", "99999.99"),
    ],
)
def test_a_fine_at_the_threshold_carries_the_hearing_right_and_a_fen_less_does_not(
    kind: str, at: str, below: str
) -> None:
    assert heard(kind, (P.FINE, D(at)))
    assert not heard(kind, (P.FINE, D(below)))


@pytest.mark.parametrize("ptype", [P.CONFISCATE_GAINS, P.CONFISCATE_PROPERTY])
@pytest.mark.parametrize(
    ("kind", "at", "below"),
    [("person", "10000", "9999.99"), ("organisation", "100000", "99999.99")],
)
def test_a_confiscation_at_the_threshold_carries_the_hearing_right_and_a_fen_less_does_not(
    ptype: PenaltyType, kind: str, at: str, below: str
) -> None:
    assert heard(kind, (ptype, D(at)))
    assert not heard(kind, (ptype, D(below)))


def test_fines_of_one_decision_are_added_up_against_the_threshold() -> None:
    assert heard("person", (P.FINE, D("6000")), (P.FINE, D("4000")))
    assert not heard("person", (P.FINE, D("6000")), (P.FINE, D("3999.99")))


def test_combined_confiscations_reach_the_threshold_together_and_not_a_fen_below() -> None:
    combined = HearingThresholds(
        fine_person=D("10000"),
        fine_organisation=D("100000"),
        confiscation_person=D("10000"),
        confiscation_organisation=D("100000"),
        confiscation_combined=True,
    )
    at = [(P.CONFISCATE_GAINS, D("5000")), (P.CONFISCATE_PROPERTY, D("5000"))]
    below = [(P.CONFISCATE_GAINS, D("4999.99")), (P.CONFISCATE_PROPERTY, D("5000"))]
    assert hearing_right(party_kind="person", penalties=at, thresholds=combined)[0]
    assert not hearing_right(party_kind="person", penalties=below, thresholds=combined)[0]


# --- 第五十一条 简易程序; 第六十八条 当场收缴 ----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "ceiling", "over"),
    [
        ("person", "200", "200.01"),
        ("organisation", "3000", "3000.01"),
        ("other", "3000", "3000.01"),
    ],
)
def test_the_simple_procedure_allows_its_ceiling_and_not_a_fen_more(
    kind: str, ceiling: str, over: str
) -> None:
    assert simple_procedure_errors(party_kind=kind, penalties=[(P.FINE, D(ceiling))]) == []
    errors = simple_procedure_errors(party_kind=kind, penalties=[(P.FINE, D(over))])
    assert len(errors) == 1
    assert f"不得超过{ceiling}.00元" in errors[0] and "第五十一条" in errors[0]


def test_the_simple_procedure_ceiling_is_on_the_sum_of_the_fines() -> None:
    assert (
        simple_procedure_errors(
            party_kind="person", penalties=[(P.FINE, D("100")), (P.FINE, D("100"))]
        )
        == []
    )
    assert simple_procedure_errors(
        party_kind="person", penalties=[(P.FINE, D("100")), (P.FINE, D("100.01"))]
    )


def test_a_fine_of_100_yuan_is_collected_on_the_spot_and_a_fen_more_is_not() -> None:
    plain = {"hard_to_collect_later": False, "remote_area": False}
    assert on_spot_collection_allowed(amount=D("100"), **plain)
    assert not on_spot_collection_allowed(amount=D("100.01"), **plain)
    assert on_spot_collection_allowed(amount=D("0.01"), **plain)
    assert not on_spot_collection_allowed(amount=D("0"), **plain)


# --- 第三十六条 追责时效 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("act", "extended", "last_day"),
    [
        (date(2023, 3, 15), False, date(2025, 3, 15)),
        (date(2020, 3, 15), True, date(2025, 3, 15)),
        (date(2024, 2, 29), False, date(2026, 2, 28)),
        (date(2020, 2, 29), True, date(2025, 2, 28)),
    ],
    ids=["two-years", "five-years", "two-years-from-29-feb", "five-years-from-29-feb"],
)
def test_an_act_discovered_on_the_last_day_of_the_time_bar_is_in_time_and_the_day_after_is_barred(
    act: date, extended: bool, last_day: date
) -> None:
    assert time_bar_last_day(act_ended_on=act, extended=extended) == last_day
    assert not time_bar_expired(act_ended_on=act, discovered_on=last_day, extended=extended)
    assert time_bar_expired(act_ended_on=act, discovered_on=last_day + DAY, extended=extended)


def test_the_five_year_bar_keeps_an_act_the_two_year_bar_has_barred() -> None:
    act, found = date(2022, 3, 15), date(2024, 3, 16)
    assert time_bar_expired(act_ended_on=act, discovered_on=found, extended=False)
    assert not time_bar_expired(act_ended_on=act, discovered_on=found, extended=True)


# --- 第七十二条 加处罚款: 3% a day, never more than the fine ----------------------------------


@pytest.mark.parametrize(
    ("paid_on", "amount"),
    [
        (date(2025, 3, 18), "0.00"),  # on the due day
        (date(2025, 3, 19), "30.00"),  # the day after: one day
        (date(2025, 4, 20), "990.00"),  # 33 days: 99% of the fine, still below it
        (date(2025, 4, 21), "1000.00"),  # 34 days: 102% capped at the fine
        (date(2025, 4, 22), "1000.00"),  # and stays there
    ],
)
def test_the_surcharge_grows_three_percent_a_day_up_to_the_fine_and_not_beyond(
    paid_on: date, amount: str
) -> None:
    assert _late(D("1000"), date(2025, 3, 18), paid_on) == D(amount)


# --- 第三十条 未成年人 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "rule"),
    [
        (date(2011, 3, 15), date(2025, 3, 15), "no_penalty"),  # the 14th birthday: still 13
        (date(2011, 3, 15), date(2025, 3, 16), "lighter"),  # the day after: 已满十四周岁
        (date(2007, 3, 15), date(2025, 3, 15), "lighter"),  # the 18th birthday: still 17
        (date(2007, 3, 15), date(2025, 3, 16), "none"),  # the day after: 已满十八周岁
    ],
)
def test_the_age_thresholds_of_article_30_are_passed_the_day_after_the_birthday(
    birth: date, on: date, rule: str
) -> None:
    assert minor_rule(age_on(birth, on)) == rule


# --- 第三十四条 裁量基准 and the legal range -----------------------------------------------------

LEGAL = Band(D("1000"), D("10000"))
BANDS = {"ordinary": Band(D("3000"), D("7000"))}


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("3000", None),
        ("2999.99", "低于裁量基准"),
        ("7000", None),
        ("7000.01", "超出裁量基准"),
    ],
)
def test_a_fine_on_the_ends_of_its_discretion_band_is_valid_and_a_fen_outside_is_not(
    amount: str, error: str | None
) -> None:
    errors = amount_errors(
        amount=D(amount), legal=LEGAL, bands=BANDS, circumstance=Circumstance.NONE
    )
    assert (errors == []) if error is None else (len(errors) == 1 and error in errors[0])


@pytest.mark.parametrize(
    ("amount", "valid"), [("1000", True), ("999.99", False), ("10000", True), ("10000.01", False)]
)
def test_without_a_band_the_legal_range_is_inclusive_at_both_ends(amount: str, valid: bool) -> None:
    errors = amount_errors(
        amount=D(amount), legal=LEGAL, bands=None, circumstance=Circumstance.NONE
    )
    assert (errors == []) is valid
    if not valid:
        assert errors == [f"罚款金额{amount}元超出法定幅度（1000.00–10000.00元）"]


def test_a_mitigated_fine_must_lie_below_the_statutory_minimum_not_on_it() -> None:
    below = amount_errors(
        amount=D("999.99"), legal=LEGAL, bands=None, circumstance=Circumstance.MITIGATED
    )
    on = amount_errors(
        amount=D("1000"), legal=LEGAL, bands=None, circumstance=Circumstance.MITIGATED
    )
    assert below == []
    assert len(on) == 1 and "减轻处罚应当低于法定最低罚款1000.00元" in on[0]


def _late(fine: D, due: date, paid: date) -> D:
    """加处罚款 on a fine paid on `paid` (law.enforcement.surcharge, no pause or plan)."""
    return surcharge(fine=fine, due=due, as_of=paid, paid_on=paid).amount
