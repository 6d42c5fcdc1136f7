"""强制执行 of one decision against one party, as a step table. Pure.

催告 (行政强制法第三十五条) → served (第三十八条) → 陈述、申辩 recorded → reviewed (第三十六条) →
then by one road:

- agency enforcement, only where a law grants the agency the power (第十三条; the matter's
  catalogue flag with its article) for the obligation at hand (money, an act, or both: a grant
  to demolish does not collect a fine): 强制执行决定 drafted (第三十七条), approved by the agency
  head, served (第三十八条), carried out by two certified officers at a lawful time and in a
  lawful manner (第四十三条);
- 代履行 (第五十条、第五十一条): decision, 催告 three working days before, carried out, cost
  charged; immediate 代履行 of spills, obstacles and pollutants (第五十二条) skips the 催告;
- application to the court (第五十三条至第五十八条): drafted once 10 working days have passed
  after the 催告's service and inside the window, signed by the agency head (第五十五条), accepted
  or not, ruled on;
- 执行协议 (第四十二条): stages; fulfilled ends it, breach revives the enforcement.

From any open step: the party performs (履行完毕); 中止 (第三十九条) and 恢复 to where it stood;
终结 (第四十条). A completed enforcement waits at `en_done` for an 执行回转 (第四十一条).

Facts the service supplies in `CaseFacts.extra`: calendar (law.calendar.WorkingCalendar), now,
power_scope (law.enforcement.PowerScope, "" without a grant), power_article, obligation
(law.enforcement.Obligation: what the 催告 named), holds (the obligations the decision leaves to
enforce, law.enforcement.decision_obligations), notice_term_ends, notice_served_on, window
(law.enforcement.CourtWindow or None), review_pending, resume_step, sub_served_on, immediate,
decided_on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from law import enforcement as rules
from procedure import guards as g
from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition, on_field
from procedure.roles import Role
from procedure.vocab import SELF_ENFORCEMENT_TYPES, EnforcementType

OFFICER = frozenset({Role.HANDLER})
CHIEF = frozenset({Role.SECTION_CHIEF})
HEAD = frozenset({Role.DEPUTY_DIRECTOR})
SELF_TYPES = {t.value: t.label for t in SELF_ENFORCEMENT_TYPES}
MONEY_TYPES = frozenset({EnforcementType.TRANSFER_FUNDS, EnforcementType.AUCTION})
PERFORMANCE_TYPES = frozenset({EnforcementType.RESTORE, EnforcementType.SUBSTITUTE})

OUTCOMES = {
    "performed": "当事人已履行",
    "adopted": "采纳当事人陈述申辩，不再执行",
    "rejected": "负责人不予批准强制执行",
    "ended": "终结执行",
    "enforced": "已强制执行",
    "substituted": "已代履行",
    "court_enforced": "人民法院裁定准予执行",
    "court_refused": "人民法院不予受理或裁定不予执行",
    "reversed": "已执行回转",
}


def _date(act: Act, key: str) -> dt.date | None:
    value = act.data.get(key)
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _text(act: Act, key: str) -> str:
    return str(act.data.get(key) or "").strip()


def _money(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return amount if amount.is_finite() else None


def _calendar(facts: CaseFacts) -> Any:
    return facts.extra["calendar"]


# --- 催告 ---------------------------------------------------------------------------------------


NOT_HELD = {
    rules.Obligation.MONEY: (
        "处罚决定没有尚未缴纳的罚款，不能催告履行金钱给付义务（《行政强制法》第三十五条）"
    ),
    rules.Obligation.PERFORMANCE: (
        "处罚决定没有责令当事人履行的行为义务，不能催告履行行为义务（《行政强制法》第三十五条）"
    ),
}


def notice_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第三十五条: the 催告书 names the obligation it enforces — one the decision holds
    (`holds`): money (罚款、加处罚款) or the act it orders — and states the term, the manner, for
    money the amount and how to pay, for an act what must be done, and the right to state and
    defend; the term is the agency's (no statutory minimum)."""
    term = _date(act, "term_ends")
    if term is None:
        yield "请填写催告书载明的履行期限（《行政强制法》第三十五条第一项）"
    elif term <= facts.today:
        yield "履行期限须晚于今天（《行政强制法》第三十五条第一项）"
    obligation = act.data.get("obligation")
    if obligation not in rules.OBLIGATIONS:
        yield (
            "请选择催告履行的义务：金钱给付义务（罚款、加处罚款）"
            "或者处罚决定责令的行为义务（《行政强制法》第三十五条）"
        )
    elif obligation not in facts.extra["holds"]:
        yield NOT_HELD[rules.Obligation(obligation)]
    if not _text(act, "manner"):
        yield "请填写履行义务的方式（《行政强制法》第三十五条第二项）"
    amount = _money(act.data.get("amount"))
    if obligation == rules.Obligation.MONEY and (amount is None or amount <= 0):
        yield "请填写催告缴纳的罚款、加处罚款金额（《行政强制法》第三十五条第三项）"
    if obligation == rules.Obligation.PERFORMANCE:
        if amount:
            yield (
                "催告履行行为义务的不载明金钱给付金额，罚款另行催告"
                "（《行政强制法》第三十五条第三项）"
            )
        if not _text(act, "act"):
            yield "请写明当事人应当履行的行为义务，即须完成的事项（《行政强制法》第三十五条）"
    if not act.data.get("rights_told"):
        yield "催告书须告知当事人依法享有的陈述权和申辩权（《行政强制法》第三十五条第四项）"


def served_date(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第三十八条: served; the day it was served, not after today."""
    served = _date(act, "served_on")
    if served is None:
        yield "请填写送达日期（《行政强制法》第三十八条）"
    elif served > facts.today:
        yield "送达日期不能晚于今天"
    elif facts.extra.get("decided_on") and served < facts.extra["decided_on"]:
        yield "送达日期不能早于作出日期"


def statement_recorded(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第三十六条: the party's statements are recorded (or that it made none)."""
    if not act.data.get("no_statement") and not _text(act, "statement"):
        yield "请记录当事人的陈述、申辩，或注明当事人未提出（《行政强制法》第三十六条）"


def term_passed(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第三十七条第一款: 经催告，当事人逾期仍不履行 — only after the 催告's term."""
    term = facts.extra.get("notice_term_ends")
    if term is not None and facts.today <= term:
        yield (
            f"催告书载明的履行期限至{term.isoformat()}届满，期满当事人仍不履行的方可执行"
            "（《行政强制法》第三十七条第一款）"
        )


def obligation_of(facts: CaseFacts, act: Act) -> str:
    """The obligation an act enforces: 代履行 compels an act (第五十条); a decision's way of
    enforcement names its own (第十二条); otherwise the one the 催告 named (第三十五条)."""
    kind = "substitute" if act.decision == "substitute" else act.data.get("type")
    if kind in MONEY_TYPES:
        return rules.Obligation.MONEY
    if kind in PERFORMANCE_TYPES:
        return rules.Obligation.PERFORMANCE
    return str(facts.extra["obligation"])


def own_power(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第十三条: only a law grants an agency its own enforcement power, and only for the
    obligations it names; without it, or outside it, the court."""
    yield from rules.power_errors(
        str(facts.extra.get("power_scope") or ""),
        str(facts.extra.get("power_article") or ""),
        obligation_of(facts, act),
    )


def immediate_reason(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第三十七条第三款: 催告期间，有证据证明有转移或者隐匿财物迹象的，可以立即强制执行."""
    if not _text(act, "reason"):
        yield "请记录有转移或者隐匿财物迹象的证据（《行政强制法》第三十七条第三款）"


# --- agency enforcement -----------------------------------------------------------------------


def decision_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第三十七条第二款: reasons and basis, manner and time, the 复议/诉讼 routes."""
    if not _text(act, "reason"):
        yield "请填写强制执行的理由和依据（《行政强制法》第三十七条第二款第二项）"
    if act.data.get("type") not in SELF_TYPES:
        yield "请选择强制执行的方式（《行政强制法》第十二条、第三十七条第二款第三项）"
    if not act.data.get("remedies_told"):
        yield "强制执行决定须载明申请行政复议或者提起行政诉讼的途径和期限（第三十七条第二款第四项）"


def two_certified_officers(facts: CaseFacts, act: Act) -> Iterator[str]:
    officers = {int(o) for o in act.data.get("officers") or []}
    if len(officers) < 2:
        yield "强制执行须由两名以上行政执法人员实施（《行政强制法》第十七条、第十八条第二项）"
    elif not officers <= facts.certified:
        yield "实施强制执行的执法人员均须持有有效的行政执法证件（《行政强制法》第十七条）"
    if act.actor_id not in officers:
        yield "办理人须是实施强制执行的执法人员之一"


def lawful_time(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第四十三条第一款: not at night nor on 法定节假日, unless urgent with the reason recorded."""
    at = act.data.get("carried_out_at")
    if not isinstance(at, dt.datetime):
        yield "请填写实施时间"
        return
    if at > facts.extra["now"]:
        yield "实施时间不能晚于现在"
    yield from rules.timing_errors(
        at,
        _calendar(facts),
        urgent_reason=_text(act, "urgent_reason"),
        night_from=facts.extra.get("night_from", rules.NIGHT_FROM),
        night_until=facts.extra.get("night_until", rules.NIGHT_UNTIL),
    )


def lawful_manner(facts: CaseFacts, act: Act) -> Iterator[str]:
    yield from rules.method_errors(act.data.get("methods") or [])


# --- 代履行 -------------------------------------------------------------------------------------


def substitute_decision_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第五十一条第一款第一项: 代履行决定书 states the time, manner, object, cost budget and
    the performer."""
    for key, label in (
        ("reason", "理由和依据"),
        ("manner", "方式"),
        ("object", "标的"),
        ("performer", "代履行人"),
    ):
        if not _text(act, key):
            yield f"请填写代履行的{label}（《行政强制法》第五十一条第一款第一项）"
    budget = _money(act.data.get("budget"))
    if budget is None or budget < 0:
        yield "请填写代履行费用预算（《行政强制法》第五十一条第一款第一项）"
    if _date(act, "planned_on") is None:
        yield "请填写代履行时间（《行政强制法》第五十一条第一款第一项）"


def notice_before_substitute(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第五十一条第一款第二项: 催告 three working days before (第六十九条); none needed for an
    immediate 代履行 (第五十二条)."""
    at = act.data.get("carried_out_at")
    if not isinstance(at, dt.datetime):
        return
    yield from rules.substitute_errors(
        at.date(),
        facts.extra.get("sub_served_on"),
        _calendar(facts),
        immediate=bool(facts.extra.get("immediate")),
    )


def substitute_on_site(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第五十一条第一款第三项: an officer on site; officer, performer and party or witness sign."""
    if not act.data.get("officer_present"):
        yield "代履行时作出决定的行政机关应当派员到场监督（《行政强制法》第五十一条第一款第三项）"
    if not act.data.get("signed"):
        yield "执法人员、代履行人和当事人或者见证人应当在执行文书上签名或者盖章（第五十一条）"


def immediate_allowed(facts: CaseFacts, act: Act) -> Iterator[str]:
    yield from rules.immediate_errors(_text(act, "object"), _text(act, "place"))


def cost_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第五十一条第二款: 代履行的费用按照成本合理确定，由当事人承担 — a cost to pay carries
    the term the 代履行费用缴纳通知书 gives the party (none where a law puts it on another)."""
    cost = _money(act.data.get("cost"))
    if cost is None or cost < 0:
        yield "请填写代履行费用（按照成本合理确定，《行政强制法》第五十一条第二款）"
        return
    if cost == 0:
        return
    term = _date(act, "term_ends")
    if term is None:
        yield "请填写当事人缴纳代履行费用的期限（《行政强制法》第五十一条第二款）"
    elif term <= facts.today:
        yield "代履行费用的缴纳期限须晚于今天"


# --- 申请人民法院强制执行 -----------------------------------------------------------------------


def no_review_pending(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第五十三条: only when the party did not challenge the decision in time."""
    if facts.extra.get("review_pending"):
        yield "当事人对该决定的行政复议或行政诉讼尚未结束，不能申请人民法院强制执行（第五十三条）"


def court_timing(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第五十三条 (the window) and 第五十四条 (10 working days after the 催告's service)."""
    yield from rules.court_application_errors(
        facts.today,
        facts.extra.get("notice_served_on"),
        facts.extra.get("window"),
        _calendar(facts),
    )


def materials_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第五十五条: the materials of the application."""
    if not _text(act, "court"):
        yield "请填写受理申请的人民法院（行诉解释第一百五十七条：行政机关所在地基层人民法院）"
    if not act.data.get("materials_complete"):
        yield (
            "申请材料须齐全：申请书、行政决定书及作出决定的事实理由依据、当事人的意见及催告情况、"
            "申请强制执行标的情况（《行政强制法》第五十五条）"
        )


def signed_by_head(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not act.data.get("signed"):
        yield "强制执行申请书应当由行政机关负责人签名，加盖行政机关的印章（第五十五条）"


def court_date(facts: CaseFacts, act: Act) -> Iterator[str]:
    on = _date(act, "on")
    if on is None:
        yield "请填写人民法院作出的日期"
    elif on > facts.today:
        yield "日期不能晚于今天"
    elif facts.extra.get("decided_on") and on < facts.extra["decided_on"]:
        yield "日期不能早于申请日期"


# --- 执行协议、中止、终结、回转 ------------------------------------------------------------------


def agreement_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    stages = act.data.get("stages")
    if not isinstance(stages, list) or not all(isinstance(s, rules.Instalment) for s in stages):
        yield "请填写执行协议约定的履行阶段（《行政强制法》第四十二条第一款）"
        return
    waived = _money(act.data.get("waived") or 0) or Decimal("0")
    yield from rules.agreement_errors(
        stages,
        _money(facts.extra.get("owed")) or Decimal("0"),
        facts.today,
        waived=waived,
        remedied=bool(act.data.get("remedied")),
        surcharge_due=_money(facts.extra.get("surcharge")) or Decimal("0"),
    )


def suspend_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    yield from rules.suspend_errors(_text(act, "ground"), _text(act, "reason"))


def end_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    yield from rules.end_errors(_text(act, "ground"), _text(act, "reason"))


def performed_recorded(facts: CaseFacts, act: Act) -> Iterator[str]:
    if _date(act, "on") is None:
        yield "请填写当事人履行的日期"
    elif act.data["on"] > facts.today:
        yield "履行日期不能晚于今天"


def reversal_valid(facts: CaseFacts, act: Act) -> Iterator[str]:
    """第四十一条: the decision revoked or changed, or the execution wrong; restore or return,
    else compensate."""
    if act.data.get("cause") not in rules.REVERSAL_CAUSES:
        yield "请选择执行回转的原因：行政决定被撤销、变更，或者执行错误（《行政强制法》第四十一条）"
    if act.data.get("remedy") not in rules.REVERSAL_REMEDIES:
        yield "请选择恢复原状、退还财物或者依法给予赔偿（《行政强制法》第四十一条）"
    if not _text(act, "reason"):
        yield "请写明撤销、变更据以执行的行政决定的文书或者执行错误的情况（第四十一条）"


def resume_to(facts: CaseFacts, act: Act) -> str:
    return str(facts.extra.get("resume_step") or "en_route")


# --- the table ----------------------------------------------------------------------------------

PERFORMED = Transition(
    "performed", "当事人已履行", END, "performed", guards=(on_field("on")(performed_recorded),)
)
SUSPEND = Transition("suspend", "中止执行", "en_suspended", guards=(suspend_valid,))
END_IT = Transition("end", "终结执行", END, "ended", guards=(end_valid,))
OPEN = (PERFORMED, SUSPEND, END_IT)


def _step(
    code: str,
    name: str,
    stage: str,
    roles: frozenset[Role],
    transitions: tuple[Transition, ...],
    guards: tuple[Any, ...] = (),
    open_: bool = True,
) -> Step:
    who = {HEAD: "分管局长（行政机关负责人）", CHIEF: "业务科长", OFFICER: "承办人"}[roles]
    return Step(
        code,
        name,
        stage,
        roles,
        transitions + (OPEN if open_ else ()),
        guards=guards,
        refusal=f"“{name}”须由{who}办理，当前用户不具备该角色",
    )


ENFORCEMENT = Procedure(
    code="enforcement",
    name="行政强制执行",
    first="en_notice",
    steps=(
        _step(
            "en_notice",
            "催告",
            "催告",
            OFFICER,
            (
                Transition("issue", "制作催告书", "en_notice_serve", guards=(notice_complete,)),
                Transition(
                    "immediate_substitute",
                    "立即代履行（第五十二条）",
                    "en_sub_carry_out",
                    guards=(immediate_allowed,),
                ),
            ),
            guards=(g.actor_certified,),
        ),
        _step(
            "en_notice_serve",
            "催告书送达",
            "催告",
            OFFICER,
            (Transition("serve", "已送达", "en_statement", guards=(served_date,)),),
        ),
        _step(
            "en_statement",
            "陈述申辩",
            "催告",
            OFFICER,
            (
                Transition("record", "记录陈述申辩", "en_review", guards=(statement_recorded,)),
                Transition(
                    "immediate",
                    "立即强制执行（第三十七条第三款）",
                    "en_decide",
                    guards=(own_power, immediate_reason),
                ),
            ),
        ),
        _step(
            "en_review",
            "陈述申辩复核",
            "催告",
            CHIEF,
            (
                Transition("adopt", "理由成立，予以采纳", END, "adopted", guards=(g.reason_given,)),
                Transition("reject", "理由不成立，继续执行", "en_route", guards=(g.opinion_given,)),
            ),
            guards=(g.not_own_work,),
        ),
        _step(
            "en_route",
            "选择执行途径",
            "执行",
            OFFICER,
            (
                Transition(
                    "agency", "行政机关强制执行", "en_decide", guards=(term_passed, own_power)
                ),
                Transition(
                    "substitute", "代履行", "en_sub_decide", guards=(term_passed, own_power)
                ),
                Transition(
                    "court", "申请人民法院强制执行", "en_court_apply", guards=(term_passed,)
                ),
                Transition("agreement", "达成执行协议", "en_agreement", guards=(agreement_valid,)),
            ),
            guards=(g.actor_certified,),
        ),
        _step(
            "en_decide",
            "强制执行决定",
            "执行",
            OFFICER,
            (
                Transition(
                    "draft",
                    "报请负责人批准",
                    "en_decide_approve",
                    guards=(decision_complete, own_power),
                ),
            ),
        ),
        _step(
            "en_decide_approve",
            "强制执行决定审批",
            "执行",
            HEAD,
            (
                Transition("approve", "批准", "en_decide_serve", guards=(g.opinion_given,)),
                Transition("reject", "不予批准", END, "rejected", guards=(g.reason_given,)),
            ),
            guards=(g.not_own_work,),
        ),
        _step(
            "en_decide_serve",
            "强制执行决定送达",
            "执行",
            OFFICER,
            (Transition("serve", "已送达", "en_carry_out", guards=(served_date,)),),
        ),
        _step(
            "en_carry_out",
            "实施强制执行",
            "执行",
            OFFICER,
            (
                Transition(
                    "carry_out",
                    "实施",
                    "en_done",
                    "enforced",
                    guards=(two_certified_officers, lawful_time, lawful_manner),
                ),
            ),
            guards=(g.actor_certified,),
        ),
        _step(
            "en_sub_decide",
            "代履行决定",
            "代履行",
            OFFICER,
            (
                Transition(
                    "decide",
                    "作出代履行决定",
                    "en_sub_notice",
                    guards=(substitute_decision_complete,),
                ),
            ),
        ),
        _step(
            "en_sub_notice",
            "代履行催告",
            "代履行",
            OFFICER,
            (Transition("serve", "代履行前催告已送达", "en_sub_carry_out", guards=(served_date,)),),
        ),
        _step(
            "en_sub_carry_out",
            "实施代履行",
            "代履行",
            OFFICER,
            (
                Transition(
                    "carry_out",
                    "实施代履行",
                    "en_sub_cost",
                    guards=(notice_before_substitute, lawful_time, substitute_on_site),
                ),
            ),
            guards=(g.actor_certified,),
        ),
        _step(
            "en_sub_cost",
            "代履行费用",
            "代履行",
            OFFICER,
            (
                Transition(
                    "charge", "确定代履行费用", "en_done", "substituted", guards=(cost_given,)
                ),
            ),
            open_=False,
        ),
        _step(
            "en_court_apply",
            "申请人民法院强制执行",
            "申请法院",
            OFFICER,
            (
                Transition(
                    "draft",
                    "报请负责人签发",
                    "en_court_sign",
                    guards=(no_review_pending, court_timing, materials_complete),
                ),
            ),
            guards=(g.actor_certified,),
        ),
        _step(
            "en_court_sign",
            "负责人签发申请",
            "申请法院",
            HEAD,
            (
                Transition(
                    "sign",
                    "签名并加盖印章",
                    "en_court_accept",
                    guards=(no_review_pending, court_timing, signed_by_head),
                ),
                Transition("reject", "不予签发", "en_route", guards=(g.reason_given,)),
            ),
            guards=(g.not_own_work,),
        ),
        _step(
            "en_court_accept",
            "法院受理",
            "申请法院",
            OFFICER,
            (
                Transition("accepted", "已受理", "en_court_ruling", guards=(court_date,)),
                Transition("not_accepted", "不予受理", END, "court_refused", guards=(court_date,)),
            ),
        ),
        _step(
            "en_court_ruling",
            "法院裁定",
            "申请法院",
            OFFICER,
            (
                Transition(
                    "granted", "裁定准予执行", "en_done", "court_enforced", guards=(court_date,)
                ),
                Transition("refused", "裁定不予执行", END, "court_refused", guards=(court_date,)),
            ),
            open_=False,
        ),
        _step(
            "en_agreement",
            "执行协议履行中",
            "执行协议",
            OFFICER,
            (
                Transition(
                    "fulfilled", "协议已履行", END, "performed", guards=(performed_recorded,)
                ),
                Transition(
                    "breach", "当事人不履行协议，恢复强制执行", "en_route", guards=(g.reason_given,)
                ),
            ),
            open_=False,
        ),
        _step(
            "en_suspended",
            "中止执行",
            "中止",
            OFFICER,
            (
                Transition("resume", "恢复执行", resume_to, guards=(g.reason_given,)),
                END_IT,
            ),
            open_=False,
        ),
        _step(
            "en_done",
            "执行完毕",
            "完毕",
            OFFICER,
            (Transition("reverse", "执行回转", END, "reversed", guards=(reversal_valid,)),),
            open_=False,
        ),
    ),
)
