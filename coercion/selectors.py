"""Reads of 行政强制措施. Access goes through the case: cases.selectors.get_case_for_user."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.todo import TODO_CAP, TodoItem
from coercion.models import CoerciveMeasure, Enforcement
from law import coercion as rules
from orgs.models import User
from procedure.coercion import APPRAISALS, COERCION, DISPOSALS, LIFT_GROUNDS
from procedure.engine import END
from procedure.roles import Role
from zhifa import clock

TYPE_LABELS = {k.value: v for k, v in rules.TYPE_LABELS.items()}


def step_label(measure: CoerciveMeasure) -> str:
    if not measure.step:
        return "导入记录"
    if measure.step == END:
        return measure.get_outcome_display() or "已结束"
    return COERCION.step(measure.step).name


def next_actions(
    measure: CoerciveMeasure, user: User, case: Case, roles: frozenset[Role] | None = None
) -> list[str]:
    """The decisions this user may take on the measure now (what the page offers), in `roles`
    (the role the user works in on the page) or any of theirs."""
    if not measure.step or measure.step == END or user.unit_id != case.unit_id:
        return []
    step = COERCION.step(measure.step)
    if not ((user.role_set if roles is None else roles & user.role_set) & step.roles):
        return []
    if Role.DEPUTY_DIRECTOR in step.roles and user.pk == measure.proposed_by_id:
        return []
    return [t.decision for t in step.transitions]


def measure_row(measure: CoerciveMeasure, names: dict[int, str]) -> dict[str, Any]:
    today = clock.today()
    due = measure.due_on
    ended = measure.step == END or not measure.step
    end = measure.end_detail or {}
    return {
        "id": measure.pk,
        "type": measure.type,
        "type_label": measure.get_type_display(),
        "step": measure.step,
        "step_label": step_label(measure),
        "on_platform": measure.on_platform,
        "outcome": measure.outcome,
        "emergency": measure.emergency,
        "emergency_reason": measure.emergency_reason,
        "items": list(measure.items or []),
        "reason": measure.reason,
        "basis": measure.basis,
        "proposed_by": names.get(measure.proposed_by_id or 0, ""),
        "approved_by": names.get(measure.approved_by_id or 0, ""),
        "approved_at": measure.approved_at,
        "approval_opinion": measure.approval_opinion,
        "officers": [names.get(o, str(o)) for o in measure.officers or []],
        "on": measure.on,
        "report_due_at": measure.report_due_at,
        "due_on": due,
        "days_left": (due - today).days if due is not None and not ended else None,
        "overdue": due is not None and not ended and today > due,
        "extension": dict(measure.extension or {}),
        "extended_until": measure.extended_until,
        "appraisals": [
            {**a, "kind_label": APPRAISALS.get(str(a.get("kind")), "")}
            for a in measure.appraisals or []
        ],
        "lifted_on": measure.lifted_on,
        "ended_on": measure.ended_on,
        "end_reason": measure.end_reason,
        "end_ground": LIFT_GROUNDS.get(str(end.get("ground", "")), ""),
        "end_disposal": DISPOSALS.get(str(end.get("disposal", "")), ""),
        "decision_no": end.get("decision_no", ""),
    }


def case_measures(
    case: Case, user: User | None = None, roles: frozenset[Role] | None = None
) -> list[dict[str, Any]]:
    """The case's measures, oldest first, each with the actions `user` may take on it."""
    measures = list(CoerciveMeasure.objects.filter(case=case).order_by("id"))
    ids: set[int] = set()
    for m in measures:
        ids.update(x for x in (m.proposed_by_id, m.approved_by_id) if x)
        ids.update(int(o) for o in m.officers or [])
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    rows = []
    for m in measures:
        row = measure_row(m, names)
        row["actions"] = next_actions(m, user, case, roles) if user is not None else []
        rows.append(row)
    return rows


def open_measures_count(case: Case) -> int:
    """Measures proposed or in force: a case does not close while one is (行政强制法第二十七条、
    第二十八条); the closing step's guard reads this count (one plain statement: the ORM's
    building of it cost more than the count)."""
    from django.db import connection

    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT COUNT(*) FROM {qn(CoerciveMeasure._meta.db_table)} "
            "WHERE case_id = %s AND step NOT IN (%s, %s)",
            [case.pk, "", END],
        )
        row = cur.fetchone()
    return int(row[0]) if row else 0


def tally_rows(case_ids: Sequence[int] | None) -> Iterable[tuple[Any, ...]]:
    """The statistics summary's rows for measures carried out and enforcements (cases.counts),
    of the given cases or of all."""
    from django.db import connection

    from cases.counts import ENFORCEMENT, MEASURE, ids_filter

    where, params = ids_filter(case_ids, "x.case_id")
    on = connection.ops.quote_name("on")
    with connection.cursor() as cur:
        for table, event in (
            (CoerciveMeasure._meta.db_table, MEASURE),
            (Enforcement._meta.db_table, ENFORCEMENT),
        ):
            cur.execute(
                f"SELECT c.unit_id, x.{on}, '{event}', x.type, COUNT(*), 0"
                f" FROM {table} x JOIN cases_case c ON c.id = x.case_id"
                f" WHERE x.{on} IS NOT NULL {where} GROUP BY c.unit_id, x.{on}, x.type",
                params,
            )
            yield from cur.fetchall()


# --- 待办 ---------------------------------------------------------------------------------------

# What each step of a measure asks of the one it waits for.
TODO_ASKS = {
    "cm_approve": "审批强制措施",
    "cm_report": "补办批准（第十九条，二十四小时内）",
    "cm_extend": "审批延长期限",
    "cm_carry_out": "实施强制措施",
}


def measures_todo(user: User, role: Role) -> list[TodoItem]:
    """Measures waiting for `user` as `role`: the agency head's approvals (批准, 补办批准, 延长;
    never of a measure the head proposed) and, for the case's 承办人, an approved one to carry
    out. The limit is the 24-hour report's day, or the end of the period an extension is asked
    against."""
    if user.unit_id is None or not user.has_role(role):
        return []
    steps = [s.code for s in COERCION.steps if role in s.roles and s.code in TODO_ASKS]
    if not steps:
        return []
    qs = CoerciveMeasure.objects.filter(case__unit_id=user.unit_id, step__in=steps)
    if role == Role.DEPUTY_DIRECTOR:
        qs = qs.exclude(proposed_by=user)
    else:
        qs = qs.filter(case__handler=user)
    items = []
    for m in qs.select_related("case").order_by("id")[:TODO_CAP]:
        due = m.due_on if m.step == "cm_extend" else None
        if m.step == "cm_report" and m.report_due_at is not None:
            due = timezone.localdate(m.report_due_at)
        names = "、".join(str(i.get("name", "")) for i in (m.items or []) if isinstance(i, dict))
        items.append(
            TodoItem(
                kind="measure",
                subject=f"{m.case} · {m.get_type_display()}{('：' + names) if names else ''}",
                asked=TODO_ASKS[m.step],
                url=reverse("case-detail", args=[m.case_id]) + "?open=measures#measures",
                due=due,
                since=timezone.localdate(m.proposed_at) if m.proposed_at else None,
            )
        )
    return items
