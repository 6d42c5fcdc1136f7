from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from ninja import Schema

from api import schemas
from cases import personal as case_personal
from cases import selectors as case_selectors
from cases.models import Case, Evidence, Party, Preservation
from cases.payloads import LeadIn
from cases.services import drafts as case_drafts
from cases.services import evidence as case_evidence
from cases.services import preservations as case_preservations
from cases.services import recusals as case_recusals
from cases.services import reviews as case_reviews
from cases.services import steps as case_steps
from cases.services.common import FieldsRefused
from cases.services.recusals import RECUSAL_DECIDERS, RECUSAL_RECORDERS
from cases.services.reviews import REVIEW_KIND_LABELS, REVIEW_ROLES
from catalog.selectors import PICK_LIMIT, matters_for_unit, matters_search
from coercion import schemas as coercion_schemas
from coercion import selectors as coercion_selectors
from coercion import services as coercion_services
from deadlines import selectors as deadline_selectors
from deadlines.models import Deadline
from documents.selectors import documents_available, may_issue
from law.limits import EMERGENCY_MEASURE_REPORT
from law.reviews import Kind, endings_of
from ledger.labels import action_label, actor_text
from ledger.services import ledger_verify
from orgs.models import User
from orgs.selectors import valid_certificates
from procedure.coercion import APPRAISALS, COERCION, DISPOSALS, LIFT_GROUNDS
from procedure.engine import Refused
from procedure.roles import CASE_ROLES, ROLE_LABELS, Role
from web import selectors, stepforms, steps
from web.forms import CaseFilterForm, EvidenceForm
from web.nav import active_role
from zhifa import clock

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


# --- registering a case ------------------------------------------------------------------------


def _matters_for(user: User) -> Any:
    return matters_for_unit(user.unit_id).order_by("code")[:500]


@login_required
def matter_pick(request: HttpRequest) -> HttpResponse:
    """The matter picker's options (htmx): the unit's matters matching the search, the one
    already chosen kept first."""
    user = _user(request)
    chosen = request.GET.get("matter_code", "")
    found = matters_search(user.unit_id, request.GET.get("matter_q", ""))
    keep = (
        []
        if any(m.code == chosen for m in found)
        else list(matters_for_unit(user.unit_id).filter(code=chosen)[:1])
    )
    return render(
        request,
        "web/_matter_options.html",
        {"matters": keep + found, "chosen": chosen, "limit": PICK_LIMIT},
    )


@login_required
def case_new(request: HttpRequest, procedure: str = "general") -> HttpResponse:
    """案源登记 (step 1 of the general procedure) or an on-the-spot 简易程序 case."""
    user = _user(request)
    simple = procedure == "simple"
    data: dict[str, Any] = {
        "discovered_on": clock.today().isoformat(),
        "source": "patrol",
        "parties": [{"kind": "person"}],
    }
    errors: dict[str, list[str]] = {}
    refusals: list[str] = []
    if request.method == "POST":
        data = stepforms.collect(request.POST)
        data["procedure"] = procedure
        valid, errors = stepforms.validate(LeadIn, data)
        if simple and not data.get("matter_code"):
            errors.setdefault("matter_code", []).append("当场处罚须选择权责事项")
            valid = None
        if valid is not None:
            try:
                case = case_steps.case_register(
                    actor=user,
                    procedure=procedure,
                    source=valid["source"],
                    clue=valid["clue"],
                    discovered_on=dt.date.fromisoformat(valid["discovered_on"]),
                    act_on=_day(valid.get("act_on")),
                    act_ended_on=_day(valid.get("act_ended_on")),
                    place=valid["place"],
                    matter_code=valid.get("matter_code"),
                    parties=valid["parties"],
                )
            except Refused as exc:
                refusals = exc.errors
            else:
                messages.success(request, f"已登记：{case.lead_no}")
                return redirect("case-detail", case_id=case.pk)
    context = {
        "simple": simple,
        "data": data,
        "errors": errors,
        "error_summary": stepforms.summary(errors),
        "refusals": refusals,
        "party_rows": range(1 if simple else 3),
        "sources": Case.Source.choices,
        "kinds": [("person", "公民"), ("organisation", "法人"), ("other", "其他组织")],
        "matters": _matters_for(user),
    }
    return render(request, "web/case_new.html", context)


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


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


def _documents(case: Case, user: User) -> list[dict[str, Any]]:
    """The documents the case's completed steps produce (the documents app decides which): the
    issued ones with links to their PDF and DOCX, the others with the form that issues them
    (for the officers of the case's unit; a download never issues)."""
    out = []
    can_issue = may_issue(user, case)
    for a in documents_available(case):
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
PRESERVATION_FORMS: dict[str, tuple[type[Any], Any]] = {
    "request": (schemas.PreservationIn, case_preservations.preservation_request),
    "approve": (schemas.PreservationApproveIn, case_preservations.preservation_approve),
    "carry-out": (schemas.PreservationCarryOutIn, case_preservations.preservation_carry_out),
    "decide": (schemas.PreservationDecideIn, case_preservations.preservation_decide),
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
        "can_request_preservation": can_request,
        "preservation_form": request_form,
        "preservation_dispositions": Preservation.Disposition.choices,
        "preservation_problems": [] if shown else [m for ms in errors.values() for m in ms],
    }


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
        "documents": _documents(case, user),
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


@dataclass(frozen=True)
class RevealPosted:
    """A reveal asked on the case page: the party shown whole, or the reasons it was refused."""

    index: int
    party: Party | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    reason: str = ""


@login_required
@require_POST
def party_reveal(request: HttpRequest, case_id: int, index: int) -> HttpResponse:
    """显示完整: the party's whole numbers on this answer only, the access logged."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    reason = request.POST.get("reason", "")
    try:
        party = case_personal.party_reveal(actor=user, case_id=case.pk, index=index, reason=reason)
    except Refused as exc:
        errors = getattr(exc, "fields", None) or {"reason": exc.errors}
        posted = RevealPosted(index=index, errors=errors, reason=reason[:200])
        return _case_page(request, case, revealed=posted, status=422)
    return _case_page(request, case, revealed=RevealPosted(index=index, party=party))


# --- evidence --------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, evidence_form=form)
    upload = form.cleaned_data["file"]
    try:
        case_evidence.evidence_add(
            case_id=case.pk,
            actor=user,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            content=upload,
            filename=upload.name or "",
            content_type=upload.content_type or "",
        )
    except Refused as exc:
        return _case_page(request, case, refusals=exc.errors, evidence_form=form)
    messages.success(request, "证据已登记，指纹已计算")
    return redirect("case-detail", case_id=case.pk)


INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


@login_required
def evidence_file(request: HttpRequest, case_id: int, evidence_id: int) -> FileResponse:
    """An evidence file, through the case's access function (MEDIA_ROOT is never served)."""
    case = case_selectors.get_case_for_user(_user(request), case_id)
    try:
        ev = Evidence.objects.get(pk=evidence_id, case=case)
    except Evidence.DoesNotExist:
        raise Http404("证据不存在") from None
    if not ev.file:
        raise Http404("证据文件不存在")
    inline = ev.content_type in INLINE_TYPES
    response = FileResponse(
        ev.file.open("rb"),
        content_type=ev.content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=f"{ev.sm3[:12]}{steps_suffix(ev.file.name)}",
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


def steps_suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


# --- the case page's sections (复议诉讼, 回避, 先行登记保存, 行政强制措施) ------------------------


def _section_done(request: HttpRequest, case: Case, anchor: str, message: str) -> HttpResponse:
    """A section's form was recorded: through htmx reload the page where it is (a redirect to
    the same page and #anchor would only scroll, not show the record grown); else redirect."""
    messages.success(request, message)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(f"/cases/{case.pk}/#{anchor}")


def _section_refused(
    request: HttpRequest,
    case: Case,
    template: str,
    section_context: Callable[..., dict[str, Any]],
    posted: Any,
    page_kwarg: str,
) -> HttpResponse:
    """A section's form was refused: the section alone through htmx, else the whole page, with
    what was typed and the errors by field."""
    user = _user(request)
    if request.headers.get("HX-Request"):
        context = {"case": case, **section_context(case, user, active_role(request), posted)}
        return render(request, template, context)
    return _case_page(request, case, **{page_kwarg: posted})


# --- 复议诉讼 ----------------------------------------------------------------------------------


def _review_post(request: HttpRequest, case_id: int, which: str) -> HttpResponse:
    """File or conclude a review from the case page. With htmx a refused form comes back as the
    section alone, its errors by field; a recorded one reloads the page (its record grows)."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    data = stepforms.collect(request.POST)
    schema = schemas.ReviewFileIn if which == "file" else schemas.ReviewConcludeIn
    valid, errors = stepforms.validate(schema, data)
    if valid is not None:
        try:
            if which == "file":
                case_reviews.review_file(
                    case_id=case.pk,
                    actor=user,
                    party=valid["party"],
                    kind=valid["kind"],
                    filed_on=dt.date.fromisoformat(valid["filed_on"]),
                    organ=valid["organ"],
                    organ_case_no=valid["organ_case_no"],
                )
            else:
                case_reviews.review_conclude(
                    case_id=case.pk,
                    actor=user,
                    party=valid["party"],
                    kind=valid["kind"],
                    ending=valid["ending"],
                    decided_on=dt.date.fromisoformat(valid["decided_on"]),
                )
        except FieldsRefused as exc:
            errors = exc.fields
        except Refused as exc:
            errors = {"form": exc.errors}
        else:
            done = "已登记复议诉讼申请" if which == "file" else "已登记复议诉讼结果"
            return _section_done(request, case, "reviews", done)
    try:
        party = int(str(data.get("party", "")))
    except ValueError:
        party = -1
    kind = str(data.get("kind", "")) if which == "conclude" else ""
    posted: ReviewPosted = ((which, party, kind), data, errors)
    return _section_refused(
        request, case, "web/_reviews.html", _review_context, posted, "review_posted"
    )


@login_required
@require_POST
def review_file(request: HttpRequest, case_id: int) -> HttpResponse:
    return _review_post(request, case_id, "file")


@login_required
@require_POST
def review_conclude(request: HttpRequest, case_id: int) -> HttpResponse:
    return _review_post(request, case_id, "conclude")


# --- 回避 --------------------------------------------------------------------------------------


def _recusal_post(request: HttpRequest, case_id: int, recusal_id: int | None) -> HttpResponse:
    """Record a 回避 (recusal_id None) or decide one from the case page; like the reviews' forms."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    data = stepforms.collect(request.POST)
    if recusal_id is None:
        valid, errors = stepforms.validate(schemas.RecusalIn, data)
    else:
        if "granted" in data:
            data["granted"] = data["granted"] == "true"
        valid, errors = stepforms.validate(schemas.RecusalDecideIn, data)
    if valid is not None:
        try:
            if recusal_id is None:
                case_recusals.recusal_request(case_id=case.pk, actor=user, **valid)
            else:
                case_recusals.recusal_decide(
                    case_id=case.pk, actor=user, recusal_id=recusal_id, **valid
                )
        except FieldsRefused as exc:
            errors = exc.fields
        except Refused as exc:
            errors = {"form": exc.errors}
        else:
            return _section_done(
                request,
                case,
                "recusals",
                "已登记回避申请" if recusal_id is None else "已作出回避决定",
            )
    key = ("request", 0) if recusal_id is None else ("decide", recusal_id)
    posted: RecusalPosted = (key, data, errors)
    return _section_refused(
        request, case, "web/_recusals.html", _recusal_context, posted, "recusal_posted"
    )


@login_required
@require_POST
def recusal_request(request: HttpRequest, case_id: int) -> HttpResponse:
    return _recusal_post(request, case_id, None)


@login_required
@require_POST
def recusal_decide(request: HttpRequest, case_id: int, recusal_id: int) -> HttpResponse:
    return _recusal_post(request, case_id, recusal_id)


# --- 证据先行登记保存 ---------------------------------------------------------------------------


def _preservation_items(data: dict[str, Any]) -> None:
    """The item list of the form: one line per item, "名称 数量 [说明]"."""
    lines = data.pop("items", None)
    if lines is None:
        return
    items = []
    for line in lines if isinstance(lines, list) else [lines]:
        parts = str(line).split(maxsplit=2)
        items.append(
            {
                "name": parts[0] if parts else "",
                "quantity": parts[1] if len(parts) > 1 else "",
                "note": parts[2] if len(parts) > 2 else "",
            }
        )
    data["items"] = items


ITEM_FIELDS = {"name": "名称", "quantity": "数量", "note": "说明"}


def _item_messages(key: str, messages: list[str]) -> list[str]:
    """ "items.0.quantity" errors said of the item they belong to."""
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit():
        what = f"第{int(parts[1]) + 1}项物品的{ITEM_FIELDS.get(parts[2], parts[2])}"
        return [f"{what}：{m}" for m in messages]
    return messages


@login_required
@require_POST
def preservation_post(
    request: HttpRequest, case_id: int, preservation_id: int = 0, action: str = "request"
) -> HttpResponse:
    """Request, approve, carry out or decide a 先行登记保存 from the case page."""
    if action not in PRESERVATION_FORMS:
        raise Http404
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    schema, service = PRESERVATION_FORMS[action]
    data = stepforms.collect(request.POST)
    shown = dict(data)
    if action == "request":
        _preservation_items(data)
    valid, errors = stepforms.validate(schema, data)
    errors = {key: _item_messages(key, messages) for key, messages in errors.items()}
    if valid is not None:
        if action == "carry-out":
            valid["on"] = dt.date.fromisoformat(valid["on"])
        kwargs = {} if action == "request" else {"preservation_id": preservation_id}
        try:
            service(case_id=case.pk, actor=user, **kwargs, **valid)
        except FieldsRefused as exc:
            errors = exc.fields
        except Refused as exc:
            errors = {"form": exc.errors}
        else:
            return _section_done(request, case, "preservations", "已办理证据先行登记保存")
    posted: PreservationPosted = ((action, preservation_id), shown, errors)
    return _section_refused(
        request,
        case,
        "web/_preservations.html",
        _preservation_context,
        posted,
        "preservation_posted",
    )


# --- 行政强制措施 ------------------------------------------------------------------------------

MEASURE_SCHEMAS: dict[str, type[Schema]] = {
    "propose": coercion_schemas.MeasureProposeIn,
    "emergency": coercion_schemas.MeasureEmergencyIn,
    "decide": coercion_schemas.MeasureDecideIn,
    "carry_out": coercion_schemas.OnSiteIn,
    "withdraw": coercion_schemas.MeasureWithdrawIn,
    "extend": coercion_schemas.MeasureExtendIn,
    "lift": coercion_schemas.MeasureLiftIn,
    "handle": coercion_schemas.MeasureHandleIn,
    "appraise": coercion_schemas.MeasureAppraiseIn,
    "appraised": coercion_schemas.MeasureAppraisedIn,
}
MEASURE_DONE = {
    "propose": "已报请负责人批准",
    "emergency": f"已当场实施，请在{EMERGENCY_MEASURE_REPORT.duration_label}内报告负责人补办批准",
    "decide": "已作出审批决定",
    "carry_out": "已实施行政强制措施",
    "withdraw": "已登记不再实施",
    "extend": "已报请延长期限",
    "lift": "已解除行政强制措施",
    "handle": "已登记随案处理",
    "appraise": "已登记送检测鉴定，期间不计入期限",
    "appraised": "已登记检测鉴定完成",
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
    new_form: dict[str, Any] = {"data": {"type": "seize"}, "errors": {}}
    if can_propose and key[1] == 0:
        new_form, shown = {"data": data, "errors": errors}, True
    return {
        "measures": rows,
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


def _measure_call(case: Case, user: User, action: str, measure_id: int, v: dict[str, Any]) -> None:
    cs = coercion_services
    if action in ("propose", "emergency"):
        kind, items, reason, basis = v.pop("type"), v.pop("items"), v.pop("reason"), v.pop("basis")
        if action == "propose":
            cs.measure_propose(
                case_id=case.pk, actor=user, type=kind, items=items, reason=reason, basis=basis
            )
            return
        cs.measure_emergency(
            case_id=case.pk,
            actor=user,
            type=kind,
            items=items,
            reason=reason,
            basis=basis,
            emergency_reason=v.pop("emergency_reason"),
            officers=v.pop("officers"),
            on_site=v,
        )
    elif action == "carry_out":
        officers = v.pop("officers")
        cs.measure_carry_out(
            case_id=case.pk, measure_id=measure_id, actor=user, officers=officers, on_site=v
        )
    elif action == "decide":
        cs.measure_decide(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    elif action == "withdraw":
        cs.measure_withdraw(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    elif action == "extend":
        cs.measure_extend(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    elif action == "appraise":
        cs.measure_appraise(
            case_id=case.pk,
            measure_id=measure_id,
            actor=user,
            kind=v["kind"],
            until=dt.date.fromisoformat(v["until"]),
            notice_in_writing=v["notice_in_writing"],
        )
    elif action == "appraised":
        cs.measure_appraised(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    elif action == "lift":
        cs.measure_lift(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    else:
        cs.measure_handle(case_id=case.pk, measure_id=measure_id, actor=user, **v)


def _measure_post(request: HttpRequest, case_id: int, action: str, measure_id: int) -> HttpResponse:
    """Act on a measure from the case page; htmx gets the section back with errors by field."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    schema = MEASURE_SCHEMAS.get(action)
    if schema is None:
        raise Http404("操作不存在")
    data = stepforms.collect(request.POST)
    valid, errors = stepforms.validate(schema, data, request.POST.get("decision", ""))
    if valid is not None:
        try:
            _measure_call(case, user, action, measure_id, valid)
        except Refused as exc:
            errors = {"form": exc.errors}
        else:
            return _section_done(request, case, "measures", MEASURE_DONE[action])
    posted: MeasurePosted = ((action, measure_id), data, errors)
    return _section_refused(
        request, case, "web/_measures.html", _measure_context, posted, "measure_posted"
    )


@login_required
@require_POST
def measure_new(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    if action not in ("propose", "emergency"):
        raise Http404("操作不存在")
    return _measure_post(request, case_id, action, 0)


@login_required
@require_POST
def measure_act(request: HttpRequest, case_id: int, measure_id: int, action: str) -> HttpResponse:
    if action in ("propose", "emergency"):
        raise Http404("操作不存在")
    return _measure_post(request, case_id, action, measure_id)
