"""证据先行登记保存 (行政处罚法第五十六条) as a step table. Pure.

Where evidence may be lost or later hard to obtain, an officer of the case asks; the agency head
(行政机关负责人, here the 分管局长) approves; the two officers of the case, each holding a valid
执法证 (Art. 42), register and keep it; a decision on it follows within 7 working days (Art. 56,
counted as Art. 85 says). A late decision is still recorded: its limit stays overdue.

Each step is the action of that name. The officers are those of the case: the service gives the
actor 承办人 or 协办人 only for their part on this case. It says where the record stands in
`CaseFacts.extra["at"]` (the step it waits at, or END) and supplies: case_open, approved_on and
certificates (the valid 执法证 the case's officers hold on the day it is kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition, on_field
from procedure.roles import Role

ARTICLE = "《行政处罚法》第五十六条"
OFFICERS = frozenset({Role.HANDLER, Role.CO_HANDLER})
HEAD = frozenset({Role.DEPUTY_DIRECTOR})
DISPOSITIONS = {
    "release": "解除先行登记保存，退还当事人",
    "seize": "依法采取查封、扣押措施",
    "confiscate": "依法没收（在行政处罚决定中作出）",
    "transfer": "移送有关机关处理",
}
MAX_NOTE = 500
OFFICERS_ONLY = "只有本案的承办人或协办人可以办理先行登记保存"


def case_open(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Evidence is kept to investigate a case on file (立案后的调查取证)."""
    if not facts.extra.get("case_open"):
        yield "先行登记保存用于立案后的调查取证"


def items_listed(facts: CaseFacts, act: Act) -> Iterator[str]:
    items = act.data.get("items") or []
    for i, row in enumerate(items, start=1):
        if not row.get("name") or not row.get("quantity"):
            yield f"第{i}项物品应写明名称和数量"
    if not items:
        yield "请列明先行登记保存的物品"


on_field("items")(items_listed)


def risk_stated(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not str(act.data.get("reason", "")).strip():
        yield "请写明证据可能灭失或者以后难以取得的情形"


on_field("reason")(risk_stated)


def awaiting_approval(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra.get("at") != "preservation_approve":
        yield "该先行登记保存已经审批"


def opinion_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not str(act.data.get("opinion", "")).strip():
        yield "请填写审批意见"


on_field("opinion")(opinion_given)


def approved(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 56: 经行政机关负责人批准 comes before the evidence is kept."""
    if facts.extra.get("at") != "preservation_carry_out":
        yield "先行登记保存须经负责人批准后实施"


def day_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    on: dt.date = act.data["on"]
    approved_on: dt.date | None = facts.extra.get("approved_on")
    if on > facts.today:
        yield "登记保存日期不能晚于今天"
    elif approved_on is not None and on < approved_on:
        yield f"登记保存日期不能早于批准日期{approved_on.isoformat()}"


on_field("on")(day_valid)


def two_certified_officers(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 42: two officers or more, each holding a valid 执法证. `certificates` counts the
    valid certificates the case's officers hold on the day, as the service always has."""
    officers = {facts.handler_id, facts.co_handler_id} - {None}
    if len(officers) < 2 or facts.extra.get("certificates", 0) < 2:
        yield "应当由两名以上持有效执法证件的执法人员实施（《行政处罚法》第四十二条）"


on_field("form")(two_certified_officers)


def in_force(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra.get("at") != "preservation_decide":
        yield "只能对登记保存中的证据作出处理决定"


def disposition_chosen(facts: CaseFacts, act: Act) -> Iterator[str]:
    if act.data.get("disposition") not in DISPOSITIONS:
        yield "请选择处理决定"


on_field("disposition")(disposition_chosen)


def note_short(facts: CaseFacts, act: Act) -> Iterator[str]:
    if len(str(act.data.get("note", "")).strip()) > MAX_NOTE:
        yield f"处理说明不能超过{MAX_NOTE}字"


on_field("note")(note_short)


PRESERVATION = Procedure(
    code="preservation",
    name="证据先行登记保存",
    first="preservation_request",
    steps=(
        Step(
            "preservation_request",
            "申请",
            "申请",
            OFFICERS,
            (Transition("submit", "报请负责人批准", "preservation_approve"),),
            guards=(items_listed, risk_stated),
            refusal=OFFICERS_ONLY,
            requires=(case_open,),
        ),
        Step(
            "preservation_approve",
            "审批",
            "审批",
            HEAD,
            (
                Transition("approve", "批准", "preservation_carry_out"),
                Transition("refuse", "不予批准", END, "refused"),
            ),
            guards=(opinion_given,),
            refusal=f"先行登记保存须经行政机关负责人批准（{ARTICLE}）",
            requires=(awaiting_approval,),
        ),
        Step(
            "preservation_carry_out",
            "登记保存",
            "实施",
            OFFICERS,
            (Transition("carry_out", "登记保存", "preservation_decide"),),
            guards=(day_valid, two_certified_officers),
            refusal=OFFICERS_ONLY,
            requires=(approved,),
            starts=("evidence_preservation_decision",),
        ),
        Step(
            "preservation_decide",
            "处理决定",
            "决定",
            OFFICERS,
            (Transition("decide", "作出处理决定", END, "decided"),),
            guards=(disposition_chosen, note_short),
            refusal=OFFICERS_ONLY,
            requires=(in_force,),
            stops=("evidence_preservation_decision",),
        ),
    ),
)
