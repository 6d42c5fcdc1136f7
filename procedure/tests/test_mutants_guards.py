"""The guards of procedure/guards.py on their own, without a database: each refuses with its exact
Chinese reason when one rule is broken, and says nothing for a case that passes every other
check. Written against the mutants mutmut left alive (scripts/mutation.sh)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from law.penalties import PenaltyType
from law.rules import Band
from procedure import guards as g
from procedure.engine import Act, CaseFacts, MatterFacts, PartyFacts
from procedure.roles import Role

HANDLER, CO, CHIEF, STRANGER = 1, 2, 3, 9
TODAY = dt.date(2025, 3, 10)

MATTER = MatterFacts(
    code="M1",
    allowed=frozenset({PenaltyType.WARNING, PenaltyType.FINE}),
    legal_band=Band(Decimal("100"), Decimal("1000")),
    bands=None,
    time_bar_years=2,
    major=False,
    in_force_on_act=True,
)


def party(**kw: Any) -> PartyFacts:
    base = dict(
        index=1,
        kind="organisation",
        name="甲公司",
        address="聊城市东昌府区",
        age=None,
        proposal=None,
        notified=None,
        hearing_right=False,
        response=None,
        decision=None,
    )
    base.update(kw)
    return PartyFacts(**base)


def facts(**kw: Any) -> CaseFacts:
    base = dict(
        procedure="general",
        step="x",
        unit_id=10,
        handler_id=HANDLER,
        co_handler_id=CO,
        certified=frozenset({HANDLER, CO, CHIEF}),
        qualified_reviewers=frozenset({CHIEF}),
        evidence_count=1,
        matter=MATTER,
        parties=(party(),),
        complex=False,
        today=TODAY,
        act_on=dt.date(2025, 1, 1),
        discovered_on=dt.date(2025, 2, 1),
        filed_on=dt.date(2025, 2, 2),
        decision_due=None,
        response_window_end=None,
    )
    base.update(kw)
    return CaseFacts(**base)


def act(actor: int = HANDLER, **data: Any) -> Act:
    return Act(
        actor_id=actor, actor_unit_id=10, roles=frozenset({Role.HANDLER}), decision="d", data=data
    )


def reasons(guard: Any, f: CaseFacts | None = None, a: Act | None = None) -> list[str]:
    return list(guard(f or facts(), a or act()))


# --- parse_items ------------------------------------------------------------------------


def test_parse_items_types_the_amounts_and_numbers_each_error_from_one():
    items, errors = g.parse_items(
        [
            {"type": "fine", "amount": "200.50"},
            {"type": "warning", "amount": ""},
            {"type": "warning"},
            {"type": "flogging"},
            {"type": "fine", "amount": "abc"},
        ]
    )
    assert items == [
        (PenaltyType.FINE, Decimal("200.50")),
        (PenaltyType.WARNING, None),
        (PenaltyType.WARNING, None),
    ]
    assert errors == [
        "第4项处罚种类“flogging”不是《行政处罚法》第九条规定的种类",
        "第5项金额“abc”不是有效的金额",
    ]


# --- who acts ---------------------------------------------------------------------------


def test_only_the_handler_takes_a_handler_step_and_anyone_when_no_handler_yet():
    assert reasons(g.actor_is_handler) == []
    assert reasons(g.actor_is_handler, a=act(CO)) == ["本环节须由本案承办人办理"]
    assert reasons(g.actor_is_handler, facts(handler_id=None), act(STRANGER)) == []


def test_the_handler_or_the_co_handler_investigates():
    assert reasons(g.actor_is_investigator) == []
    assert reasons(g.actor_is_investigator, a=act(CO)) == []
    assert reasons(g.actor_is_investigator, a=act(CHIEF)) == ["调查取证须由本案承办人或协办人办理"]


def test_an_officer_without_a_valid_certificate_handles_no_case():
    assert reasons(g.actor_certified) == []
    assert reasons(g.actor_certified, a=act(STRANGER)) == [
        "您没有有效的行政执法证件，不能办理案件（《行政处罚法》第四十二条、第五十五条）"
    ]


def test_nobody_approves_their_own_case():
    assert reasons(g.not_own_work, a=act(CHIEF)) == []
    for who in (HANDLER, CO):
        assert reasons(g.not_own_work, a=act(who)) == ["承办人、协办人不能审核或审批本人承办的案件"]


def test_the_legal_reviewer_is_independent_and_qualified():
    assert reasons(g.legal_reviewer_independent, a=act(CHIEF)) == []
    assert reasons(g.legal_reviewer_independent, a=act(CO)) == [
        "法制审核人员不能是本案的承办人或协办人",
        "初次从事法制审核的人员须取得国家统一法律职业资格（《行政处罚法》第五十八条）",
    ]
    assert reasons(
        g.legal_reviewer_independent, facts(qualified_reviewers=frozenset({CO})), act(CO)
    ) == ["法制审核人员不能是本案的承办人或协办人"]


def test_an_opinion_and_a_reason_are_not_blank():
    assert reasons(g.opinion_given, a=act(opinion="同意")) == []
    assert reasons(g.opinion_given, a=act(opinion="  ")) == ["请填写审核（审批）意见"]
    assert reasons(g.opinion_given) == ["请填写审核（审批）意见"]
    assert reasons(g.reason_given, a=act(reason="理由")) == []
    assert reasons(g.reason_given, a=act(reason=" ")) == ["请填写理由"]
    assert reasons(g.reason_given) == ["请填写理由"]


def test_a_case_closes_with_no_measure_and_no_preservation_open():
    assert reasons(g.measures_settled) == []
    assert reasons(g.preservations_decided) == []
    f = facts(extra={"open_measures": "2", "open_preservations": 1})
    assert reasons(g.measures_settled, f) == [
        "本案尚有2项行政强制措施未解除或处理，须先依法解除或随案处理后再结案"
        "（《行政强制法》第二十七条、第二十八条）"
    ]
    assert reasons(g.preservations_decided, f) == [
        "本案尚有1项先行登记保存的证据未作出处理决定，须先作出处理决定后再结案（《行政处罚法》第五十六条）"
    ]


# --- 立案 ----------------------------------------------------------------------------------


def test_a_complete_filing_request_passes():
    assert reasons(g.filing_request_complete) == []


def test_a_filing_request_names_every_gap():
    assert reasons(
        g.filing_request_complete, facts(matter=None, co_handler_id=None, parties=(), act_on=None)
    ) == [
        "请选择权责事项（违法行为及处罚依据）",
        "请指定协办人（执法人员不得少于两人，《行政处罚法》第四十二条）",
        "请至少登记一名当事人",
        "请填写违法行为发生日期（追责时效自该日起算，《行政处罚法》第三十六条）",
    ]
    stale = dataclasses.replace(MATTER, in_force_on_act=False)
    assert reasons(g.filing_request_complete, facts(matter=stale, co_handler_id=HANDLER)) == [
        "所选权责事项在违法行为发生时不在有效期内（《行政处罚法》第三十七条）",
        "协办人不能与承办人为同一人",
    ]
    assert reasons(g.filing_request_complete, facts(co_handler_id=STRANGER)) == [
        "协办人没有有效的行政执法证件"
    ]


def test_the_time_bar_counts_two_years_from_the_end_of_the_act():
    last = facts(act_on=dt.date(2023, 1, 1), discovered_on=dt.date(2025, 1, 1))
    assert reasons(g.within_time_bar, last) == []
    after = facts(act_on=dt.date(2023, 1, 1), discovered_on=dt.date(2025, 1, 2))
    assert reasons(g.within_time_bar, after) == [
        "违法行为发现时已超过2年追责时效，不再给予行政处罚（《行政处罚法》第三十六条）"
    ]
    continuing = dataclasses.replace(after, extra={"act_ended_on": dt.date(2023, 1, 2)})
    assert reasons(g.within_time_bar, continuing) == []


def test_the_time_bar_is_five_years_for_a_matter_that_says_so_when_the_harm_is_recorded():
    five = dataclasses.replace(MATTER, time_bar_years=5)
    harm = {"harmful_consequences": True}
    on = facts(matter=five, act_on=dt.date(2020, 1, 1), discovered_on=dt.date(2025, 1, 1))
    assert reasons(g.within_time_bar, dataclasses.replace(on, extra=harm)) == []
    after = dataclasses.replace(on, discovered_on=dt.date(2025, 1, 2), extra=harm)
    assert reasons(g.within_time_bar, after) == [
        "违法行为发现时已超过5年追责时效，不再给予行政处罚（《行政处罚法》第三十六条）"
    ]


ART_36_NO_HARM = (
    "违法行为发现时已超过2年追责时效，不再给予行政处罚（《行政处罚法》第三十六条）"
    "；涉及公民生命健康安全、金融安全且有危害后果的为五年，本案未记录危害后果"
)


def test_a_five_year_matter_without_recorded_harm_keeps_the_two_year_bar():
    """Art. 36 extends the bar only where the act had harmful consequences: the matter's flag
    alone is not enough."""
    five = dataclasses.replace(MATTER, time_bar_years=5)
    last = facts(matter=five, act_on=dt.date(2023, 1, 1), discovered_on=dt.date(2025, 1, 1))
    assert reasons(g.within_time_bar, last) == []
    after = dataclasses.replace(last, discovered_on=dt.date(2025, 1, 2))
    assert reasons(g.within_time_bar, after) == [ART_36_NO_HARM]
    no_harm = dataclasses.replace(after, extra={"harmful_consequences": False})
    assert reasons(g.within_time_bar, no_harm) == [ART_36_NO_HARM]


def test_the_harm_entered_at_this_step_counts_over_the_one_on_the_case():
    five = dataclasses.replace(MATTER, time_bar_years=5)
    f = facts(
        matter=five,
        act_on=dt.date(2022, 1, 1),
        discovered_on=dt.date(2025, 1, 1),
        extra={"harmful_consequences": True},
    )
    assert reasons(g.within_time_bar, f, act(harmful_consequences=False)) == [ART_36_NO_HARM]
    unrecorded = dataclasses.replace(f, extra={})
    assert reasons(g.within_time_bar, unrecorded, act(harmful_consequences=True)) == []
    assert reasons(g.within_time_bar, f, act(harmful_consequences=1)) == []


def test_harm_does_not_lengthen_a_two_year_matter():
    harm = {"harmful_consequences": True}
    after = facts(act_on=dt.date(2023, 1, 1), discovered_on=dt.date(2025, 1, 2), extra=harm)
    assert reasons(g.within_time_bar, after) == [
        "违法行为发现时已超过2年追责时效，不再给予行政处罚（《行政处罚法》第三十六条）"
    ]


def test_the_time_bar_waits_for_the_matter_and_both_dates():
    old = dict(act_on=dt.date(2000, 1, 1), discovered_on=dt.date(2025, 1, 1))
    assert reasons(g.within_time_bar, facts(matter=None, **old)) == []
    assert reasons(g.within_time_bar, facts(act_on=None, discovered_on=dt.date(2025, 1, 1))) == []
    assert reasons(g.within_time_bar, facts(act_on=dt.date(2000, 1, 1), discovered_on=None)) == []


# --- 调查 ----------------------------------------------------------------------------------


def test_two_certified_officers_investigate_and_sign_every_record():
    both = {"officers": [HANDLER, CO]}
    assert reasons(g.two_officers, a=act(records=[both])) == []
    assert reasons(g.two_officers, facts(co_handler_id=None)) == [
        "调查取证时执法人员不得少于两人（《行政处罚法》第四十二条）"
    ]
    assert reasons(g.two_officers, facts(co_handler_id=HANDLER)) == [
        "调查取证时执法人员不得少于两人（《行政处罚法》第四十二条）"
    ]
    assert reasons(g.two_officers, facts(certified=frozenset({HANDLER}))) == [
        "参与调查的两名执法人员均须持有有效执法证件（《行政处罚法》第四十二条）"
    ]
    assert reasons(g.two_officers, a=act(records=[both, {"officers": [HANDLER]}, {}])) == [
        "第2份笔录须由承办人、协办人两名执法人员共同参与并签名",
        "第3份笔录须由承办人、协办人两名执法人员共同参与并签名",
    ]


def test_an_investigation_ends_with_evidence_and_a_record():
    assert reasons(g.evidence_present, a=act(records=[{}])) == []
    assert reasons(g.evidence_present, facts(evidence_count=0)) == [
        "尚未登记任何证据，不能结束调查取证",
        "请至少录入一份询问笔录或现场检查（勘验）笔录",
    ]
    assert g.evidence_present.__dict__["__needs__"] == frozenset({"evidence"})


def _proposal(**kw: Any) -> dict[str, Any]:
    base = {"party": 1, "outcome": "penalty", "penalties": [{"type": "fine", "amount": "500"}]}
    base.update(kw)
    return base


def test_a_proposal_inside_the_band_passes():
    assert reasons(g.proposals_valid, a=act(facts="事实", proposals=[_proposal()])) == []
    no = _proposal(outcome="no_penalty", penalties=[])
    assert reasons(g.proposals_valid, a=act(facts="事实", proposals=[no])) == []


def test_proposals_name_every_gap():
    two = facts(parties=(party(), party(index=2, name="乙")))
    assert reasons(
        g.proposals_valid, two, act(facts=" ", proposals=[_proposal(), _proposal(party=7)])
    ) == [
        "请填写调查认定的违法事实",
        "请为当事人“乙”提出处理意见",
        "处理意见中包含不存在的当事人",
    ]
    assert reasons(g.proposals_valid, a=act(facts="f", proposals=[_proposal(outcome="x")])) == [
        "当事人“甲公司”的处理意见“x”无效"
    ]
    transfer = _proposal(outcome="transfer")
    assert reasons(g.proposals_valid, a=act(facts="f", proposals=[transfer])) == [
        "当事人“甲公司”拟不予处罚或移送，不应列出处罚种类"
    ]
    assert reasons(g.proposals_valid, a=act(facts="f")) == ["请为当事人“甲公司”提出处理意见"]


def pie(
    proposal: Any, f: CaseFacts | None = None, age: int | None = None, name: str = "甲"
) -> list[str]:
    return list(g.penalty_items_errors(f or facts(), name, "person", age, proposal))


def test_penalty_items_are_checked_against_the_law_and_the_matter():
    assert pie(_proposal()) == []
    assert pie(_proposal(penalties=[])) == ["当事人“甲”拟处罚，但未列出处罚种类"]
    assert pie({"penalties": [{"type": "nope"}]}) == [
        "当事人“甲”：第1项处罚种类“nope”不是《行政处罚法》第九条规定的种类",
        "当事人“甲”：至少应当有一项处罚种类",
    ]
    assert pie(_proposal(penalties=[{"type": "fine"}])) == ["当事人“甲”：罚款应当填写金额"]
    assert pie(_proposal(circumstance="bad")) == ["当事人“甲”：裁量情节“bad”无效"]
    assert pie(_proposal(penalties=[{"type": "close"}])) == [
        "当事人“甲”：权责事项M1的处罚依据不包含“责令关闭”"
    ]
    assert pie(_proposal(penalties=[{"type": "fine", "amount": "1001"}])) == [
        "当事人“甲”：罚款金额1001.00元超出法定幅度（100.00–1000.00元）"
    ]
    assert pie(_proposal(penalties=[{"type": "fine", "amount": "1000"}])) == []
    assert pie(_proposal(penalties=[{"type": "fine", "amount": "1001"}]), facts(matter=None)) == []
    no_band = dataclasses.replace(MATTER, legal_band=None)
    assert (
        pie(_proposal(penalties=[{"type": "fine", "amount": "1001"}]), facts(matter=no_band)) == []
    )
    assert pie(_proposal(penalties=[{"type": "warning"}, {"type": "fine", "amount": "1001"}])) == [
        "当事人“甲”：罚款金额1001.00元超出法定幅度（100.00–1000.00元）"
    ]


def test_a_fine_on_a_matter_without_a_band_is_held_to_the_platform_ceiling_on_its_last_cent():
    ceiling = dataclasses.replace(MATTER, legal_band=None, unbanded_ceiling=Decimal("100000000"))
    at = _proposal(penalties=[{"type": "fine", "amount": "100000000.00"}])
    assert pie(at, facts(matter=ceiling)) == []
    above = _proposal(penalties=[{"type": "fine", "amount": "100000000.01"}])
    assert pie(above, facts(matter=ceiling)) == [
        "当事人“甲”：罚款100000000.01元超过本平台对未载明法定幅度的权责事项M1所设的上限"
        "100000000.00元；请核对金额，或由系统管理员在权责清单中载明该事项的法定罚款幅度"
    ]
    warning = _proposal(penalties=[{"type": "warning"}])
    assert pie(warning, facts(matter=ceiling)) == []
    # A matter with a band is held to its band, whatever the ceiling says.
    banded = dataclasses.replace(MATTER, unbanded_ceiling=Decimal("10"))
    assert pie(_proposal(), facts(matter=banded)) == []
    # The ceiling is of 罚款: gains confiscated above it are no fine to hold to it.
    gains = dataclasses.replace(ceiling, allowed=ceiling.allowed | {PenaltyType.CONFISCATE_GAINS})
    big = _proposal(penalties=[{"type": "confiscate_gains", "amount": "200000000"}])
    assert pie(big, facts(matter=gains)) == []


def test_minors_are_not_punished_under_fourteen_and_more_lightly_until_eighteen():
    assert pie(_proposal(), age=13) == [
        "当事人“甲”违法时不满十四周岁，不予行政处罚（《行政处罚法》第三十条）"
    ]
    lighter = (
        "当事人“甲”违法时已满十四周岁不满十八周岁，应当从轻或者减轻处罚（《行政处罚法》第三十条）"
    )
    assert pie(_proposal(), age=14) == [lighter]
    assert pie(_proposal(), age=17) == [lighter]
    assert pie(_proposal(circumstance="lighter"), age=17) == []
    below = [{"type": "fine", "amount": "50"}]
    assert pie(_proposal(circumstance="mitigated", penalties=below), age=17) == []
    assert pie(_proposal(), age=18) == []


# --- 审核 ----------------------------------------------------------------------------------


def test_a_complex_or_major_case_needs_a_collective_discussion():
    held = {"held_on": "2025-03-01", "participants": ["a"], "conclusion": "同意"}
    need = (
        "本案为重大复杂案件，须经行政机关负责人集体讨论决定，请录入集体讨论记录"
        "（日期、参加人员、结论）（《行政处罚法》第五十七条）"
    )
    assert reasons(g.collective_discussion_when_complex) == []
    assert reasons(g.collective_discussion_when_complex, facts(complex=True)) == [need]
    major = facts(matter=dataclasses.replace(MATTER, major=True))
    assert reasons(g.collective_discussion_when_complex, major) == [need]
    assert (
        reasons(g.collective_discussion_when_complex, major, act(collective_discussion=held)) == []
    )
    for key in held:
        partial = {k: v for k, v in held.items() if k != key}
        assert reasons(
            g.collective_discussion_when_complex, major, act(collective_discussion=partial)
        ) == [need]
    assert reasons(g.collective_discussion_when_complex, facts(complex=True, matter=None)) == [need]


# --- 告知 ----------------------------------------------------------------------------------


NOTIFIED = ((PenaltyType.FINE, Decimal("500")),)


def test_dates_are_read_from_dates_and_iso_strings():
    assert g._date(dt.date(2025, 1, 2)) == dt.date(2025, 1, 2)
    assert g._date("2025-01-02") == dt.date(2025, 1, 2)
    assert g._date("soon") is None
    assert g._date(None) is None


def test_responses_are_required_while_the_window_is_open_and_then_may_lapse():
    notified = facts(parties=(party(notified=NOTIFIED),), response_window_end=TODAY)
    assert reasons(g.responses_complete, notified) == [
        f"当事人“甲公司”的陈述申辩、听证申请期限至{TODAY}届满，期限届满前须录入其陈述申辩或放弃声明"
    ]
    assert reasons(
        g.responses_complete, notified, act(responses=[{"party": 1, "kind": "none"}])
    ) == ["当事人“甲公司”的答复期限尚未届满，不能记为逾期未答复"]
    closed = dataclasses.replace(notified, response_window_end=TODAY - dt.timedelta(days=1))
    assert reasons(g.responses_complete, closed) == []
    assert (
        reasons(g.responses_complete, closed, act(responses=[{"party": 1, "kind": "none"}])) == []
    )
    unknown = dataclasses.replace(notified, response_window_end=None)
    assert reasons(g.responses_complete, unknown) == []
    assert reasons(g.responses_complete, facts(response_window_end=TODAY)) == []
    assert g.responses_complete.__dict__["__needs__"] == frozenset({"limits"})


def test_a_response_has_a_known_kind_and_a_statement_its_content():
    notified = facts(parties=(party(notified=NOTIFIED),), response_window_end=TODAY)
    assert reasons(g.responses_complete, notified, act(responses=[{"party": 1, "kind": "x"}])) == [
        "当事人“甲公司”的答复类型“x”无效"
    ]
    statement = {"party": 1, "kind": "statement", "statement": " "}
    assert reasons(g.responses_complete, notified, act(responses=[statement])) == [
        "请录入当事人“甲公司”陈述申辩的内容"
    ]
    statement["statement"] = "无异议"
    assert reasons(g.responses_complete, notified, act(responses=[statement])) == []
    waiver = {"party": 1, "kind": "waiver"}
    assert reasons(g.responses_complete, notified, act(responses=[waiver])) == []


HEARING = {
    "requested_on": "2025-03-03",
    "notified_on": "2025-03-04",
    "held_on": "2025-03-10",
    "chair": CHIEF,
    "record": "笔录",
}
HEARING_FACTS = {
    "hearing_request_end": dt.date(2025, 3, 3),
    "hearing_earliest": {"2025-03-04": dt.date(2025, 3, 10)},
}


def hearing(f: CaseFacts | None = None, **h: Any) -> list[str]:
    data = {**HEARING, **h}
    right = party(notified=NOTIFIED, hearing_right=True)
    f = f or facts(parties=(right,), extra=HEARING_FACTS)
    return list(
        g.responses_complete(f, act(responses=[{"party": 1, "kind": "hearing", "hearing": data}]))
    )


def test_a_hearing_requested_in_time_and_held_seven_days_after_notice_passes():
    assert hearing() == []


def test_a_hearing_is_only_for_penalties_that_give_the_right():
    f = facts(parties=(party(notified=NOTIFIED),), extra=HEARING_FACTS)
    assert hearing(f) == ["当事人“甲公司”拟受处罚不属于《行政处罚法》第六十三条规定的听证范围"]


def test_a_hearing_needs_its_three_dates():
    need = "请录入当事人“甲公司”听证的申请日期、通知日期和举行日期"
    for key in ("requested_on", "notified_on", "held_on"):
        assert hearing(**{key: None}) == [need]


def test_a_hearing_request_after_the_fifth_day_is_late():
    assert hearing(requested_on="2025-03-04") == [
        "当事人“甲公司”于2025-03-04申请听证，已超过告知后五日的申请期限（2025-03-03）（《行政处罚法》第六十四条）"
    ]


def test_a_hearing_comes_seven_days_after_its_notice_and_not_in_the_future():
    assert hearing(held_on="2025-03-09") == [
        "听证通知于2025-03-04送达，举行听证应在七日后（不早于2025-03-10）（《行政处罚法》第六十四条）"
    ]
    assert hearing(held_on="2025-03-11") == ["听证尚未举行，不能录入听证结果"]


def test_a_hearing_has_an_independent_chair_and_a_record():
    assert hearing(chair=CO) == ["听证主持人不能由本案调查人员担任（《行政处罚法》第六十四条）"]
    assert hearing(chair=HANDLER, record=" ") == [
        "听证主持人不能由本案调查人员担任（《行政处罚法》第六十四条）",
        "请录入听证笔录要点",
    ]


def test_a_hearing_without_window_facts_is_only_checked_for_the_rest():
    f = facts(parties=(party(notified=NOTIFIED, hearing_right=True),))
    assert hearing(f, requested_on="2025-03-09", held_on="2025-03-05") == []


# --- 处罚决定 ------------------------------------------------------------------------------


def test_the_decision_limit_runs_to_its_last_day_then_needs_an_extension_reason():
    assert reasons(g.within_decision_limit, facts(decision_due=TODAY)) == []
    late = facts(decision_due=TODAY - dt.timedelta(days=1))
    assert reasons(g.within_decision_limit, late) == [
        "已超过作出处罚决定的期限（2025-03-09，《行政处罚法》第六十条），如依法延长须填写延期理由及依据"
    ]
    assert reasons(g.within_decision_limit, late, act(extension_reason=" ")) != []
    assert reasons(g.within_decision_limit, late, act(extension_reason="经负责人批准延长")) == []
    assert reasons(g.within_decision_limit) == []


def _decision(**kw: Any) -> dict[str, Any]:
    base = {
        "party": 1,
        "outcome": "penalty",
        "penalties": [{"type": "fine", "amount": "500"}],
        "performance": "十五日内缴纳",
        "facts": "事实",
        "basis": "依据",
    }
    base.update(kw)
    return base


PROPOSED = {"outcome": "penalty"}


def decide(*decisions: Any, p: PartyFacts | None = None) -> list[str]:
    p = p or party(notified=NOTIFIED, proposal=PROPOSED)
    return reasons(g.decisions_valid, facts(parties=(p,)), act(decisions=list(decisions)))


def test_a_complete_penalty_decision_as_notified_passes():
    assert decide(_decision()) == []


def test_a_decision_is_made_for_every_party_with_a_known_outcome():
    assert decide() == ["请为当事人“甲公司”制作决定书"]
    assert decide(_decision(outcome="x")) == ["当事人“甲公司”的决定类型“x”无效"]


def test_no_penalty_without_notice():
    assert decide(_decision(), p=party(proposal=PROPOSED)) == [
        "未向当事人“甲公司”告知拟作出的行政处罚，不得作出处罚决定（《行政处罚法》第四十四条、第六十二条）"
    ]


def test_a_penalty_decision_is_valid_not_heavier_and_complete():
    assert decide(_decision(penalties=[{"type": "fine", "amount": "600"}], performance=" ")) == [
        "当事人“甲公司”：决定的罚款金额600.00元高于事先告知的500.00元（行政处罚法第四十五条第二款）",
        "请填写当事人“甲公司”履行方式和期限（《行政处罚法》第五十九条）",
    ]
    assert decide(_decision(penalties=[{"type": "nope"}], facts="", basis=" ")) == [
        "当事人“甲公司”：第1项处罚种类“nope”不是《行政处罚法》第九条规定的种类",
        "当事人“甲公司”：至少应当有一项处罚种类",
        "决定书缺少“违法事实和证据”（《行政处罚法》第五十九条）",
        "决定书缺少“处罚依据”（《行政处罚法》第五十九条）",
    ]


def test_turning_a_proposed_penalty_into_none_needs_a_reason():
    no = _decision(outcome="no_penalty", penalties=[], facts="", basis="")
    assert decide(no) == ["当事人“甲公司”改为不予处罚，请填写理由"]
    assert decide({**no, "reason": "情节轻微"}) == []
    assert decide(no, p=party(proposal={"outcome": "no_penalty"})) == []
    assert decide(no, p=party()) == []


def test_a_decision_names_the_party_address():
    assert decide(_decision(), p=party(notified=NOTIFIED, proposal=PROPOSED, address=" ")) == [
        "当事人“甲公司”缺少住址（《行政处罚法》第五十九条）"
    ]


DECIDED = {"outcome": "penalty", "decided_on": "2025-03-05"}


def deliver(*deliveries: Any, p: PartyFacts | None = None) -> list[str]:
    p = p or party(decision=DECIDED)
    return reasons(g.deliveries_valid, facts(parties=(p,)), act(deliveries=list(deliveries)))


def test_a_delivery_between_the_decision_and_today_passes():
    assert deliver({"party": 1, "method": "direct", "delivered_on": "2025-03-05"}) == []
    assert deliver({"party": 1, "method": "direct", "delivered_on": "2025-03-10"}) == []
    assert g.deliveries_valid.__dict__["__needs__"] == frozenset({"decisions"})


def test_delivery_errors():
    assert deliver() == ["请录入当事人“甲公司”决定书的送达情况"]
    assert deliver({"party": 1, "method": "pigeon"}) == ["送达方式“pigeon”无效", "请填写送达日期"]
    assert deliver({"party": 1, "method": "electronic", "delivered_on": "2025-03-05"}) == [
        "电子送达须经当事人同意并签订确认书（《行政处罚法》第六十一条）"
    ]
    assert (
        deliver({"party": 1, "method": "electronic", "consent": True, "delivered_on": "2025-03-05"})
        == []
    )
    assert deliver(
        {"party": 1, "method": "left", "witness": " ", "delivered_on": "2025-03-05"}
    ) == ["留置送达须注明见证人"]
    assert (
        deliver({"party": 1, "method": "left", "witness": "张三", "delivered_on": "2025-03-05"})
        == []
    )
    assert deliver({"party": 1, "method": "post", "delivered_on": "2025-03-04"}) == [
        "送达日期2025-03-04早于决定日期2025-03-05"
    ]
    assert deliver({"party": 1, "method": "post", "delivered_on": "2025-03-11"}) == [
        "送达日期不能晚于今天"
    ]
    undated = party(decision={"outcome": "penalty"})
    assert deliver({"party": 1, "method": "post", "delivered_on": "2025-03-01"}, p=undated) == []
    assert deliver({"party": 1, "method": "post", "delivered_on": "2025-03-11"}, p=undated) == [
        "送达日期不能晚于今天"
    ]


FINED = {
    "outcome": "penalty",
    "penalties": [
        {"type": "fine", "amount": "500"},
        {"type": "confiscate_gains", "amount": "100"},
        {"type": "warning"},
    ],
    "payment_due": "2025-03-01",
}


def execute(*executions: Any, decision: Any = FINED, terms: Any = None) -> list[str]:
    p = party(decision=decision)
    extra = {"payment_terms": {1: terms}} if terms is not None else {}
    f = facts(parties=(p,), extra=extra)
    return reasons(g.executions_valid, f, act(executions=list(executions)))


def test_paying_the_fine_and_the_gains_on_the_last_day_passes():
    assert execute({"party": 1, "kind": "paid", "paid_on": "2025-03-01", "amount": "600"}) == []
    assert g.executions_valid.__dict__["__needs__"] == frozenset({"decisions"})


def test_paying_a_day_late_adds_three_percent_a_day_of_the_fine_alone():
    # 500 fine + 100 gains, one day late: 3 % of the 500 fine (15.00), not of the 600 owed.
    late = {"party": 1, "kind": "paid", "paid_on": "2025-03-02", "amount": "600"}
    assert execute(late) == [
        "当事人“甲公司”应缴615.00元（罚没款600元、加处罚款15.00元，《行政处罚法》第七十二条），实缴600元"
    ]
    assert execute({**late, "amount": "615"}) == []
    assert execute({**late, "amount": "618"}) != []


def test_the_days_of_a_review_recorded_on_the_case_are_not_charged():
    # 第七十三条第三款: a 复议 pending on 2025-03-02 alone leaves nothing to charge for that day.
    late = {"party": 1, "kind": "paid", "paid_on": "2025-03-02", "amount": "600"}
    pause = {"pauses": [(dt.date(2025, 3, 2), dt.date(2025, 3, 2))]}
    assert execute(late, terms=pause) == []
    still = {"pauses": [(dt.date(2025, 3, 3), None)]}  # filed after the payment: no effect
    assert execute(late, terms=still) != []


def test_an_approved_deferral_moves_the_due_date_of_the_fine():
    # 第六十六条: the whole 500 fine deferred to 2025-03-10, paid 03-05 with the gains: nothing
    # late; with the setting that keeps what ran before the approval (03-03), two days are charged.
    paid = {"party": 1, "kind": "paid", "paid_on": "2025-03-05", "amount": "600"}
    plan = {
        "schedule": [(dt.date(2025, 3, 10), Decimal("500"), None)],
        "approved_on": dt.date(2025, 3, 3),
        "moves_due": True,
    }
    assert execute(paid, terms=plan) == []
    kept = execute(paid, terms={**plan, "moves_due": False})
    assert kept == [
        "当事人“甲公司”应缴630.00元（罚没款600元、加处罚款30.00元，《行政处罚法》第七十二条），实缴600元"
    ]


def test_gains_alone_owed_late_carry_no_surcharge():
    gains = {"outcome": "penalty", "penalties": [{"type": "confiscate_gains", "amount": "100"}]}
    late = {"party": 1, "kind": "paid", "paid_on": "2025-03-20", "amount": "100"}
    assert execute(late, decision={**gains, "payment_due": "2025-03-01"}) == []


def test_execution_errors():
    assert execute() == ["请录入当事人“甲公司”的执行情况"]
    assert execute({"party": 1, "kind": "x"}) == ["执行方式“x”无效"]
    assert execute({"party": 1, "kind": "paid"}) == ["请填写缴款日期"]
    assert execute({"party": 1, "kind": "paid", "paid_on": "2025-03-01", "amount": "abc"}) == [
        "缴款金额无效"
    ]
    assert execute({"party": 1, "kind": "court"}) == ["请填写申请人民法院强制执行的日期"]
    assert execute({"party": 1, "kind": "court", "applied_on": "2025-03-05"}) == []
    assert execute({"party": 1, "kind": "performed"}) == []


def test_only_penalty_decisions_are_executed_and_without_a_due_date_no_surcharge():
    assert execute(decision={"outcome": "no_penalty"}) == []
    assert reasons(g.executions_valid, facts(), act()) == []
    undue = {**FINED, "payment_due": None}
    paid = {"party": 1, "kind": "paid", "paid_on": "2025-03-09", "amount": "600"}
    assert execute(paid, decision=undue) == []
    warned = {"outcome": "penalty", "penalties": [{"type": "warning"}], "payment_due": "2025-03-01"}
    assert execute({**paid, "amount": "0"}, decision=warned) == []


# --- second pass: missing keys, several parties, exact sets ---------------------------------------


def test_missing_text_fields_are_blank_not_the_word_none():
    assert reasons(g.proposals_valid, a=act(proposals=[_proposal()])) == [
        "请填写调查认定的违法事实"
    ]
    assert decide({"party": 1, "outcome": "penalty"}) == [
        "当事人“甲公司”：至少应当有一项处罚种类",
        "请填写当事人“甲公司”履行方式和期限（《行政处罚法》第五十九条）",
        "决定书缺少“违法事实和证据”（《行政处罚法》第五十九条）",
        "决定书缺少“处罚依据”（《行政处罚法》第五十九条）",
    ]
    assert reasons(g.decisions_valid, facts(parties=(party(notified=NOTIFIED),)), act()) == [
        "请为当事人“甲公司”制作决定书"
    ]
    assert pie({"circumstance": "ordinary"}) == ["当事人“甲”拟处罚，但未列出处罚种类"]
    no_record = {k: v for k, v in HEARING.items() if k != "record"}
    right_party = party(notified=NOTIFIED, hearing_right=True)
    f = facts(parties=(right_party,), extra=HEARING_FACTS)
    response = {"party": 1, "kind": "hearing", "hearing": no_record}
    assert list(g.responses_complete(f, act(responses=[response]))) == ["请录入听证笔录要点"]


def test_an_entry_without_a_party_belongs_to_none():
    assert decide({k: v for k, v in _decision().items() if k != "party"}) == [
        "请为当事人“甲公司”制作决定书"
    ]
    unnamed = {k: v for k, v in _proposal().items() if k != "party"}
    assert reasons(g.proposals_valid, a=act(facts="f", proposals=[unnamed])) == [
        "请为当事人“甲公司”提出处理意见",
        "处理意见中包含不存在的当事人",
    ]


TWO = (party(notified=NOTIFIED, proposal=PROPOSED), party(index=2, name="乙", notified=NOTIFIED))


def test_every_party_is_checked_after_one_is_refused():
    second = _decision(party=2, performance=" ")
    f = facts(parties=TWO)
    assert reasons(g.decisions_valid, f, act(decisions=[second])) == [
        "请为当事人“甲公司”制作决定书",
        "请填写当事人“乙”履行方式和期限（《行政处罚法》第五十九条）",
    ]
    assert reasons(g.decisions_valid, f, act(decisions=[_decision(outcome="x"), second])) == [
        "当事人“甲公司”的决定类型“x”无效",
        "请填写当事人“乙”履行方式和期限（《行政处罚法》第五十九条）",
    ]
    unnotified = (party(proposal=PROPOSED), TWO[1])
    assert reasons(
        g.decisions_valid, facts(parties=unnotified), act(decisions=[_decision(), second])
    ) == [
        "未向当事人“甲公司”告知拟作出的行政处罚，不得作出处罚决定（《行政处罚法》第四十四条、第六十二条）",
        "请填写当事人“乙”履行方式和期限（《行政处罚法》第五十九条）",
    ]
    late = _proposal(party=2, penalties=[{"type": "fine", "amount": "1001"}])
    assert reasons(g.proposals_valid, f, act(facts="f", proposals=[late])) == [
        "请为当事人“甲公司”提出处理意见",
        "当事人“乙”：罚款金额1001.00元超出法定幅度（100.00–1000.00元）",
    ]
    assert reasons(
        g.proposals_valid, f, act(facts="f", proposals=[_proposal(outcome="x"), late])
    ) == [
        "当事人“甲公司”的处理意见“x”无效",
        "当事人“乙”：罚款金额1001.00元超出法定幅度（100.00–1000.00元）",
    ]


def test_a_minor_party_of_a_proposal_is_checked_by_age():
    minor = facts(parties=(party(kind="person", name="小明", age=13),))
    assert reasons(g.proposals_valid, minor, act(facts="f", proposals=[_proposal()])) == [
        "当事人“小明”违法时不满十四周岁，不予行政处罚（《行政处罚法》第三十条）"
    ]


def test_a_fine_stays_inside_the_catalogue_band_of_its_circumstance():
    banded = dataclasses.replace(MATTER, bands={"ordinary": Band(Decimal("200"), Decimal("500"))})
    assert pie(_proposal(penalties=[{"type": "fine", "amount": "600"}]), facts(matter=banded)) == [
        "当事人“甲”：罚款金额600.00元超出裁量基准（一般情节：200.00–500.00元）"
    ]


def test_two_officers_holding_exactly_the_certificates_needed_investigate():
    exact = facts(certified=frozenset({HANDLER, CO}))
    assert reasons(g.two_officers, exact) == []


# --- 一事不再罚 (行政处罚法第二十九条, issue 15 item 9) -------------------------------------------


def _decisions(*ds: dict[str, Any]) -> Act:
    return act(decisions=list(ds))


FINE_500 = {"party": 1, "outcome": "penalty", "penalties": [{"type": "fine", "amount": "500"}]}
EARLIER = facts(
    parties=(party(), party(index=2, name="乙公司")),
    extra={"earlier_fines": {1: ["处罚决定书甲罚〔2025〕1号"]}},
)


def test_a_second_fine_for_the_same_act_is_refused_by_article_29():
    assert reasons(g.no_second_fine, EARLIER, _decisions(FINE_500)) == [
        "当事人“甲公司”的同一违法行为已在处罚决定书甲罚〔2025〕1号中被处以罚款，"
        "不得再次给予罚款（《行政处罚法》第二十九条）"
    ]


def test_no_fine_another_type_or_another_party_is_not_a_second_fine():
    warning = {**FINE_500, "penalties": [{"type": "warning"}]}
    assert reasons(g.no_second_fine, EARLIER, _decisions(warning)) == []
    assert (
        reasons(g.no_second_fine, EARLIER, _decisions({**FINE_500, "outcome": "no_penalty"})) == []
    )
    assert reasons(g.no_second_fine, EARLIER, _decisions({**FINE_500, "party": 2})) == []
    assert reasons(g.no_second_fine, facts(), _decisions(FINE_500)) == []
    assert reasons(g.no_second_fine, EARLIER, act()) == []


def test_every_party_fined_twice_is_named():
    both = facts(
        parties=(party(), party(index=2, name="乙公司")),
        extra={"earlier_fines": {1: ["A号"], 2: ["B号", "C号"]}},
    )
    got = reasons(g.no_second_fine, both, _decisions(FINE_500, {**FINE_500, "party": 2}))
    assert [r.split("的同一")[0] for r in got] == ["当事人“甲公司”", "当事人“乙公司”"]
    assert "已在B号、C号中" in got[1]


def test_a_decision_without_its_party_or_its_penalties_is_nobodys_second_fine():
    no_party = {k: v for k, v in FINE_500.items() if k != "party"}
    assert reasons(g.no_second_fine, EARLIER, _decisions(no_party)) == []
    no_items = {k: v for k, v in FINE_500.items() if k != "penalties"}
    assert reasons(g.no_second_fine, EARLIER, _decisions(no_items)) == []


def test_a_review_that_ended_before_the_payment_leaves_the_days_after_it_charged():
    # Pending on 03-02 only; paid 03-03: the 3rd is charged (15.00), the 2nd is not.
    paid = {"party": 1, "kind": "paid", "paid_on": "2025-03-03", "amount": "600"}
    ended = {"pauses": [(dt.date(2025, 3, 2), dt.date(2025, 3, 2))]}
    assert execute(paid, terms=ended) == [
        "当事人“甲公司”应缴615.00元（罚没款600元、加处罚款15.00元，《行政处罚法》第七十二条），实缴600元"
    ]


def test_an_instalment_paid_late_before_step_17_is_charged_to_its_own_payment_day():
    # Two instalments of 250: the first due 03-05 paid 03-06 (7.50), the second due 03-20 paid
    # with the rest at step 17 on 03-21 (7.50): 15.00 in all.
    paid = {"party": 1, "kind": "paid", "paid_on": "2025-03-21", "amount": "615"}
    plan = {
        "schedule": [
            (dt.date(2025, 3, 5), Decimal("250"), dt.date(2025, 3, 6)),
            (dt.date(2025, 3, 20), Decimal("250"), None),
        ],
        "approved_on": dt.date(2025, 3, 1),
        "moves_due": True,
    }
    assert execute(paid, terms=plan) == []


def test_a_deferral_moves_the_due_date_unless_the_setting_says_otherwise():
    paid = {"party": 1, "kind": "paid", "paid_on": "2025-03-05", "amount": "600"}
    plan = {"schedule": [(dt.date(2025, 3, 10), Decimal("500"), None)], "approved_on": TODAY}
    plan["approved_on"] = dt.date(2025, 3, 3)
    assert execute(paid, terms=plan) == []  # moves_due not given: the default, True
