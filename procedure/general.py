"""案源管理 + 一般程序: the 18 steps of DESIGN.md as a table. Keep the codes stable."""

from __future__ import annotations

from procedure import guards as g
from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition, needs
from procedure.roles import Role
from procedure.vocab import CaseOutcome, DecisionOutcome, ProposalOutcome

H = frozenset({Role.HANDLER})
CHIEF = frozenset({Role.SECTION_CHIEF})
HEAD = frozenset({Role.DEPUTY_DIRECTOR})
INVESTIGATORS = frozenset({Role.HANDLER, Role.CO_HANDLER})

OFFICER = (g.actor_certified, g.actor_is_handler)
APPROVER = (g.actor_certified, g.not_own_work)


def _after_penalty_approval(facts: CaseFacts, act: Act) -> str:
    """Step 10 → 告知 if any party is to be penalised, else straight to the decision."""
    outcomes = {(p.proposal or {}).get("outcome") for p in facts.parties}
    if ProposalOutcome.PENALTY in outcomes:
        return "notice_issue"
    if outcomes == {ProposalOutcome.TRANSFER}:
        return "closing_approve"
    return "decision_approve"


def _after_delivery(facts: CaseFacts, act: Act) -> str:
    if any((p.decision or {}).get("outcome") == DecisionOutcome.PENALTY for p in facts.parties):
        return "execution"
    return "closing_approve"


needs("decisions")(_after_delivery)


def _back_to_previous(facts: CaseFacts, act: Act) -> str:
    return str(facts.extra.get("previous_step") or "execution")


GENERAL = Procedure(
    code="general",
    name="一般程序",
    first="lead_register",
    steps=(
        Step(
            "lead_register",
            "案源登记",
            "案源",
            H,
            (Transition("submit", "提交", "lead_approve"),),
            guards=(g.actor_certified,),
        ),
        Step(
            "lead_approve",
            "案源处置审批",
            "案源",
            CHIEF,
            (
                Transition("file", "立案", "filing_request"),
                Transition(
                    "not_file", "不予立案", END, CaseOutcome.NOT_FILED, guards=(g.reason_given,)
                ),
                Transition("transfer", "移送", END, CaseOutcome.REFERRED, guards=(g.reason_given,)),
                Transition("simple", "转简易程序", "simple_decide"),
            ),
            guards=(*APPROVER, g.opinion_given),
        ),
        Step(
            "filing_request",
            "立案申请",
            "立案",
            H,
            (Transition("submit", "提交", "filing_review"),),
            guards=(*OFFICER, g.filing_request_complete, g.within_time_bar),
            document="filing_form",
        ),
        Step(
            "filing_review",
            "立案审核",
            "立案",
            CHIEF,
            (
                Transition("approve", "同意", "filing_approve"),
                Transition("return", "退回补充", "filing_request"),
            ),
            guards=(*APPROVER, g.opinion_given),
        ),
        Step(
            "filing_approve",
            "立案审批",
            "立案",
            HEAD,
            (
                Transition("approve", "批准立案", "investigation", guards=(g.within_time_bar,)),
                Transition("return", "退回补充", "filing_request"),
                Transition(
                    "reject", "不予立案", END, CaseOutcome.NOT_FILED, guards=(g.reason_given,)
                ),
            ),
            guards=(*APPROVER, g.opinion_given),
            starts=("decision_limit",),
        ),
        Step(
            "investigation",
            "调查取证",
            "调查",
            INVESTIGATORS,
            (Transition("submit", "调查完毕", "investigation_report"),),
            guards=(g.actor_certified, g.actor_is_investigator, g.two_officers, g.evidence_present),
            document="inquiry_record",
        ),
        Step(
            "investigation_report",
            "调查终结报告",
            "调查",
            H,
            (Transition("submit", "提交", "investigation_review"),),
            guards=(*OFFICER, g.proposals_valid),
            document="investigation_report",
        ),
        Step(
            "investigation_review",
            "调查终结审核",
            "调查",
            CHIEF,
            (
                Transition("approve", "同意", "legal_review"),
                Transition("return", "退回补充调查", "investigation"),
            ),
            guards=(*APPROVER, g.opinion_given),
        ),
        Step(
            "legal_review",
            "法制审核",
            "调查",
            frozenset({Role.LEGAL_REVIEWER}),
            (
                Transition("approve", "同意", "penalty_approve"),
                Transition("supplement", "补充调查", "investigation"),
                Transition("modify", "修改", "investigation_report"),
            ),
            guards=(g.legal_reviewer_independent, g.opinion_given),
            document="legal_review_opinion",
        ),
        Step(
            "penalty_approve",
            "拟处罚审批（集体讨论）",
            "调查",
            HEAD,
            (
                Transition(
                    "approve",
                    "同意",
                    _after_penalty_approval,
                    guards=(g.collective_discussion_when_complex,),
                ),
                Transition("return", "退回修改", "investigation_report"),
                Transition(
                    "revoke",
                    "撤销立案",
                    "closing_approve",
                    CaseOutcome.REVOKED,
                    guards=(g.reason_given,),
                ),
            ),
            guards=(*APPROVER, g.opinion_given),
        ),
        Step(
            "notice_issue",
            "事先告知",
            "告知",
            H,
            (Transition("submit", "送达告知书", "notice_response"),),
            guards=OFFICER,
            document="penalty_notice",
            starts=("hearing_request",),
        ),
        Step(
            "notice_response",
            "陈述申辩/听证",
            "告知",
            H,
            (Transition("submit", "提交", "notice_review"),),
            guards=(*OFFICER, g.responses_complete),
            document="hearing_record",
            stops=("hearing_request",),
        ),
        Step(
            "notice_review",
            "复核",
            "告知",
            CHIEF,
            (
                Transition("adopt", "采纳当事人意见", "decision_approve"),
                Transition("reject", "不予采纳", "decision_approve"),
                Transition("new_facts", "有新事实，退回调查", "investigation"),
            ),
            guards=(*APPROVER, g.opinion_given),
        ),
        Step(
            "decision_approve",
            "处罚决定审批",
            "处罚",
            HEAD,
            (
                Transition("approve", "批准", "decision_issue"),
                Transition("return", "退回复核", "notice_review"),
            ),
            guards=(*APPROVER, g.opinion_given, g.within_decision_limit),
        ),
        Step(
            "decision_issue",
            "制作决定书",
            "处罚",
            H,
            (Transition("submit", "签发", "delivery"),),
            guards=(*OFFICER, g.decisions_valid, g.no_second_fine),
            document="decision",
            stops=("decision_limit",),
            starts=("delivery",),
        ),
        Step(
            "delivery",
            "送达",
            "送达",
            H,
            (Transition("submit", "送达完毕", _after_delivery),),
            guards=(*OFFICER, g.deliveries_valid),
            document="delivery_receipt",
            stops=("delivery",),
            starts=("payment",),
        ),
        Step(
            "execution",
            "执行",
            "执行",
            H,
            (Transition("submit", "执行完毕", "closing_approve"),),
            guards=(*OFFICER, g.executions_valid),
            stops=("payment",),
        ),
        Step(
            "closing_approve",
            "结案审批",
            "结案",
            CHIEF,
            (
                Transition(
                    "approve",
                    "同意结案",
                    END,
                    guards=(g.measures_settled, g.preservations_decided),
                ),
                Transition("return", "退回", _back_to_previous),
            ),
            guards=(*APPROVER, g.opinion_given),
            document="closing_report",
        ),
    ),
)
