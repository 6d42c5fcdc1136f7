"""The guards of the 强制执行 step table (procedure/enforcement.py) on their own, without a
database: each refuses with its exact Chinese reason when its one rule of the 行政强制法 is broken,
says nothing for an act that passes, and a limit is tried on its last lawful day and the day after.
Written against the mutants mutmut left alive (scripts/mutation.sh): most of these guards were
only ever called by the Django tests, which the mutation run of the pure core does not run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from law.enforcement import CourtWindow, Instalment
from procedure import enforcement as en
from procedure.engine import END, Step, Transition
from procedure.roles import Role
from procedure.tests.test_enforcement import HANDLER, NOW, PARTNER, TODAY, act, facts

STRANGER = 7  # an officer without a valid 执法证 (not in facts().certified)
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


def reasons(guard: Any, data: dict[str, Any] | None = None, actor: int = HANDLER, **extra: Any):
    return list(guard(facts("x", **extra), act("d", data or {}, actor)))


# --- 催告 (第三十五条) and its service (第三十八条) -----------------------------------------------

NOTICE = {
    "obligation": "money",
    "term_ends": TOMORROW,
    "manner": "到指定银行缴纳",
    "amount": "1300.00",
    "rights_told": True,
}
DEMOLISH = {
    **NOTICE,
    "obligation": "performance",
    "manner": "自行拆除",
    "amount": None,
    "act": "拆除违法建设的二层彩钢房",
}


def test_a_notice_with_a_term_manner_amount_and_the_right_to_defend_passes():
    assert reasons(en.notice_complete, NOTICE) == []
    assert reasons(en.notice_complete, {**NOTICE, "amount": Decimal("0.01")}) == []


def test_a_notice_of_the_act_ordered_states_what_must_be_done_and_no_amount():
    assert reasons(en.notice_complete, DEMOLISH) == []
    assert reasons(en.notice_complete, {**DEMOLISH, "amount": "0"}) == []
    assert reasons(en.notice_complete, {**DEMOLISH, "act": " "}) == [
        "请写明当事人应当履行的行为义务，即须完成的事项（《行政强制法》第三十五条）"
    ]
    assert reasons(en.notice_complete, {**DEMOLISH, "amount": "5000.00"}) == [
        "催告履行行为义务的不载明金钱给付金额，罚款另行催告（《行政强制法》第三十五条第三项）"
    ]


def test_a_notice_names_an_obligation_the_decision_holds():
    chosen = (
        "请选择催告履行的义务：金钱给付义务（罚款、加处罚款）"
        "或者处罚决定责令的行为义务（《行政强制法》第三十五条）"
    )
    for wrong in (None, "", "fine"):
        assert reasons(en.notice_complete, {**NOTICE, "obligation": wrong}) == [chosen]
    only_fine = frozenset({"money"})
    assert reasons(en.notice_complete, NOTICE, holds=only_fine) == []
    assert reasons(en.notice_complete, DEMOLISH, holds=only_fine) == [
        "处罚决定没有责令当事人履行的行为义务，不能催告履行行为义务（《行政强制法》第三十五条）"
    ]
    only_act = frozenset({"performance"})
    assert reasons(en.notice_complete, DEMOLISH, holds=only_act) == []
    assert reasons(en.notice_complete, NOTICE, holds=only_act) == [
        "处罚决定没有尚未缴纳的罚款，不能催告履行金钱给付义务（《行政强制法》第三十五条）"
    ]


def test_a_notice_without_any_of_its_four_items_names_each_article():
    assert reasons(en.notice_complete, {"obligation": "money", "manner": " ", "amount": None}) == [
        "请填写催告书载明的履行期限（《行政强制法》第三十五条第一项）",
        "请填写履行义务的方式（《行政强制法》第三十五条第二项）",
        "请填写催告缴纳的罚款、加处罚款金额（《行政强制法》第三十五条第三项）",
        "催告书须告知当事人依法享有的陈述权和申辩权（《行政强制法》第三十五条第四项）",
    ]


def test_a_notice_term_ending_today_is_refused_and_tomorrow_is_the_first_lawful_term():
    assert reasons(en.notice_complete, {**NOTICE, "term_ends": TODAY}) == [
        "履行期限须晚于今天（《行政强制法》第三十五条第一项）"
    ]
    assert reasons(en.notice_complete, {**NOTICE, "term_ends": TOMORROW}) == []


def test_a_notice_term_given_as_a_moment_or_a_text_is_no_term():
    at = dt.datetime.combine(TOMORROW, dt.time(9, 0))
    for term in (at, TOMORROW.isoformat()):
        assert reasons(en.notice_complete, {**NOTICE, "term_ends": term}) == [
            "请填写催告书载明的履行期限（《行政强制法》第三十五条第一项）"
        ]


@pytest.mark.parametrize("amount", ["0", "-0.01", "壹佰", "NaN", "Infinity", None])
def test_a_money_notice_amount_of_nothing_below_zero_or_not_a_number_is_refused(amount: Any):
    assert reasons(en.notice_complete, {**NOTICE, "amount": amount}) == [
        "请填写催告缴纳的罚款、加处罚款金额（《行政强制法》第三十五条第三项）"
    ]


def test_a_service_date_is_not_after_today_nor_before_the_decision():
    assert reasons(en.served_date, {"served_on": TODAY}) == []
    assert reasons(en.served_date, {"served_on": TOMORROW}) == ["送达日期不能晚于今天"]
    assert reasons(en.served_date, {"served_on": YESTERDAY}, decided_on=TODAY) == [
        "送达日期不能早于作出日期"
    ]
    assert reasons(en.served_date, {"served_on": TODAY}, decided_on=TODAY) == []
    assert reasons(en.served_date, {"served_on": YESTERDAY}, decided_on=None) == []


def test_a_service_without_a_date_names_article_38():
    moment = dt.datetime.combine(TODAY, dt.time(9, 0))
    for data in ({}, {"served_on": moment}):
        assert reasons(en.served_date, data) == ["请填写送达日期（《行政强制法》第三十八条）"]


def test_the_partys_statement_is_recorded_or_its_absence_noted():
    missing = ["请记录当事人的陈述、申辩，或注明当事人未提出（《行政强制法》第三十六条）"]
    assert reasons(en.statement_recorded, {"statement": "  "}) == missing
    assert reasons(en.statement_recorded, {"statement": "无力缴纳"}) == []
    assert reasons(en.statement_recorded, {"no_statement": True}) == []


# --- 第三十七条: after the term, by the agency's own power ----------------------------------------


def test_enforcement_waits_until_the_day_after_the_notice_term():
    assert reasons(en.term_passed, notice_term_ends=TODAY) == [
        "催告书载明的履行期限至2025-10-21届满，期满当事人仍不履行的方可执行"
        "（《行政强制法》第三十七条第一款）"
    ]
    assert reasons(en.term_passed, notice_term_ends=YESTERDAY) == []
    assert reasons(en.term_passed, notice_term_ends=None) == []


def test_without_a_power_granted_by_law_only_the_court_may_enforce():
    refused = [
        "本事项没有法律授予的行政强制执行权，只能申请人民法院强制执行"
        "（《行政强制法》第十三条、第五十三条）"
    ]
    assert reasons(en.own_power, power_scope="") == refused
    assert reasons(en.own_power, power_scope=None) == refused
    assert reasons(en.own_power, power_scope="both") == []


DEMOLITION = "《中华人民共和国城乡规划法》第六十八条"
OUTSIDE_MONEY = [
    f"{DEMOLITION}授予的行政强制执行权仅限行为义务（排除妨碍、恢复原状等），"
    "金钱给付义务（罚款、加处罚款等）只能申请人民法院强制执行（《行政强制法》第十三条、第五十三条）"
]
OUTSIDE_ACT = [
    "《中华人民共和国税收征收管理法》第四十条授予的行政强制执行权仅限金钱给付义务（罚款、金钱给付），"
    "排除妨碍、恢复原状等行为义务只能申请人民法院强制执行（《行政强制法》第十三条、第五十三条）"
]


def power(decision: str, data: dict[str, Any] | None = None, **extra: Any) -> list[str]:
    return list(en.own_power(facts("x", **extra), act(decision, data or {})))


def test_a_fine_under_a_grant_to_demolish_goes_to_the_court_and_the_demolition_does_not():
    grant = {"power_scope": "performance", "power_article": DEMOLITION}
    assert power("agency", obligation="money", **grant) == OUTSIDE_MONEY
    assert power("agency", obligation="performance", **grant) == []
    # The way of enforcement a decision names is its obligation, whatever the 催告 demanded.
    assert power("draft", {"type": "transfer_funds"}, obligation="performance", **grant) == (
        OUTSIDE_MONEY
    )
    assert power("draft", {"type": "auction"}, obligation="performance", **grant) == OUTSIDE_MONEY
    assert power("draft", {"type": "restore"}, obligation="money", **grant) == []
    assert power("draft", {"type": "other"}, obligation="money", **grant) == OUTSIDE_MONEY
    # 代履行 compels an act (第五十条) even of a record whose 催告 demanded money.
    assert power("substitute", obligation="money", **grant) == []


def test_an_act_under_a_grant_over_money_goes_to_the_court_and_the_fine_does_not():
    grant = {
        "power_scope": "money",
        "power_article": "《中华人民共和国税收征收管理法》第四十条",
    }
    assert power("agency", obligation="money", **grant) == []
    assert power("draft", {"type": "transfer_funds"}, obligation="performance", **grant) == []
    assert power("agency", obligation="performance", **grant) == OUTSIDE_ACT
    assert power("draft", {"type": "restore"}, obligation="money", **grant) == OUTSIDE_ACT
    assert power("substitute", obligation="money", **grant) == OUTSIDE_ACT
    assert power("draft", {"type": "substitute"}, obligation="money", **grant) == OUTSIDE_ACT


def test_a_grant_recorded_without_its_article_is_named_as_the_law_s():
    refused = [
        "法律授予的行政强制执行权仅限行为义务（排除妨碍、恢复原状等），"
        "金钱给付义务（罚款、加处罚款等）只能申请人民法院强制执行（《行政强制法》第十三条、第五十三条）"
    ]
    for article in (None, ""):
        grant = {"power_scope": "performance", "power_article": article}
        assert power("agency", obligation="money", **grant) == refused


def test_a_grant_over_both_covers_the_fine_and_the_act():
    for obligation in ("money", "performance"):
        assert power("agency", power_scope="both", obligation=obligation) == []
    assert power("substitute", power_scope="both", obligation="money") == []


def test_immediate_enforcement_records_the_signs_of_hidden_property():
    assert reasons(en.immediate_reason, {"reason": " "}) == [
        "请记录有转移或者隐匿财物迹象的证据（《行政强制法》第三十七条第三款）"
    ]
    assert reasons(en.immediate_reason, {"reason": "夜间转移设备"}) == []


DECISION = {"reason": "逾期不拆除", "type": "restore", "remedies_told": True}


@pytest.mark.parametrize("kind", ["transfer_funds", "auction", "restore", "substitute", "other"])
def test_an_enforcement_decision_of_each_lawful_manner_passes(kind: str):
    assert reasons(en.decision_complete, {**DECISION, "type": kind}) == []


def test_an_enforcement_decision_states_reasons_manner_and_remedies():
    assert reasons(en.decision_complete, {"reason": " ", "type": "court"}) == [
        "请填写强制执行的理由和依据（《行政强制法》第三十七条第二款第二项）",
        "请选择强制执行的方式（《行政强制法》第十二条、第三十七条第二款第三项）",
        "强制执行决定须载明申请行政复议或者提起行政诉讼的途径和期限（第三十七条第二款第四项）",
    ]


# --- carrying it out (第十七条, 第四十三条) -----------------------------------------------------


def test_two_certified_officers_one_of_them_the_actor_carry_it_out():
    assert reasons(en.two_certified_officers, {"officers": [HANDLER, PARTNER]}) == []
    assert reasons(en.two_certified_officers, {"officers": [str(HANDLER), str(PARTNER)]}) == []


def test_one_officer_named_twice_is_still_one_officer():
    assert reasons(en.two_certified_officers, {"officers": [HANDLER, HANDLER]}) == [
        "强制执行须由两名以上行政执法人员实施（《行政强制法》第十七条、第十八条第二项）"
    ]


def test_an_officer_without_a_certificate_cannot_carry_it_out():
    assert reasons(en.two_certified_officers, {"officers": [HANDLER, STRANGER]}) == [
        "实施强制执行的执法人员均须持有有效的行政执法证件（《行政强制法》第十七条）"
    ]


def test_the_actor_is_one_of_the_officers_who_carried_it_out():
    assert reasons(en.two_certified_officers, {"officers": [PARTNER, HANDLER]}, PARTNER) == []
    assert reasons(en.two_certified_officers, {"officers": [PARTNER, HANDLER]}, STRANGER) == [
        "办理人须是实施强制执行的执法人员之一"
    ]
    assert reasons(en.two_certified_officers, {"officers": None}) == [
        "强制执行须由两名以上行政执法人员实施（《行政强制法》第十七条、第十八条第二项）",
        "办理人须是实施强制执行的执法人员之一",
    ]


def test_an_enforcement_time_is_a_moment_not_after_now():
    assert reasons(en.lawful_time, {"carried_out_at": TODAY}) == ["请填写实施时间"]
    assert reasons(en.lawful_time, {}) == ["请填写实施时间"]
    assert reasons(en.lawful_time, {"carried_out_at": NOW}) == []
    assert reasons(en.lawful_time, {"carried_out_at": NOW + dt.timedelta(minutes=1)}) == [
        "实施时间不能晚于现在"
    ]


def test_an_enforcement_at_22_00_is_at_night_and_at_21_59_is_not():
    night = dt.datetime.combine(YESTERDAY, dt.time(22, 0), NOW.tzinfo)
    assert reasons(en.lawful_time, {"carried_out_at": night}) == [
        "不得在夜间（22:00至06:00）实施行政强制执行，情况紧急的须记录紧急理由"
        "（《行政强制法》第四十三条第一款）"
    ]
    evening = night - dt.timedelta(minutes=1)
    assert reasons(en.lawful_time, {"carried_out_at": evening}) == []
    assert reasons(en.lawful_time, {"carried_out_at": night, "urgent_reason": " "}) != []
    assert reasons(en.lawful_time, {"carried_out_at": night, "urgent_reason": "危及安全"}) == []


def test_the_night_window_comes_from_the_setting_the_service_supplies():
    evening = dt.datetime.combine(YESTERDAY, dt.time(20, 30), NOW.tzinfo)
    early = dt.datetime.combine(TODAY, dt.time(6, 30), NOW.tzinfo)
    assert reasons(en.lawful_time, {"carried_out_at": evening}, night_from=dt.time(20, 0)) == [
        "不得在夜间（20:00至06:00）实施行政强制执行，情况紧急的须记录紧急理由"
        "（《行政强制法》第四十三条第一款）"
    ]
    assert reasons(en.lawful_time, {"carried_out_at": early}, night_until=dt.time(7, 0)) == [
        "不得在夜间（22:00至07:00）实施行政强制执行，情况紧急的须记录紧急理由"
        "（《行政强制法》第四十三条第一款）"
    ]


def test_the_manner_refuses_only_the_cuts_of_residents_utilities():
    assert reasons(en.lawful_manner, {"methods": None}) == []
    assert reasons(en.lawful_manner, {"methods": ["power"]}) == [
        "不得对居民生活采取停止供电等方式迫使当事人履行（《行政强制法》第四十三条第二款）"
    ]


# --- 代履行 (第五十条至第五十二条) ---------------------------------------------------------------

SUBSTITUTE = {
    "reason": "违法建筑逾期未拆除",
    "manner": "拆除",
    "object": "违法建筑",
    "performer": "某拆除公司",
    "budget": "0",
    "planned_on": TOMORROW,
}


def test_a_substitute_decision_with_every_item_passes():
    assert reasons(en.substitute_decision_complete, SUBSTITUTE) == []


def test_a_substitute_decision_names_each_missing_item_of_article_51():
    assert reasons(en.substitute_decision_complete, {"reason": " ", "budget": "-0.01"}) == [
        "请填写代履行的理由和依据（《行政强制法》第五十一条第一款第一项）",
        "请填写代履行的方式（《行政强制法》第五十一条第一款第一项）",
        "请填写代履行的标的（《行政强制法》第五十一条第一款第一项）",
        "请填写代履行的代履行人（《行政强制法》第五十一条第一款第一项）",
        "请填写代履行费用预算（《行政强制法》第五十一条第一款第一项）",
        "请填写代履行时间（《行政强制法》第五十一条第一款第一项）",
    ]
    assert reasons(en.substitute_decision_complete, {**SUBSTITUTE, "budget": None}) == [
        "请填写代履行费用预算（《行政强制法》第五十一条第一款第一项）"
    ]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), NOW.tzinfo)


def test_substitute_performance_on_the_third_working_day_after_the_notice_is_lawful():
    # served Monday 2025-09-29; 10-01..10-08 are 国庆、中秋, 09-30, 10-09 and 10-10 working days;
    # three working days before 10-09 is Sunday 09-28, a working day made up for the holiday
    served = dt.date(2025, 9, 29)
    on_third = {"carried_out_at": _at(dt.date(2025, 10, 10))}
    assert reasons(en.notice_before_substitute, on_third, sub_served_on=served) == []
    on_second = {"carried_out_at": _at(dt.date(2025, 10, 9))}
    assert reasons(en.notice_before_substitute, on_second, sub_served_on=served) == [
        "代履行三日前须催告当事人履行：2025-10-09代履行的，最迟应于2025-09-28送达催告，"
        "按2025-09-29送达的催告最早2025-10-10（《行政强制法》第五十一条、第六十九条）"
    ]


def test_substitute_performance_without_a_notice_is_refused_unless_immediate():
    data = {"carried_out_at": _at(TODAY)}
    assert reasons(en.notice_before_substitute, data) == [
        "代履行三日前须催告当事人履行（《行政强制法》第五十一条第一款第二项）"
    ]
    assert reasons(en.notice_before_substitute, data, immediate=True) == []
    assert reasons(en.notice_before_substitute, data, immediate=False) != []
    assert reasons(en.notice_before_substitute, {"carried_out_at": TODAY}) == []


def test_substitute_performance_is_watched_by_an_officer_and_signed():
    assert reasons(en.substitute_on_site, {"officer_present": True, "signed": True}) == []
    assert reasons(en.substitute_on_site, {}) == [
        "代履行时作出决定的行政机关应当派员到场监督（《行政强制法》第五十一条第一款第三项）",
        "执法人员、代履行人和当事人或者见证人应当在执行文书上签名或者盖章（第五十一条）",
    ]


def test_immediate_substitute_performance_reads_the_object_and_place_trimmed():
    assert reasons(en.immediate_allowed, {"object": " obstacle ", "place": " river "}) == []
    assert reasons(en.immediate_allowed, {"object": "obstacle"}) == [
        "立即代履行仅限清除道路、河道、航道或者公共场所的遗洒物、障碍物或者污染物"
        "（《行政强制法》第五十二条）"
    ]


def test_the_cost_of_substitute_performance_is_zero_or_more():
    refused = ["请填写代履行费用（按照成本合理确定，《行政强制法》第五十一条第二款）"]
    assert reasons(en.cost_given, {"cost": "0"}) == []
    assert reasons(en.cost_given, {"cost": "3500.50", "term_ends": TOMORROW}) == []
    assert reasons(en.cost_given, {"cost": "-0.01", "term_ends": TOMORROW}) == refused
    assert reasons(en.cost_given, {}) == refused


def test_a_cost_to_pay_carries_a_term_after_today_and_a_cost_of_nothing_none():
    no_term = ["请填写当事人缴纳代履行费用的期限（《行政强制法》第五十一条第二款）"]
    assert reasons(en.cost_given, {"cost": "0.01"}) == no_term
    assert reasons(en.cost_given, {"cost": "2800", "term_ends": TODAY}) == [
        "代履行费用的缴纳期限须晚于今天"
    ]
    assert reasons(en.cost_given, {"cost": "2800", "term_ends": TOMORROW}) == []
    assert reasons(en.cost_given, {"cost": "0", "term_ends": YESTERDAY}) == []


# --- 申请人民法院强制执行 (第五十三条至第五十五条) ----------------------------------------------


def test_no_application_while_a_review_or_suit_is_pending():
    assert reasons(en.no_review_pending, review_pending=True) == [
        "当事人对该决定的行政复议或行政诉讼尚未结束，不能申请人民法院强制执行（第五十三条）"
    ]
    assert reasons(en.no_review_pending, review_pending=False) == []


def test_the_court_timing_reads_the_notice_the_window_and_today():
    window = CourtWindow(YESTERDAY, TODAY, TOMORROW)
    assert reasons(en.court_timing, window=window) == []
    assert reasons(en.court_timing, notice_served_on=None) == [
        "申请人民法院强制执行前须催告当事人履行义务（《行政强制法》第五十四条）"
    ]
    closed = CourtWindow(YESTERDAY - dt.timedelta(days=2), YESTERDAY, YESTERDAY)
    assert reasons(en.court_timing, window=closed) == [
        "申请期限已于2025-10-20届满（期限届满之日起三个月，《行政强制法》第五十三条）"
    ]


def test_an_application_names_its_court_and_has_every_material_of_article_55():
    complete = {"court": "东昌府区人民法院", "materials_complete": 1}
    assert reasons(en.materials_complete, complete) == []
    assert reasons(en.materials_complete, {"court": " "}) == [
        "请填写受理申请的人民法院（行诉解释第一百五十七条：行政机关所在地基层人民法院）",
        "申请材料须齐全：申请书、行政决定书及作出决定的事实理由依据、当事人的意见及催告情况、"
        "申请强制执行标的情况（《行政强制法》第五十五条）",
    ]


def test_the_application_is_signed_by_the_head():
    assert reasons(en.signed_by_head, {"signed": True}) == []
    assert reasons(en.signed_by_head, {}) == [
        "强制执行申请书应当由行政机关负责人签名，加盖行政机关的印章（第五十五条）"
    ]


def test_the_courts_answer_is_dated_between_the_application_and_today():
    assert reasons(en.court_date, {"on": TODAY}, decided_on=TODAY) == []
    assert reasons(en.court_date, {"on": YESTERDAY}) == []
    assert reasons(en.court_date, {"on": TOMORROW}) == ["日期不能晚于今天"]
    assert reasons(en.court_date, {"on": YESTERDAY}, decided_on=TODAY) == ["日期不能早于申请日期"]
    assert reasons(en.court_date, {}) == ["请填写人民法院作出的日期"]


# --- 执行协议 (第四十二条) ----------------------------------------------------------------------

STAGES = [Instalment(TOMORROW, Decimal("500.00")), Instalment(TOMORROW, Decimal("500.00"))]


def test_an_agreement_on_the_whole_money_owed_passes():
    assert reasons(en.agreement_valid, {"stages": STAGES}, owed="1000.00") == []


def test_an_agreement_needs_its_stages_as_a_list_of_stages():
    refused = ["请填写执行协议约定的履行阶段（《行政强制法》第四十二条第一款）"]
    assert reasons(en.agreement_valid, {}, owed="1000.00") == refused
    assert reasons(en.agreement_valid, {"stages": tuple(STAGES)}, owed="1000.00") == refused
    assert reasons(en.agreement_valid, {"stages": [*STAGES, "500"]}, owed="1000.00") == refused


def test_an_agreement_without_the_money_owed_counts_it_as_nothing():
    assert reasons(en.agreement_valid, {"stages": STAGES}) == [
        "各阶段金额合计1000.00元，应等于应履行金额0元"
    ]
    assert reasons(en.agreement_valid, {"stages": STAGES}, owed="不详") == [
        "各阶段金额合计1000.00元，应等于应履行金额0元"
    ]


def test_an_agreement_waives_the_surcharge_only_after_a_remedy_and_up_to_it():
    data = {"stages": STAGES, "waived": "100", "remedied": True}
    assert reasons(en.agreement_valid, data, owed="1100.00", surcharge="100") == []
    assert reasons(en.agreement_valid, data, owed="1100.00", surcharge="99.99") == [
        "减免金额不能超过已加处的罚款99.99元"
    ]
    assert reasons(en.agreement_valid, data, owed="1100.00") == ["减免金额不能超过已加处的罚款0元"]
    unremedied = {"stages": STAGES, "waived": "100"}
    assert reasons(en.agreement_valid, unremedied, owed="1100.00", surcharge="100") == [
        "当事人采取补救措施的，方可减免加处的罚款或者滞纳金（《行政强制法》第四十二条第一款）"
    ]


def test_an_unreadable_waiver_waives_nothing():
    data = {"stages": STAGES, "waived": "一百"}
    assert reasons(en.agreement_valid, data, owed="1000.00", surcharge="100") == []
    data = {"stages": STAGES, "waived": "0"}
    assert reasons(en.agreement_valid, data, owed="1000.00", surcharge="100") == []


# --- 中止、终结、履行、回转 ----------------------------------------------------------------------


def test_a_suspension_and_an_ending_read_the_ground_and_reason_trimmed():
    assert reasons(en.suspend_valid, {"ground": " hardship ", "reason": "无力缴纳"}) == []
    assert reasons(en.suspend_valid, {"ground": "hardship", "reason": " "}) == [
        "请填写中止执行的理由"
    ]
    assert reasons(en.end_valid, {"ground": " lost ", "reason": "标的灭失"}) == []
    assert reasons(en.end_valid, {"ground": "lost", "reason": " "}) == ["请填写终结执行的理由"]


def test_performance_is_dated_today_at_the_latest():
    assert reasons(en.performed_recorded, {"on": TODAY}) == []
    assert reasons(en.performed_recorded, {"on": TOMORROW}) == ["履行日期不能晚于今天"]
    assert reasons(en.performed_recorded, {}) == ["请填写当事人履行的日期"]


@pytest.mark.parametrize("cause", ["revoked", "changed", "wrong"])
@pytest.mark.parametrize("remedy", ["restore", "return", "compensate"])
def test_a_reversal_for_each_cause_of_article_41_by_each_remedy_passes(cause: str, remedy: str):
    data = {"cause": cause, "remedy": remedy, "reason": "复议决定撤销原处罚决定"}
    assert reasons(en.reversal_valid, data) == []


def test_a_reversal_without_a_cause_a_remedy_or_its_account_names_each():
    assert reasons(en.reversal_valid, {"cause": "mistake", "remedy": "apology", "reason": " "}) == [
        "请选择执行回转的原因：行政决定被撤销、变更，或者执行错误（《行政强制法》第四十一条）",
        "请选择恢复原状、退还财物或者依法给予赔偿（《行政强制法》第四十一条）",
        "请写明撤销、变更据以执行的行政决定的文书或者执行错误的情况（第四十一条）",
    ]


def test_a_resumed_enforcement_returns_to_its_step_or_else_to_the_choice_of_road():
    assert en.resume_to(facts("en_suspended", resume_step="en_carry_out"), act("resume")) == (
        "en_carry_out"
    )
    assert en.resume_to(facts("en_suspended"), act("resume")) == "en_route"
    assert en.resume_to(facts("en_suspended", resume_step=""), act("resume")) == "en_route"


# --- the table's step builder -------------------------------------------------------------------

ONLY = (Transition("go", "办理", END),)


@pytest.mark.parametrize(
    ("roles", "who"),
    [
        (frozenset({Role.DEPUTY_DIRECTOR}), "分管局长（行政机关负责人）"),
        (frozenset({Role.SECTION_CHIEF}), "业务科长"),
        (frozenset({Role.HANDLER}), "承办人"),
    ],
)
def test_a_step_refuses_another_role_by_its_name_and_the_role_it_needs(roles: Any, who: str):
    step = en._step("en_x", "强制执行决定", "执行", roles, ONLY)
    assert step == Step(
        "en_x",
        "强制执行决定",
        "执行",
        roles,
        (*ONLY, en.PERFORMED, en.SUSPEND, en.END_IT),
        refusal=f"“强制执行决定”须由{who}办理，当前用户不具备该角色",
    )


def test_a_closed_step_offers_only_its_own_transitions_and_keeps_its_guards():
    step = en._step("en_x", "代履行费用", "代履行", en.OFFICER, ONLY, (en.cost_given,), False)
    assert (step.transitions, step.guards) == (ONLY, (en.cost_given,))
