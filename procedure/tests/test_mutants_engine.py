"""The engine (procedure/engine.py) on a small table of its own, and the guards of 行政强制措施
(procedure/coercion.py): each refusal by its exact Chinese reason, with an actor who passes every
other check. Written against the mutants mutmut left alive (scripts/mutation.sh)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from procedure import coercion as c
from procedure.engine import (
    END,
    Act,
    CaseFacts,
    Outcome,
    Procedure,
    Refused,
    Step,
    Transition,
    evaluate,
    needs,
    on_field,
)
from procedure.roles import Role
from procedure.tests.test_mutants_guards import CO, HANDLER, STRANGER, TODAY, act, facts
from procedure.vocab import DeliveryMethod


def requires_opinion(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not act.data.get("opinion"):
        yield "先写意见"


@on_field("amount")
def amount_positive(facts: CaseFacts, act: Act) -> Iterator[str]:
    if int(act.data.get("amount", 0)) <= 0:
        yield "金额须大于零"


def named(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not act.data.get("name"):
        yield "请填写名称"


def route(facts: CaseFacts, act: Act) -> str:
    return f"to_{act.actor_id}"


PROC = Procedure(
    code="t",
    name="测试",
    first="one",
    steps=(
        Step(
            "one",
            "第一步",
            "阶段",
            frozenset({Role.HANDLER, Role.CO_HANDLER}),
            (
                Transition("go", "通过", "two", guards=(named,)),
                Transition("route", "分流", route, outcome="routed"),
            ),
            guards=(amount_positive,),
            requires=(requires_opinion,),
        ),
        Step(
            "two",
            "第二步",
            "阶段",
            frozenset({Role.SECTION_CHIEF}),
            (Transition("go", "通过", END),),
            refusal="只有科长能办",
        ),
    ),
)


def doing(decision: str = "go", unit: int = 10, roles: Any = None, **data: Any) -> Act:
    base = {"opinion": "同意", "amount": 1, "name": "甲", **data}
    return Act(HANDLER, unit, roles or frozenset({Role.HANDLER}), decision, base)


def refusal(f: CaseFacts, a: Act) -> Refused:
    with pytest.raises(Refused) as caught:
        evaluate(PROC, f, a)
    return caught.value


ONE = facts(step="one")


def test_an_allowed_decision_moves_to_its_step_or_where_its_router_says():
    assert evaluate(PROC, ONE, doing()) == Outcome(
        PROC.step("one"), PROC.step("one").transitions[0], "two", None
    )
    routed = evaluate(PROC, ONE, doing("route"))
    assert routed.next_step == f"to_{HANDLER}" and routed.case_outcome == "routed"


def test_a_closed_case_takes_no_action():
    r = refusal(facts(step=END), doing())
    assert r.errors == ["案件已结案归档，不能再办理"] and str(r) == "案件已结案归档，不能再办理"


def test_an_unknown_decision_lists_the_ones_the_step_allows():
    assert refusal(ONE, doing("nope")).errors == [
        "“第一步”环节不能作出“nope”决定，可选：go（通过）、route（分流）"
    ]


def test_another_units_case_and_a_missing_role_are_refused_together():
    r = refusal(ONE, doing(unit=11, roles=frozenset({Role.SECTION_CHIEF})))
    assert r.errors == [
        "只能办理本单位的案件",
        "“第一步”须由co_handler或handler办理，当前用户不具备该角色",
    ]
    assert (
        str(r) == "只能办理本单位的案件；“第一步”须由co_handler或handler办理，当前用户不具备该角色"
    )
    assert refusal(facts(step="two"), doing()).errors == ["只有科长能办"]


def test_requirements_are_checked_before_the_guards_and_stop_there():
    assert refusal(ONE, doing(opinion="", amount=0)).errors == ["先写意见"]


def test_guard_reasons_are_gathered_and_marked_by_field():
    r = refusal(ONE, doing(amount=0, name=""))
    assert r.errors == ["金额须大于零", "请填写名称"]
    assert r.fields == {"amount": ["金额须大于零"]}
    assert Refused(["x"]).fields == {}


def test_an_unknown_step_is_a_key_error():
    with pytest.raises(KeyError):
        PROC.step("three")


def test_needs_knows_only_the_optional_facts():
    with pytest.raises(ValueError, match=r"^unknown facts: \{'weather'\}$"):
        needs("weather")
    assert needs("evidence", "limits")(named).__dict__["__needs__"] == frozenset(
        {"evidence", "limits"}
    )
    assert amount_positive.__dict__["__field__"] == "amount"


def test_a_label_of_an_unknown_value_is_the_default():
    assert DeliveryMethod.label_of("post") == "邮寄送达"
    assert DeliveryMethod.label_of("pigeon") == ""
    assert DeliveryMethod.label_of("pigeon", "未知") == "未知"


# --- 行政强制措施 -----------------------------------------------------------------------------


def cf(**extra: Any) -> CaseFacts:
    return facts(extra={"type": "seize", **extra})


ITEMS = [{"name": "电动车", "quantity": "1辆"}]


def test_an_application_lists_the_items_and_states_reason_and_basis():
    assert list(c.application_complete(cf(), act(items=ITEMS, reason="r", basis="b"))) == []
    assert list(c.application_complete(cf(), act(reason=" ", basis=""))) == [
        "请列出扣押的场所、设施或者财物清单（名称、数量）（《行政强制法》第二十四条）",
        "请填写采取行政强制措施的理由（《行政强制法》第十八条、第二十四条）",
        "请填写采取行政强制措施的法律依据（《行政强制法》第二十四条）",
    ]


def test_an_emergency_is_stated():
    assert list(c.emergency_stated(cf(), act(emergency_reason="正在转移"))) == []
    assert list(c.emergency_stated(cf(), act(emergency_reason=" "))) == [
        "当场实施须说明情况紧急、需要当场实施的理由（《行政强制法》第十九条）"
    ]


def test_two_certified_officers_carry_a_measure_out_and_the_actor_is_one_of_them():
    assert list(c.two_certified_officers(cf(), act(officers=[str(HANDLER), CO]))) == []
    assert list(c.two_certified_officers(cf(), act(officers=[HANDLER]))) == [
        "实施行政强制措施须由两名以上行政执法人员实施（《行政强制法》第十八条第二项）"
    ]
    assert list(c.two_certified_officers(cf(), act(CO, officers=[HANDLER, STRANGER]))) == [
        "实施行政强制措施的执法人员均须持有有效的行政执法证件（《行政强制法》第十八条第二项）",
        "办理人须是实施行政强制措施的执法人员之一",
    ]
    assert list(c.two_certified_officers(cf(), act())) == [
        "实施行政强制措施须由两名以上行政执法人员实施（《行政强制法》第十八条第二项）",
        "办理人须是实施行政强制措施的执法人员之一",
    ]


def test_on_site_duties_follow_the_measure_type():
    assert list(
        c.on_site_duties(
            cf(type="freeze"),
            act(
                **{
                    k: True
                    for k in (
                        "certificate_shown",
                        "told",
                        "statements_heard",
                        "record_made",
                        "party_present",
                        "party_notified",
                        "party_signed",
                    )
                }
            ),
        )
    ) == ["须向金融机构交付冻结通知书（《行政强制法》第三十条）"]


NOW = dt.datetime(2025, 3, 10, 9, 0)


def test_an_emergency_measure_is_approved_within_twenty_four_hours_to_the_minute():
    assert list(c.within_report_window(cf(now=NOW, report_due_at=NOW), act())) == []
    assert list(
        c.within_report_window(cf(now=NOW + dt.timedelta(minutes=1), report_due_at=NOW), act())
    ) == [
        "当场实施后未在二十四小时内（2025-03-10 09:00前）补办批准手续，"
        "不能再补办批准，应当立即解除（《行政强制法》第十九条）"
    ]
    assert list(c.within_report_window(cf(now=NOW), act())) == []


def test_an_extension_of_one_to_thirty_days_asked_within_the_period():
    ok = act(days="30", reason="案情复杂")
    assert list(c.extension_valid(cf(due_on=TODAY), ok)) == []
    assert list(c.extension_valid(cf(), act(days=1, reason="r"))) == []
    days = "延长期限须为1至30日（《行政强制法》第二十五条第一款、第三十二条第一款）"
    assert list(c.extension_valid(cf(), act(days=31, reason="r"))) == [days]
    assert list(c.extension_valid(cf(), act(days=0, reason="r"))) == [days]
    assert list(c.extension_valid(cf(), act(days="x", reason="r"))) == [days]
    assert list(c.extension_valid(cf(), act(days=None, reason="r"))) == [days]
    late = cf(due_on=TODAY - dt.timedelta(days=1))
    assert list(c.extension_valid(late, act(days=10, reason=" "))) == [
        "请说明情况复杂、需要延长期限的理由（《行政强制法》第二十五条第一款）",
        "期限已于2025-03-09届满，不能再延长，应当解除（《行政强制法》第二十八条）",
    ]


def test_a_measure_decided_on_the_last_day_of_its_period_is_in_time():
    assert list(c.within_period(cf(due_on=TODAY), act())) == []
    assert list(c.within_period(cf(), act())) == []
    assert list(c.within_period(cf(due_on=TODAY - dt.timedelta(days=1)), act())) == [
        "期限已于2025-03-09届满，应当解除（《行政强制法》第二十八条第一款第四项、第三十三条第一款第四项）"
    ]


def test_a_lifting_names_its_ground_and_reason():
    assert list(c.lift_ground_given(cf(), act(ground="expired", reason="到期"))) == []
    assert list(c.lift_ground_given(cf(), act(ground="bored", reason=" "))) == [
        "请选择解除的情形（《行政强制法》第二十八条、第三十三条）",
        "请填写解除的理由",
    ]


def test_an_appraisal_of_seized_items_is_named_dated_and_told_in_writing():
    good = act(kind="testing", until=TODAY, notice_in_writing=True)
    assert list(c.appraisal_allowed(cf(), good)) == []
    assert list(c.appraisal_allowed(cf(type="freeze"), act(kind="x", until="2025-03-20"))) == [
        "冻结存款、汇款不适用检测、检验、检疫或者技术鉴定期间不计入的规定（《行政强制法》第二十五条第三款）",
        "请选择检测、检验、检疫或者技术鉴定（《行政强制法》第二十五条第三款）",
        "请填写检测、检验、检疫或者技术鉴定的预计完成日期（期间应当明确，第二十五条第三款）",
        "检测、检验、检疫或者技术鉴定的期间须书面告知当事人（《行政强制法》第二十五条第三款）",
    ]
    past = act(kind="testing", until=TODAY - dt.timedelta(days=1), notice_in_writing=True)
    assert list(c.appraisal_allowed(cf(), past)) == ["预计完成日期不能早于今天"]


def test_a_disposal_with_the_case_is_one_the_law_names_with_its_decision_number():
    assert (
        list(c.disposal_given(cf(), act(disposal="confiscate", decision_no="聊城罚〔2025〕1号")))
        == []
    )
    assert list(c.disposal_given(cf(), act(disposal="sell", decision_no=" "))) == [
        "请选择处理方式：依法没收、依法销毁或移送有关机关（《行政强制法》第二十七条）",
        "请填写作出处理的决定书文号",
    ]
    assert list(c.disposal_given(cf(), act())) == [
        "请选择处理方式：依法没收、依法销毁或移送有关机关（《行政强制法》第二十七条）",
        "请填写作出处理的决定书文号",
    ]


# --- second pass ---------------------------------------------------------------------------------


def test_a_router_reads_the_facts_and_the_act():
    def by_unit(facts: CaseFacts, act: Act) -> str:
        return f"unit_{facts.unit_id}_{act.actor_id}"

    proc = Procedure(
        "r",
        "路由",
        "one",
        (
            Step(
                "one",
                "第一步",
                "阶段",
                frozenset({Role.HANDLER}),
                (Transition("go", "通过", by_unit),),
            ),
        ),
    )
    assert evaluate(proc, ONE, doing()).next_step == f"unit_10_{HANDLER}"


def test_on_field_marks_the_guard_it_decorates():
    def guard(facts: CaseFacts, act: Act) -> Iterator[str]:
        yield "x"

    assert on_field("place")(guard).__dict__["__field__"] == "place"


def test_a_case_finds_its_party_by_index_or_names_the_missing_one():
    from procedure.tests.test_mutants_guards import party

    two = facts(parties=(party(), party(index=2, name="乙")))
    assert two.party(2).name == "乙" and two.party(1).name == "甲公司"
    with pytest.raises(KeyError) as caught:
        two.party(3)
    assert caught.value.args == (3,)
    with pytest.raises(KeyError) as step:
        PROC.step("three")
    assert step.value.args == ("three",)


def test_missing_reasons_and_days_are_blank_not_none():
    assert list(c.extension_valid(cf(), act())) == [
        "延长期限须为1至30日（《行政强制法》第二十五条第一款、第三十二条第一款）",
        "请说明情况复杂、需要延长期限的理由（《行政强制法》第二十五条第一款）",
    ]
    assert list(c.lift_ground_given(cf(), act(ground="expired"))) == ["请填写解除的理由"]


def test_an_appraisal_ends_with_its_conclusion():
    assert list(c.appraisal_result_given(cf(), act(result="合格"))) == []
    need = ["请填写检测、检验、检疫或者技术鉴定的结论"]
    assert list(c.appraisal_result_given(cf(), act(result=" "))) == need
    assert list(c.appraisal_result_given(cf(), act())) == need
