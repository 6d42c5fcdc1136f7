from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import personal as case_personal
from cases import selectors as case_selectors
from cases.models import Case
from cases.services import drafts as case_drafts
from cases.services import steps as case_steps
from deadlines import selectors as deadline_selectors
from deadlines.models import Deadline
from documents.selectors import Available, case_documents, may_issue
from ledger.labels import action_label, actor_text
from ledger.services import ledger_verify
from orgs.models import User
from procedure.coercion import COERCION
from procedure.engine import Refused
from procedure.roles import CASE_ROLES, ROLE_LABELS, Role
from web import selectors, stepforms, steps
from web.forms import CaseFilterForm, EvidenceForm
from web.nav import active_role
from web.sections import (
    MeasurePosted,
    PreservationPosted,
    RecusalPosted,
    ReviewPosted,
    _measure_context,
    _preservation_context,
    _recusal_context,
    _review_context,
)
from zhifa import clock

if TYPE_CHECKING:
    from web.reveal import RevealPosted

ROLE_NAMES = {r.value: label for r, label in ROLE_LABELS.items()}
# The roles whose home page is the 待办 (the traffic reviewer's holds its review queue).
TODO_ROLES = CASE_ROLES | {Role.TRAFFIC_REVIEWER}
DUE_BADGES = selectors.DUE_BADGES
KEY_FIELDS = {
    "opinion": "意见",
    "reason": "理由",
    "summary": "简要案情",
    "matter_code": "权责事项",
    "co_handler": "协办人",
    "served_on": "送达日期",
    "facts": "违法事实",
    "basis": "依据",
    "clue": "案源线索",
    "title": "名称",
    "sha256": "SHA-256",
    "sm3": "SM3",
    "extension_reason": "延期理由",
    "organ": "复议机关（人民法院）",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


MAX_PAGE = 200  # deeper than this, narrow the filters: an offset that large costs a scan


def _page_number(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def _decorate(rows: list[Case], today: dt.date) -> None:
    for c in rows:
        c.step_name = selectors.step_label(c.step)  # type: ignore[attr-defined]
        status = getattr(c, "due_status", None)
        due = getattr(c, "due_on", None)
        c.badge = DUE_BADGES.get(status) if status else None  # type: ignore[attr-defined]
        c.days_left = (due - today).days if due else None  # type: ignore[attr-defined]
        c.days_over = -c.days_left if due else None  # type: ignore[attr-defined]


# --- home / inbox ------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    role = active_role(request)
    if role not in TODO_ROLES:
        if role == Role.SUPERVISOR:
            return redirect("case-list")
        cliff = deadline_selectors.calendar_cliff_now() if role == Role.SYS_ADMIN else None
        return render(request, "web/home.html", {"role": role, "cliff": cliff})
    kind = request.GET.get("kind", "")[:20]
    page = selectors.todo_page(user, role, _page_number(request), kind)
    query = urlencode({"kind": kind}) if kind else ""
    return render(request, "web/inbox.html", {"page": page, "role": role, "query": query})


@login_required
@require_POST
def role_switch(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    wanted = request.POST.get("role", "")
    if wanted not in {r.value for r in selectors.roles_of(user)}:
        messages.error(request, "您不具备该角色")
    else:
        request.session["active_role"] = wanted
        messages.success(request, f"已切换为“{ROLE_NAMES[wanted]}”")
    return redirect("home")


# --- case list ---------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CaseFilterForm(request.GET or None, user=user)
    f = form.to_filter() if form.is_valid() else selectors.CaseFilter()
    page = selectors.list_page(user, f, _page_number(request))
    _decorate(page.rows, clock.today())
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.headers.get("HX-Request"):
        return render(request, "web/_case_rows.html", context)
    return render(request, "web/case_list.html", context)


# --- the case page -----------------------------------------------------------------------------


def _next_label(action: str, nxt: str) -> str:
    if action in COERCION.codes:  # a coercive measure's entry: its own next step
        return "措施结束" if nxt == "end" else COERCION.step(nxt).name
    return selectors.step_label(nxt)


def _timeline(case: Case) -> list[dict[str, Any]]:
    out = []
    for e in case_selectors.case_record(case):
        payload: dict[str, Any] = e.payload if isinstance(e.payload, dict) else {}
        inner = payload.get("data")
        data: dict[str, Any] = inner if isinstance(inner, dict) else payload
        keys = [(label, data[k]) for k, label in KEY_FIELDS.items() if data.get(k)]
        out.append(
            {
                "seq": e.seq,
                "code": e.action,
                "at": e.at,
                "who": actor_text(e.actor_name, e.role),
                "action": action_label(e.action),
                "decision": payload.get("label", ""),
                "next": _next_label(e.action, str(payload["next"])) if "next" in payload else "",
                "keys": keys,
                "json": json.dumps(payload, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder),
                "hash": e.hash,
            }
        )
    return out


def _documents(case: Case, user: User, available: list[Available]) -> list[dict[str, Any]]:
    """The documents the case's completed steps produce (the documents app decides which): the
    issued ones with links to their PDF and DOCX, the others with the form that issues them
    (for the officers of the case's unit; a download never issues)."""
    out = []
    can_issue = may_issue(user, case)
    for a in available:
        query = f"?party={a.party_index}" if a.party_index is not None else ""
        base = f"/documents/{case.pk}/{a.kind.code}"
        out.append(
            {
                "title": a.title,
                "party": a.party.name if a.party is not None else "",
                "party_index": a.party_index,
                "number": a.latest.number if a.latest is not None else "",
                "pdf": f"{base}.pdf{query}" if a.latest is not None else "",
                "docx": f"{base}.docx{query}" if a.latest is not None else "",
                "changed": a.issued is None and a.latest is not None,
                "issue": f"{base}/issue/" if a.issued is None and can_issue else "",
            }
        )
    return out


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    data: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    refusals: list[str] | None = None,
    evidence_form: EvidenceForm | None = None,
    review_posted: ReviewPosted | None = None,
    recusal_posted: RecusalPosted | None = None,
    preservation_posted: PreservationPosted | None = None,
    measure_posted: MeasurePosted | None = None,
    revealed: RevealPosted | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    role = active_role(request)
    step = steps.current_step(case)
    timeline = _timeline(case)
    problems = [str(b) for b in ledger_verify(stream=case.stream)]
    documents = case_documents(case)  # the sections' and the 卷宗 check's, read once
    can_act = step is not None and selectors.is_waiting_for(case, user, role)
    context: dict[str, Any] = {
        "case": case,
        "detail": case_selectors.case_detail(case, reader=user),
        "party_sight": case_personal.party_sight(user, case).value,
        "revealed": revealed,
        "step": step,
        "step_name": selectors.step_label(case.step),
        "can_act": can_act,
        "role": role,
        "timeline": timeline,
        "verified": not problems,
        "problems": problems,
        "evidence": case.evidence.select_related("collected_by").order_by("id"),
        "evidence_form": evidence_form or EvidenceForm(),
        "can_add_evidence": user.pk in {case.handler_id, case.co_handler_id}
        and case.status != Case.Status.CLOSED,
        "deadlines": Deadline.objects.filter(case=case).select_related("party").order_by("id"),
        "documents": _documents(case, user, documents.general),
        "case_documents": documents,
        "today": clock.today(),
        "refusals": refusals or [],
        "errors": errors or {},
        "error_summary": stepforms.summary(errors or {}),
        "role_names": ROLE_NAMES,
        **_review_context(case, user, role, review_posted),
        **_recusal_context(case, user, role, recusal_posted),
        **_preservation_context(case, user, role, preservation_posted),
        **_measure_context(case, user, role, measure_posted),
    }
    context["open_sections"] = _open_sections(
        request,
        context,
        {
            "recusals": recusal_posted,
            "preservations": preservation_posted,
            "measures": measure_posted,
            "reviews": review_posted,
        },
    )
    if step is not None and can_act:
        context["step_template"] = steps.template_for(step)
        context.update(_step_start(case, step.code, user, data))
        if data is None and "data" not in context:
            context["data"] = steps.defaults(case, step)
        elif data is None and "returned" in context and not context.get("draft"):
            # A returned step starts from its last submission, over what the case already knows
            # (the 违法行为发生日期 recorded at registration is not in the 立案申请's post).
            last = {k: v for k, v in context["data"].items() if v not in ("", None, [])}
            context["data"] = {**steps.defaults(case, step), **last}
        context.update(steps.choices(case, step))
    return render(request, "web/case_detail.html", context, status=status)


# The case page's module sections that fold, each opening by itself when the user has an action
# waiting there, a form of it was just posted, or the request targets it (?open=, which the 待办
# and the notices carry: a closed <details> does not open for an #anchor in every browser).
FOLDED_SECTIONS = ("recusals", "preservations", "measures", "enforcement", "reviews")


def _open_sections(
    request: HttpRequest, context: dict[str, Any], posted: dict[str, Any]
) -> set[str]:
    wanted = request.GET.get("open", "")
    return {
        name
        for name in FOLDED_SECTIONS
        if name == wanted or posted.get(name) is not None or context.get(f"{name}_waiting")
    }


def _step_start(case: Case, step: str, user: User, posted: dict[str, Any] | None) -> dict[str, Any]:
    """Where the step form starts: what was just posted, else the user's draft, else (the case
    was sent back to this step) what was submitted at it last time; with the return's who, when
    and why on top."""
    out: dict[str, Any] = {}
    returned = case_selectors.returns_of([case]).get(case.pk)
    if returned is not None:
        out["returned"] = {
            "note": selectors.return_note(returned),
            "label": returned.payload.get("label", "退回"),
        }
    if posted is not None:
        out["data"] = posted
        return out
    draft = case_selectors.step_draft(case, step, user)
    if draft is not None:
        out["data"], out["draft"] = draft, True
    elif returned is not None:
        last = case_selectors.last_submission(case, step)
        if last is not None:
            out["data"] = stepforms.as_form(last)
    return out


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.get_case_for_user(_user(request), case_id)
    return _case_page(request, case)


@login_required
@require_POST
def case_act(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    """Validate the step's form with the API's schema, then act through the service."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    schema = stepforms.schema_for(step)
    if schema is None:
        raise Http404("环节不存在")
    decision = request.POST.get("decision", "")
    data = stepforms.collect(request.POST)
    valid, errors = stepforms.validate(schema, data, decision)
    if valid is None:
        return _case_page(request, case, data=data, errors=errors)
    decision = str(valid.pop("decision", decision))
    try:
        case_steps.case_act(case_id=case.pk, actor=user, step=step, decision=decision, data=valid)
    except Refused as exc:
        case.refresh_from_db()
        return _case_page(request, case, data=data, refusals=exc.errors)
    messages.success(request, f"已办理“{selectors.step_label(step)}”")
    return redirect("case-detail", case_id=case.pk)


@login_required
@require_POST
def step_draft(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    """保存草稿: keep the half-written form of the step the case waits at, for this officer."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    if step != case.step or not selectors.is_waiting_for(case, user, active_role(request)):
        return _case_page(request, case, refusals=["当前环节不由您办理，草稿未保存"], status=422)
    data = stepforms.collect(request.POST)
    try:
        case_drafts.draft_save(case=case, step=step, user=user, data=data)
    except Refused as exc:
        return _case_page(request, case, data=data, refusals=exc.errors, status=422)
    messages.success(request, "已保存草稿")
    return redirect(f"/cases/{case.pk}/#act")
