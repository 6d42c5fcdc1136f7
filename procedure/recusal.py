"""回避 (行政处罚法第四十三条) as a step table. Pure.

An officer of the case who has a direct interest in it, or another relation that may affect fair
enforcement, declares it (自行回避), or the party applies (当事人申请); the agency head
(行政机关负责人, here the 分管局长) decides. A granted recusal names another certified officer of
the unit, not already on the case, who takes the officer's place. The investigation does not stop
meanwhile (para. 3).

Each step is the action of that name; the service says where the application stands in
`CaseFacts.extra["at"]` (the step it waits at, or END once decided) and supplies: officer_id
(the officer the application names, 0 when not an officer of the case), pending (that officer
already has an undecided application), replacement_id and replacement_roles (the officer named
to take over). `CaseFacts.certified` holds the replacement when certified today.
"""

from __future__ import annotations

from collections.abc import Iterator

from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition, on_field
from procedure.roles import Role

ARTICLE = "《行政处罚法》第四十三条"

# Who records a party's application (or declares their own recusal): the unit's officers and
# the section chief. Who decides: the agency head.
RECORDERS = frozenset({Role.HANDLER, Role.CO_HANDLER, Role.SECTION_CHIEF})
DECIDERS = frozenset({Role.DEPUTY_DIRECTOR})
OFFICERS = frozenset({Role.HANDLER, Role.CO_HANDLER})
SOURCES = {"party": "当事人申请回避", "self": "执法人员自行回避"}
MAX_REASON = 500


def officer_of_the_case(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not facts.extra.get("officer_id"):
        yield "只能对本案的承办人或协办人申请回避"
    elif facts.extra.get("pending"):
        yield "该执法人员已有待决定的回避申请"


on_field("officer")(officer_of_the_case)


def source_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Para. 1: the party applies; para. 2: the officer declares it, and only the officer."""
    source = act.data.get("source")
    if source not in SOURCES:
        yield "提出方式应为当事人申请或自行回避"
    elif source == "self" and facts.extra.get("officer_id") != act.actor_id:
        yield "自行回避应由该执法人员本人提出"


on_field("source")(source_valid)


def grounds_stated(facts: CaseFacts, act: Act) -> Iterator[str]:
    reason = str(act.data.get("reason", "")).strip()
    if not reason:
        yield "请填写理由：与案件有直接利害关系或者有其他关系可能影响公正执法的情形"
    elif len(reason) > MAX_REASON:
        yield f"理由不能超过{MAX_REASON}字"


on_field("reason")(grounds_stated)


def application_found(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not facts.extra.get("found"):
        yield "本案没有该回避申请"


def undecided(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra.get("at") != facts.step:
        yield "该回避申请已经作出决定"


on_field("form")(undecided)


def not_own_recusal(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra.get("officer_id") == act.actor_id:
        yield "负责人本人的回避不能由其自己决定"


on_field("form")(not_own_recusal)


def decision_reason_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    reason = str(act.data.get("reason", "")).strip()
    if not reason:
        yield "请填写决定理由"
    elif len(reason) > MAX_REASON:
        yield f"决定理由不能超过{MAX_REASON}字"


on_field("reason")(decision_reason_given)


def replacement_fit(facts: CaseFacts, act: Act) -> Iterator[str]:
    """An officer of the unit, not already on the case, holding a valid 执法证 (Art. 42).
    `replacement_named`: a replacement was named but is no active user of the case's unit."""
    replacement = facts.extra.get("replacement_id")
    if replacement is None and facts.extra.get("replacement_named"):
        yield "接替人员不是本单位在职的执法人员"
    elif replacement is None:
        yield "决定回避的，请指定本单位的执法人员接替"
    elif replacement in {facts.handler_id, facts.co_handler_id}:
        yield "接替人员不能是本案现有的执法人员"
    elif not (facts.extra.get("replacement_roles", frozenset()) & OFFICERS):
        yield "接替人员应为承办人或协办人"
    elif replacement not in facts.certified:
        yield "接替人员没有有效的行政执法证件（《行政处罚法》第四十二条）"


on_field("replacement")(replacement_fit)


def no_replacement(facts: CaseFacts, act: Act) -> Iterator[str]:
    if act.data.get("replacement"):
        yield "不予回避的，不指定接替人员"


on_field("replacement")(no_replacement)


RECUSAL = Procedure(
    code="recusal",
    name="回避",
    first="recusal_request",
    steps=(
        Step(
            "recusal_request",
            "回避申请",
            "申请",
            RECORDERS,
            (Transition("submit", "报请负责人决定", "recusal_decide"),),
            guards=(officer_of_the_case, source_valid, grounds_stated),
            refusal="只有本单位的承办人、协办人或业务科长可以登记回避申请",
        ),
        Step(
            "recusal_decide",
            "回避决定",
            "决定",
            DECIDERS,
            (
                Transition("grant", "决定回避", END, "granted", guards=(replacement_fit,)),
                Transition("refuse", "不予回避", END, "refused", guards=(no_replacement,)),
            ),
            guards=(undecided, not_own_recusal, decision_reason_given),
            refusal=f"回避由行政机关负责人决定（{ARTICLE}第二款）",
            requires=(application_found,),
        ),
    ),
)
