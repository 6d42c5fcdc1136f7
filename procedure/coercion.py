"""One 行政强制措施 (查封、扣押、冻结) on a case as a step table. Pure.

Ordinary path (行政强制法第十八条): 申请 → 审批 by the agency head (分管局长) → 实施 by two
certified officers with the on-site duties → in force. Emergency path (第十九条): 当场实施 first,
then 补办批准 by the head within 24 hours; not approved → lifted at once. In force: 延长 once, at
most 30 days, with the head's approval and written notice to the party (第二十五条、第三十二条);
then 解除 (第二十八条、第三十三条) or 处理 with the case (第二十七条, e.g. 没收 in the decision).
The time seized items spend in 检测、检验、检疫或者技术鉴定 is not counted (第二十五条第三款).

Facts the service supplies in `CaseFacts.extra`: type, now, today, report_due_at, due_on,
extended, proposer_id. `CaseFacts.certified` holds the certified officers among those named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from law import coercion as rules
from procedure import guards as g
from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition
from procedure.roles import Role

OFFICER = frozenset({Role.HANDLER})
HEAD = frozenset({Role.DEPUTY_DIRECTOR})

# Art. 28 (查封、扣押) and Art. 33 (冻结): the grounds for lifting a measure.
LIFT_GROUNDS = {
    "no_violation": "当事人没有违法行为",
    "unrelated": "场所、设施、财物或者存款、汇款与违法行为无关",
    "decided": "已对违法行为作出处理决定，不再需要采取行政强制措施",
    "expired": "期限已经届满",
    "not_needed": "其他不再需要采取行政强制措施的情形",
}
# Art. 27: what becomes of the items when the case is decided.
DISPOSALS = {
    "confiscate": "依法没收",
    "destroy": "依法销毁",
    "transfer": "移送有关机关处理",
}


def _kind(facts: CaseFacts) -> rules.MeasureType:
    return rules.MeasureType(facts.extra["type"])


def application_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 24: the items listed; the reason and the legal basis stated."""
    yield from rules.item_errors(_kind(facts), act.data.get("items") or [])
    if not str(act.data.get("reason", "")).strip():
        yield "请填写采取行政强制措施的理由（《行政强制法》第十八条、第二十四条）"
    if not str(act.data.get("basis", "")).strip():
        yield "请填写采取行政强制措施的法律依据（《行政强制法》第二十四条）"


def emergency_stated(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not str(act.data.get("emergency_reason", "")).strip():
        yield "当场实施须说明情况紧急、需要当场实施的理由（《行政强制法》第十九条）"


def two_certified_officers(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 18 (2): carried out by at least two officers holding 行政执法证."""
    officers = {int(o) for o in act.data.get("officers") or []}
    if len(officers) < 2:
        yield "实施行政强制措施须由两名以上行政执法人员实施（《行政强制法》第十八条第二项）"
    elif not officers <= facts.certified:
        yield "实施行政强制措施的执法人员均须持有有效的行政执法证件（《行政强制法》第十八条第二项）"
    if act.actor_id not in officers:
        yield "办理人须是实施行政强制措施的执法人员之一"


def on_site_duties(facts: CaseFacts, act: Act) -> Iterator[str]:
    yield from rules.on_site_errors(_kind(facts), act.data)


def approved_beforehand(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 18 (1): the head's approval comes before the measure (the step table enforces it;
    this guard says so when the record is inconsistent)."""
    if not facts.extra.get("approved"):
        yield "实施前须向行政机关负责人报告并经批准（《行政强制法》第十八条第一项）"


def within_report_window(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 19: reported and approved within 24 hours of the emergency measure."""
    due = facts.extra.get("report_due_at")
    if due is not None and facts.extra["now"] > due:
        yield (
            f"当场实施后未在二十四小时内（{due:%Y-%m-%d %H:%M}前）补办批准手续，"
            "不能再补办批准，应当立即解除（《行政强制法》第十九条）"
        )


def not_extended_before(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra.get("extended"):
        yield "行政强制措施的期限只能延长一次（《行政强制法》第二十五条第一款、第三十二条第一款）"


def extension_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 25 (1)/Art. 32 (1): complex cases, at most thirty more days; asked within the period."""
    try:
        days = int(act.data.get("days", 0))
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= rules.MAX_EXTENSION_DAYS:
        yield (
            f"延长期限须为1至{rules.MAX_EXTENSION_DAYS}日（《行政强制法》第二十五条第一款、"
            "第三十二条第一款）"
        )
    if not str(act.data.get("reason", "")).strip():
        yield "请说明情况复杂、需要延长期限的理由（《行政强制法》第二十五条第一款）"
    due = facts.extra.get("due_on")
    if due is not None and facts.today > due:
        yield f"期限已于{due.isoformat()}届满，不能再延长，应当解除（《行政强制法》第二十八条）"


def notice_in_writing(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 25 (2): the extension is told to the party in writing, with the reason."""
    if not act.data.get("notice_in_writing"):
        yield "延长决定须及时书面告知当事人并说明理由（《行政强制法》第二十五条第二款）"


def lift_ground_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    if act.data.get("ground") not in LIFT_GROUNDS:
        yield "请选择解除的情形（《行政强制法》第二十八条、第三十三条）"
    if not str(act.data.get("reason", "")).strip():
        yield "请填写解除的理由"


def within_period(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 27/28 (4): decided within the period; once it has run out the measure is lifted."""
    due = facts.extra.get("due_on")
    if due is not None and facts.today > due:
        yield (
            f"期限已于{due.isoformat()}届满，应当解除（《行政强制法》第二十八条第一款第四项、"
            "第三十三条第一款第四项）"
        )


# Art. 25 (3): the kinds of examination whose time is not counted in the period.
APPRAISALS = {
    "testing": "检测",
    "inspection": "检验",
    "quarantine": "检疫",
    "appraisal": "技术鉴定",
}


def appraisal_allowed(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Art. 25 (3): 检测、检验、检疫或者技术鉴定 of seized items; its period stated and told to
    the party in writing; the time is not counted in the period."""
    if _kind(facts) is rules.MeasureType.FREEZE:
        yield (
            "冻结存款、汇款不适用检测、检验、检疫或者技术鉴定期间不计入的规定"
            "（《行政强制法》第二十五条第三款）"
        )
    if act.data.get("kind") not in APPRAISALS:
        yield "请选择检测、检验、检疫或者技术鉴定（《行政强制法》第二十五条第三款）"
    until = act.data.get("until")
    if not isinstance(until, dt.date):
        yield "请填写检测、检验、检疫或者技术鉴定的预计完成日期（期间应当明确，第二十五条第三款）"
    elif until < facts.today:
        yield "预计完成日期不能早于今天"
    if not act.data.get("notice_in_writing"):
        yield "检测、检验、检疫或者技术鉴定的期间须书面告知当事人（《行政强制法》第二十五条第三款）"


def appraisal_result_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not str(act.data.get("result", "")).strip():
        yield "请填写检测、检验、检疫或者技术鉴定的结论"


def disposal_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    if act.data.get("disposal") not in DISPOSALS:
        yield "请选择处理方式：依法没收、依法销毁或移送有关机关（《行政强制法》第二十七条）"
    if not str(act.data.get("decision_no", "")).strip():
        yield "请填写作出处理的决定书文号"


ON_SITE = (g.actor_certified, two_certified_officers, on_site_duties)

COERCION = Procedure(
    code="coercion",
    name="行政强制措施",
    first="cm_apply",
    steps=(
        Step(
            "cm_apply",
            "申请",
            "申请",
            OFFICER,
            (
                Transition("submit", "报请负责人批准", "cm_approve"),
                Transition(
                    "emergency",
                    "情况紧急，当场实施",
                    "cm_report",
                    guards=(emergency_stated, two_certified_officers, on_site_duties),
                ),
            ),
            guards=(g.actor_certified, application_complete),
        ),
        Step(
            "cm_approve",
            "审批",
            "审批",
            HEAD,
            (
                Transition("approve", "批准", "cm_carry_out", guards=(g.opinion_given,)),
                Transition("reject", "不予批准", END, "rejected", guards=(g.reason_given,)),
            ),
            guards=(g.not_own_work,),
        ),
        Step(
            "cm_carry_out",
            "实施",
            "实施",
            OFFICER,
            (
                Transition("carry_out", "实施", "cm_in_force", guards=ON_SITE),
                Transition("withdraw", "不再实施", END, "withdrawn", guards=(g.reason_given,)),
            ),
            guards=(approved_beforehand,),
        ),
        Step(
            "cm_report",
            "补办批准",
            "审批",
            HEAD,
            (
                Transition(
                    "approve",
                    "补办批准",
                    "cm_in_force",
                    guards=(within_report_window, g.opinion_given),
                ),
                Transition(
                    "reject", "不予批准，立即解除", END, "not_approved", guards=(g.reason_given,)
                ),
            ),
            guards=(g.not_own_work,),
        ),
        Step(
            "cm_in_force",
            "执行中",
            "执行",
            OFFICER,
            (
                Transition(
                    "extend",
                    "报请延长期限",
                    "cm_extend",
                    guards=(not_extended_before, extension_valid),
                ),
                Transition("lift", "解除", END, "lifted", guards=(lift_ground_given,)),
                Transition(
                    "handle", "随案处理", END, "handled", guards=(within_period, disposal_given)
                ),
                Transition(
                    "appraise",
                    "送检测、检验、检疫或者技术鉴定",
                    "cm_appraisal",
                    guards=(within_period, appraisal_allowed),
                ),
            ),
            guards=(g.actor_certified,),
        ),
        Step(
            "cm_appraisal",
            "检测鉴定中",
            "执行",
            OFFICER,
            (
                Transition(
                    "appraised",
                    "检测鉴定完成",
                    "cm_in_force",
                    guards=(appraisal_result_given,),
                ),
                Transition("lift", "解除", END, "lifted", guards=(lift_ground_given,)),
            ),
            guards=(g.actor_certified,),
        ),
        Step(
            "cm_extend",
            "延长审批",
            "审批",
            HEAD,
            (
                Transition(
                    "approve",
                    "批准延长",
                    "cm_in_force",
                    guards=(not_extended_before, extension_valid, notice_in_writing),
                ),
                Transition("reject", "不予延长", "cm_in_force", guards=(g.reason_given,)),
            ),
            guards=(g.not_own_work,),
        ),
    ),
)
