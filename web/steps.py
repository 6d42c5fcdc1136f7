"""What a step form shows: its starting values and the choices it offers, per step."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.template.loader import select_template

from cases.models import Case, Party
from cases.selectors import Submitted, pending_submissions
from catalog.models import Matter
from law.limits import PAYMENT
from law.penalties import PENALTY_LABELS
from orgs.models import User
from procedure import procedure_of_step
from procedure.engine import END, Step
from procedure.roles import Role
from procedure.vocab import (
    CIRCUMSTANCE_LABELS,
    SELF_ENFORCEMENT_TYPES,
    Circumstance,
    DecisionOutcome,
    DeliveryMethod,
    ExecutionKind,
    ProposalOutcome,
    RecordKind,
    ResponseKind,
    SimpleExecuteKind,
)
from zhifa import clock

PARTY_STEPS = {
    "investigation_report": "proposals",
    "notice_response": "responses",
    "decision_issue": "decisions",
    "delivery": "deliveries",
    "execution": "executions",
}
ENFORCEMENT_TYPES = [("", "—"), *((t.value, t.label) for t in SELF_ENFORCEMENT_TYPES)]


def current_step(case: Case) -> Step | None:
    if case.step == END:
        return None
    return procedure_of_step(case.step).step(case.step)


def template_for(step: Step) -> str:
    return select_template([f"web/steps/{step.code}.html", "web/steps/approval.html"]).template.name


def penalty_choices(matter: Matter | None) -> list[tuple[str, str]]:
    allowed = set(matter.penalty_types) if matter else None
    return [(t.value, label) for t, label in PENALTY_LABELS.items() if not allowed or t in allowed]


def _penalties(raw: Any) -> list[dict[str, str]]:
    rows = [
        {"type": str(p.get("type", "")), "amount": "" if p.get("amount") is None else p["amount"]}
        for p in raw or []
        if isinstance(p, dict)
    ]
    return rows or [{"type": "fine", "amount": ""}]


def defaults(case: Case, step: Step) -> dict[str, Any]:
    """The payload a form starts from: what the case already knows, today's dates."""
    today = clock.today().isoformat()
    parties = list(case.parties.all())
    code = step.code
    online = pending_submissions(case) if code == "notice_response" else []
    if code == "filing_request":
        return {
            "matter_code": case.matter.code if case.matter else "",
            "act_on": case.act_on.isoformat() if case.act_on else "",
        }
    if code == "investigation":
        both = [str(case.handler_id), str(case.co_handler_id or "")]
        return {
            "records": [
                {
                    "kind": RecordKind.INSPECTION.value,
                    "title": "现场检查笔录",
                    "place": case.place,
                    "officers": both,
                },
                {
                    "kind": RecordKind.INQUIRY.value,
                    "title": "询问笔录",
                    "place": "",
                    "officers": both,
                },
            ]
        }
    if code == "investigation_report":
        return {
            "facts": case.facts,
            "basis": case.matter.basis if case.matter else "",
            "proposals": [
                {
                    "party": p.index,
                    "outcome": (p.proposal or {}).get("outcome", ProposalOutcome.PENALTY.value),
                    "circumstance": (p.proposal or {}).get("circumstance", Circumstance.NONE.value),
                    "reason": (p.proposal or {}).get("reason", ""),
                    "penalties": _penalties((p.proposal or {}).get("penalties")),
                }
                for p in parties
            ],
        }
    if code == "notice_issue":
        return {"served_on": today}
    if code == "notice_response":
        return {"responses": [_response_start(p, online) for p in parties]}
    if code == "decision_issue":
        return {
            "decisions": [
                {
                    "party": p.index,
                    "outcome": DecisionOutcome.PENALTY.value
                    if (p.proposal or {}).get("outcome") == ProposalOutcome.PENALTY
                    else DecisionOutcome.NO_PENALTY.value,
                    "penalties": _penalties(p.notified or (p.proposal or {}).get("penalties")),
                    "facts": case.facts,
                    "basis": case.matter.basis if case.matter else "",
                    "performance": f"自收到本决定书之日起{PAYMENT.duration_label}内缴至指定银行",
                }
                for p in parties
            ]
        }
    if code == "delivery":
        return {
            "deliveries": [
                {"party": p.index, "method": DeliveryMethod.DIRECT.value, "delivered_on": today}
                for p in parties
            ]
        }
    if code == "execution":
        rows = []
        for p in parties:
            decision = getattr(p, "decision", None)
            if decision is None or decision.outcome != DecisionOutcome.PENALTY:
                continue
            rows.append(
                {
                    "party": p.index,
                    "kind": ExecutionKind.PAID.value,
                    "paid_on": today,
                    "amount": str(decision.total_amount) if decision.total_amount else "",
                }
            )
        return {"executions": rows}
    if code == "simple_decide":
        return {
            "facts": case.clue,
            "basis": case.matter.basis if case.matter else "",
            "place": case.place,
            "penalties": [{"type": "warning", "amount": ""}],
            "delivered_on_spot": "true",
        }
    if code == "simple_execute":
        return {"kind": SimpleExecuteKind.BANK.value, "paid_on": today}
    return {}


def _response_start(party: Party, online: list[Submitted]) -> dict[str, Any]:
    """Step 12's row for a party: what it submitted online since the notice (a hearing request
    with its day, its statements with theirs), else a statement to type."""
    mine = [s for s in online if s.party == party.index]
    hearing = next((s for s in mine if s.hearing), None)
    said = [s for s in mine if s.statement]
    row: dict[str, Any] = {"party": party.index, "kind": ResponseKind.STATEMENT.value}
    if said:
        row["statement"] = "\n".join(
            f"（{s.on.isoformat() if s.on else ''}在线提交，{s.submitter}）{s.statement}"
            for s in said
        )
    if hearing is not None:
        row["kind"] = ResponseKind.HEARING.value
        row["hearing"] = {"requested_on": hearing.on.isoformat() if hearing.on else ""}
    return row


def parties_for(case: Case, step: Step) -> list[Party]:
    parties = list(case.parties.all().select_related("decision"))
    if step.code == "execution":
        return [
            p
            for p in parties
            if getattr(p, "decision", None) is not None
            and p.decision.outcome == DecisionOutcome.PENALTY
        ]
    return parties


def choices(case: Case, step: Step) -> dict[str, Any]:
    """The options a step's form offers."""
    unit_officers = (
        User.objects.filter(
            unit_id=case.unit_id,
            is_active=True,
            roles__role__in=[Role.HANDLER.value, Role.CO_HANDLER.value],
        )
        .distinct()
        .order_by("username")
    )
    matters = Matter.objects.filter(
        Q(implementing_units=case.unit_id) | Q(implementing_units__isnull=True)
    ).distinct()
    return {
        "co_handlers": [u for u in unit_officers if u.pk != case.handler_id],
        "investigators": [u for u in (case.handler, case.co_handler) if u is not None],
        "chairs": User.objects.filter(unit_id=case.unit_id, is_active=True)
        .exclude(pk__in=[case.handler_id, case.co_handler_id or 0])
        .order_by("username"),
        "matters": matters.order_by("code")[:500],
        "penalty_types": penalty_choices(case.matter),
        "outcomes": ProposalOutcome.choices(),
        "decision_outcomes": DecisionOutcome.choices(),
        "circumstances": [(c.value, label) for c, label in CIRCUMSTANCE_LABELS.items()],
        "response_kinds": ResponseKind.choices(),
        "online_responses": pending_submissions(case) if step.code == "notice_response" else [],
        "delivery_methods": DeliveryMethod.choices(),
        "execution_kinds": ExecutionKind.choices(),
        "enforcement_types": ENFORCEMENT_TYPES,
        "simple_execute_kinds": SimpleExecuteKind.choices(),
        "record_kinds": RecordKind.choices(),
        "party_rows": parties_for(case, step),
        "list_key": PARTY_STEPS.get(step.code, ""),
    }
