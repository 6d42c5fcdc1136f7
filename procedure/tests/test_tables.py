"""The step tables are consistent: codes stable, transitions lead somewhere, limits exist."""

from __future__ import annotations

from law.limits import LIMITS_BY_CODE
from procedure import PROCEDURES, procedure_of_step
from procedure.engine import END
from procedure.general import GENERAL

DESIGN_ORDER = [
    "lead_register",
    "lead_approve",
    "filing_request",
    "filing_review",
    "filing_approve",
    "investigation",
    "investigation_report",
    "investigation_review",
    "legal_review",
    "penalty_approve",
    "notice_issue",
    "notice_response",
    "notice_review",
    "decision_approve",
    "decision_issue",
    "delivery",
    "execution",
    "closing_approve",
]


def test_the_general_procedure_has_the_eighteen_steps_of_the_design_in_order():
    assert list(GENERAL.codes) == DESIGN_ORDER
    assert {s.stage for s in GENERAL.steps} == {
        "案源",
        "立案",
        "调查",
        "告知",
        "处罚",
        "送达",
        "执行",
        "结案",
    }


def test_every_transition_leads_to_a_known_step_or_the_end():
    for proc in PROCEDURES.values():
        for step in proc.steps:
            for t in step.transitions:
                if isinstance(t.to, str) and t.to != END:
                    assert procedure_of_step(t.to), (step.code, t.to)


def test_every_time_limit_a_step_names_is_a_limit_of_the_law_package():
    for proc in PROCEDURES.values():
        for step in proc.steps:
            for code in (*step.starts, *step.stops):
                assert code in LIMITS_BY_CODE, (step.code, code)


def test_step_codes_are_unique_across_procedures():
    codes = [c for p in PROCEDURES.values() for c in p.codes]
    assert len(codes) == len(set(codes))
