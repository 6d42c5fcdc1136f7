"""What the case page's module sections show (复议诉讼, 回避, 先行登记保存, 行政强制措施): each
section's rows, the forms the user may fill, and what waits for them there (the fold opens)."""

from __future__ import annotations

from typing import Any

from cases import selectors as case_selectors
from cases.models import Case, Preservation
from cases.services.recusals import RECUSAL_DECIDERS, RECUSAL_RECORDERS
from cases.services.reviews import REVIEW_KIND_LABELS, REVIEW_ROLES
from coercion import selectors as coercion_selectors
from law.reviews import Kind, endings_of
from orgs.models import User
from orgs.selectors import valid_certificates
from procedure.coercion import APPRAISALS, DISPOSALS, LIFT_GROUNDS
from procedure.roles import Role
from zhifa import clock

# --- 复议诉讼 on the case page ---------------------------------------------------------------

# The form a POST came from — ("file", party, "") or ("conclude", party, kind) — with what was
# posted and the Chinese errors by field ("form" for those of no field).
ReviewPosted = tuple[tuple[str, int, str], dict[str, Any], dict[str, list[str]]]
REVIEW_ENDINGS = {k.value: [(e.code, e.label) for e in endings_of(k)] for k in Kind}


def _acts_for_unit(case: Case, user: User, role: Role | None) -> bool:
    """Whether the page offers the case's own-unit forms: a platform case of the user's unit, the
    active role one the user holds (the services check again, and say why not)."""
    return (
        not case.imported
        and case.unit_id == user.unit_id
        and role is not None
        and user.has_role(role)
    )


def _review_context(
    case: Case, user: User, role: Role | None, posted: ReviewPosted | None
) -> dict[str, Any]:
    """Each decision's reviews, and the forms to file and conclude them for those who may."""
    rows = case_selectors.case_reviews(case)
    can = _acts_for_unit(case, user, role) and role in REVIEW_ROLES
    today = clock.today().isoformat()
    key, data, errors = posted if posted else (("", -1, ""), {}, {})
    shown = False
    for d in rows:
        filed = {r["kind"] for r in d["reviews"]}
        d["open_kinds"] = [(k, label) for k, label in REVIEW_KIND_LABELS.items() if k not in filed]
        d["form"] = {"data": {"filed_on": today}, "errors": {}}
        if can and d["open_kinds"] and key == ("file", d["party"], ""):
            d["form"], shown = {"data": data, "errors": errors}, True
        for r in d["reviews"]:
            r["form"] = {"data": {"decided_on": today}, "errors": {}}
            if can and not r["concluded"] and key == ("conclude", d["party"], r["kind"]):
                r["form"], shown = {"data": data, "errors": errors}, True
    return {
        "reviews": rows,
        # Reviews still running whose result the user records (登记结果).
        "reviews_count": sum(len(d["reviews"]) for d in rows),
        "reviews_waiting": sum(1 for d in rows for r in d["reviews"] if not r["concluded"])
        if can
        else 0,
        "can_review": can,
        "review_endings": REVIEW_ENDINGS,
        # Errors of a form the page does not show (a decision or review that is not there).
        "review_problems": [] if shown else [m for ms in errors.values() for m in ms],
    }


# The 回避 form a POST came from — ("request", 0) or ("decide", recusal id) — with what was
# posted and the Chinese errors by field.
RecusalPosted = tuple[tuple[str, int], dict[str, Any], dict[str, list[str]]]


def _recusal_context(
    case: Case, user: User, role: Role | None, posted: RecusalPosted | None
) -> dict[str, Any]:
    """The case's 回避 and, for those who may, the forms to record one and to decide it."""
    rows = case_selectors.case_recusals(case)
    mine = _acts_for_unit(case, user, role) and case.status != Case.Status.CLOSED
    can_request = mine and role in RECUSAL_RECORDERS
    can_decide = mine and role in RECUSAL_DECIDERS
    key, data, errors = posted if posted else (("", -1), {}, {})
    shown = False
    request_form: dict[str, Any] = {"data": {}, "errors": {}}
    if can_request and key == ("request", 0):
        request_form, shown = {"data": data, "errors": errors}, True
    for r in rows:
        r["form"] = {"data": {}, "errors": {}}
        if can_decide and not r["decided"] and key == ("decide", r["id"]):
            r["form"], shown = {"data": data, "errors": errors}, True
    on_case = {case.handler_id, case.co_handler_id}
    candidates = (
        User.objects.filter(
            unit_id=case.unit_id,
            is_active=True,
            roles__role__in=[Role.HANDLER, Role.CO_HANDLER],
        )
        .exclude(pk__in=[pk for pk in on_case if pk])
        .distinct()
        .order_by("username")
        if can_decide
        else User.objects.none()
    )
    return {
        "recusals": rows,
        # Applications waiting for this user's decision (never their own recusal).
        "recusals_waiting": sum(
            1 for r in rows if can_decide and not r["decided"] and r["officer"] != user.username
        ),
        "can_request_recusal": can_request,
        "can_decide_recusal": can_decide,
        "recusal_form": request_form,
        "recusal_officers": [(u.username, str(u)) for u in (case.handler, case.co_handler) if u],
        "recusal_candidates": [(u.username, str(u)) for u in candidates],
        "recusal_problems": [] if shown else [m for ms in errors.values() for m in ms],
    }


# The 先行登记保存 form a POST came from — ("request", 0) or (action, preservation id).
PreservationPosted = tuple[tuple[str, int], dict[str, Any], dict[str, list[str]]]
# What each status lets whom do next: (action, role that acts, button).
PRESERVATION_NEXT = {
    "requested": ("approve", "head", "审批"),
    "approved": ("carry-out", "officer", "实施登记保存"),
    "in_force": ("decide", "officer", "作出处理决定"),
}


def _preservation_context(
    case: Case, user: User, role: Role | None, posted: PreservationPosted | None
) -> dict[str, Any]:
    """The case's 证据先行登记保存 and the form of the next action for the one who takes it."""
    rows = case_selectors.case_preservations(case)
    mine = _acts_for_unit(case, user, role)
    officer = mine and user.pk in {case.handler_id, case.co_handler_id}
    head = mine and role == Role.DEPUTY_DIRECTOR
    key, data, errors = posted if posted else (("", -1), {}, {})
    shown = False
    request_form: dict[str, Any] = {"data": {}, "errors": {}}
    can_request = officer and case.status == Case.Status.OPEN
    if can_request and key == ("request", 0):
        request_form, shown = {"data": data, "errors": errors}, True
    today = clock.today().isoformat()
    for p in rows:
        action, who, label = PRESERVATION_NEXT.get(p["status"], ("", "", ""))
        p["next"] = action if (who == "officer" and officer) or (who == "head" and head) else ""
        p["next_label"] = label
        p["form"] = {"data": {"on": today}, "errors": {}}
        if p["next"] and key == (p["next"], p["id"]):
            p["form"], shown = {"data": data, "errors": errors}, True
    return {
        "preservations": rows,
        "preservations_waiting": sum(1 for p in rows if p["next"]),
        "can_request_preservation": can_request,
        "preservation_form": request_form,
        "preservation_dispositions": Preservation.Disposition.choices,
        "preservation_problems": [] if shown else [m for ms in errors.values() for m in ms],
    }


ONSITE_FLAGS = (
    ("certificate_shown", "已出示执法身份证件"),
    ("party_present", "当事人到场"),
    ("party_notified", "已通知当事人到场"),
    ("told", "已告知理由、依据、权利和救济途径"),
    ("statements_heard", "已听取陈述和申辩"),
    ("record_made", "已制作现场笔录"),
    ("party_signed", "当事人已签名或盖章"),
    ("decision_delivered", "已当场交付决定书和清单（冻结：已交付冻结通知书）"),
)
# The form a POST came from — (action, measure id or 0 for a new measure) — with what was posted
# and the Chinese errors by field ("form" for the legal checks of the step table).
MeasurePosted = tuple[tuple[str, int], dict[str, Any], dict[str, list[str]]]


def _measure_officers(case: Case) -> list[User]:
    """The unit's officers holding a 执法证 valid today: who may carry a measure out."""
    certified = valid_certificates(clock.today()).values("user_id")
    return list(
        User.objects.filter(unit_id=case.unit_id, is_active=True, pk__in=certified).order_by("id")
    )


def _measure_context(
    case: Case, user: User, role: Role | None, posted: MeasurePosted | None
) -> dict[str, Any]:
    roles = frozenset({role}) if role is not None and user.has_role(role) else frozenset()
    rows = coercion_selectors.case_measures(case, user, roles)
    key, data, errors = posted if posted else (("", -1), {}, {})
    shown = False
    for r in rows:
        r["form"] = {"data": {}, "errors": {}, "action": ""}
        if key[1] == r["id"] and key[0]:
            r["form"], shown = {"data": data, "errors": errors, "action": key[0]}, True
    can_propose = (
        not case.imported
        and case.status != Case.Status.CLOSED
        and case.unit_id == user.unit_id
        and Role.HANDLER in roles
    )
    waiting = [r for r in rows if r["actions"] and r["step"] in coercion_selectors.TODO_ASKS]
    new_form: dict[str, Any] = {"data": {"type": "seize"}, "errors": {}}
    if can_propose and key[1] == 0:
        new_form, shown = {"data": data, "errors": errors}, True
    return {
        "measures": rows,
        "measures_waiting": len(waiting),
        # 审批 when all that waits is the head's approval, else 办理 (carrying one out).
        "measures_waiting_label": "审批"
        if waiting and all("approve" in r["actions"] for r in waiting)
        else "办理",
        "can_propose_measure": can_propose,
        "measure_form": new_form,
        "measure_officers": _measure_officers(case) if rows or can_propose else [],
        "measure_types": list(coercion_selectors.TYPE_LABELS.items()),
        "lift_grounds": list(LIFT_GROUNDS.items()),
        "disposals": list(DISPOSALS.items()),
        "appraisal_kinds": list(APPRAISALS.items()),
        "measure_problems": [] if shown else [m for ms in errors.values() for m in ms],
        "item_rows": range(3),
        "onsite_flags": ONSITE_FLAGS,
    }
