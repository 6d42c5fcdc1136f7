"""What a step form shows: its starting values and the choices it offers, per step."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.template.loader import select_template

from cases.models import Case, Party
from catalog.models import Matter
from law.penalties import PENALTY_LABELS
from orgs.models import User
from procedure import procedure_of_step
from procedure.engine import END, Step
from procedure.roles import Role
from zhifa import clock

PARTY_STEPS = {
    "investigation_report": "proposals",
    "notice_response": "responses",
    "decision_issue": "decisions",
    "delivery": "deliveries",
    "execution": "executions",
}
OUTCOMES = [
    ("penalty", "给予行政处罚"),
    ("no_penalty", "不予行政处罚（违法轻微等）"),
    ("no_penalty_facts", "违法事实不能成立，不予处罚"),
    ("transfer", "移送司法机关"),
]
CIRCUMSTANCES = [
    ("ordinary", "一般"),
    ("lighter", "从轻"),
    ("mitigated", "减轻"),
    ("heavier", "从重"),
]
RESPONSE_KINDS = [
    ("statement", "陈述申辩"),
    ("hearing", "要求听证"),
    ("waiver", "明确放弃"),
    ("none", "逾期未答复"),
]
DELIVERY_METHODS = [
    ("direct", "直接送达"),
    ("left", "留置送达"),
    ("post", "邮寄送达"),
    ("electronic", "电子送达（须当事人同意）"),
    ("public", "公告送达"),
]
EXECUTION_KINDS = [
    ("paid", "当事人已缴纳罚款"),
    ("performed", "当事人已履行（非罚款类）"),
    ("court", "申请人民法院强制执行"),
    ("coercion", "行政机关依法强制执行"),
]
ENFORCEMENT_TYPES = [
    ("", "—"),
    ("transfer_funds", "划拨存款、汇款"),
    ("auction", "拍卖、依法处理查封扣押的场所设施财物"),
    ("restore", "排除妨碍、恢复原状"),
    ("substitute", "代履行"),
    ("other", "其他"),
]
SIMPLE_EXECUTE_KINDS = [
    ("on_spot", "当场收缴"),
    ("bank", "到指定银行缴纳"),
    ("none", "无需缴款（警告）"),
]
RECORD_KINDS = [("inspection", "现场检查（勘验）笔录"), ("inquiry", "询问笔录")]


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
                    "kind": "inspection",
                    "title": "现场检查笔录",
                    "place": case.place,
                    "officers": both,
                },
                {"kind": "inquiry", "title": "询问笔录", "place": "", "officers": both},
            ]
        }
    if code == "investigation_report":
        return {
            "facts": case.facts,
            "basis": case.matter.basis if case.matter else "",
            "proposals": [
                {
                    "party": p.index,
                    "outcome": (p.proposal or {}).get("outcome", "penalty"),
                    "circumstance": (p.proposal or {}).get("circumstance", "ordinary"),
                    "reason": (p.proposal or {}).get("reason", ""),
                    "penalties": _penalties((p.proposal or {}).get("penalties")),
                }
                for p in parties
            ],
        }
    if code == "notice_issue":
        return {"served_on": today}
    if code == "notice_response":
        return {"responses": [{"party": p.index, "kind": "statement"} for p in parties]}
    if code == "decision_issue":
        return {
            "decisions": [
                {
                    "party": p.index,
                    "outcome": "penalty"
                    if (p.proposal or {}).get("outcome") == "penalty"
                    else "no_penalty",
                    "penalties": _penalties(p.notified or (p.proposal or {}).get("penalties")),
                    "facts": case.facts,
                    "basis": case.matter.basis if case.matter else "",
                    "performance": "自收到本决定书之日起十五日内缴至指定银行",
                }
                for p in parties
            ]
        }
    if code == "delivery":
        return {
            "deliveries": [
                {"party": p.index, "method": "direct", "delivered_on": today} for p in parties
            ]
        }
    if code == "execution":
        rows = []
        for p in parties:
            decision = getattr(p, "decision", None)
            if decision is None or decision.outcome != "penalty":
                continue
            rows.append(
                {
                    "party": p.index,
                    "kind": "paid",
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
        return {"kind": "bank", "paid_on": today}
    return {}


def parties_for(case: Case, step: Step) -> list[Party]:
    parties = list(case.parties.all().select_related("decision"))
    if step.code == "execution":
        return [
            p
            for p in parties
            if getattr(p, "decision", None) is not None and p.decision.outcome == "penalty"
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
        "outcomes": OUTCOMES,
        "circumstances": CIRCUMSTANCES,
        "response_kinds": RESPONSE_KINDS,
        "delivery_methods": DELIVERY_METHODS,
        "execution_kinds": EXECUTION_KINDS,
        "enforcement_types": ENFORCEMENT_TYPES,
        "simple_execute_kinds": SIMPLE_EXECUTE_KINDS,
        "record_kinds": RECORD_KINDS,
        "party_rows": parties_for(case, step),
        "list_key": PARTY_STEPS.get(step.code, ""),
    }
