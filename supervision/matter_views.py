"""Pages of 执法监督事项 (行政执法监督条例 2026): the list, opening a matter, the matter with the
actions the table allows its reader, and the instruments as print pages or PDF.

Thin: reads through supervision.selectors, writes through supervision.matters. Out of scope is
404 (selectors.get_matter_for_user). A refused action shows its reasons by field and keeps what
was typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from cases.models import Case
from law import oversight as law
from ledger.labels import action_label
from ledger.models import Entry
from orgs.models import Unit, User
from procedure.engine import Refused
from procedure.oversight import ACTIONS
from supervision import matters, selectors
from supervision.models import FileReviewCase, Item, Matter, OfficerMeasure
from zhifa import clock
from zhifa.query import query_day

DOCUMENTS = {
    "instrument": "sent_on",
    "proposal": "proposed_on",
    "decision": "decision_on",
}
CSS = Path(__file__).resolve().parent / "static" / "supervision" / "instrument.css"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _int(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value < 2**62 else None


def _errors(exc: Refused) -> dict[str, Any]:
    general = [e for e in exc.errors if not any(e in v for v in exc.fields.values())]
    return {"errors": general, "field_errors": exc.fields}


@login_required
def matter_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    supervisor = selectors.supervisor_root(user) is not None
    if not supervisor and not selectors.matter_sides_possible(user):
        raise Http404("页面不存在")
    qs = selectors.matters_for_user(user)
    status = request.GET.get("status", "")
    today = clock.today()
    if status in Matter.Status.values:
        qs = qs.filter(status=status)
    elif status == "todo" and supervisor:
        qs = selectors.matters_awaiting_supervisor(qs, today)
    page = Paginator(qs.order_by("-opened_at", "-pk"), 50).get_page(request.GET.get("page"))
    for m in page:
        m.due, m.late = selectors.matter_due(m, today)
    return render(
        request,
        "supervision/matters.html",
        {
            "page": page,
            "statuses": Matter.Status.choices,
            "status": status,
            "supervisor": supervisor,
        },
    )


def _units(root: Unit) -> Any:
    return Unit.objects.filter(path__startswith=root.path, kind__in=matters.ENFORCING).order_by(
        "path"
    )


@login_required
def matter_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    root = selectors.supervisor_root(user)
    if root is None:
        raise Http404("页面不存在")
    data = request.POST if request.method == "POST" else request.GET
    item_id, review_case_id = _int(data.get("item")), _int(data.get("review_case"))
    source = data.get("source") or (
        Matter.Source.IRREGULARITY
        if item_id
        else Matter.Source.FILE_REVIEW
        if review_case_id
        else Matter.Source.MANUAL
    )
    origin: Any = None
    if item_id:
        origin = selectors.items_for_user(user).filter(pk=item_id).first()
    elif review_case_id:
        origin = (
            FileReviewCase.objects.select_related("case")
            .filter(pk=review_case_id, case__unit__path__startswith=root.path)
            .first()
        )
    context: dict[str, Any] = {
        "units": _units(root),
        "sources": Matter.Source.choices,
        "channels": law.CLUE_CHANNELS.items(),
        "origin": origin,
        "posted": data,
        "source": source,
        "errors": [],
        "field_errors": {},
    }
    if request.method != "POST":
        if isinstance(origin, Item):
            context["posted"] = {"title": origin.title, "facts": origin.detail, **data.dict()}
        return render(request, "supervision/matter_new.html", context)
    case = None
    case_no = data.get("case_no", "").strip()
    unit = _units(root).filter(pk=_int(data.get("unit")) or 0).first()
    if case_no:
        case = Case.objects.filter(case_no=case_no, unit__path__startswith=root.path).first()
        if case is None:
            context["field_errors"] = {"case_no": ["案件不存在或不在本辖区"]}
            return render(request, "supervision/matter_new.html", context, status=422)
    try:
        matter = matters.matter_open(
            actor=user,
            source=source,
            title=data.get("title", ""),
            facts=data.get("facts", ""),
            unit=unit,
            case=case,
            item_id=item_id,
            review_case_id=review_case_id,
            channel=data.get("channel", ""),
            listed=bool(data.get("listed")),
            escalated=bool(data.get("escalated")),
            major=bool(data.get("major")),
        )
    except Refused as exc:
        context.update(_errors(exc))
        return render(request, "supervision/matter_new.html", context, status=422)
    messages.success(request, "已立为监督事项")
    return redirect("supervision:matter", matter_id=matter.pk)


def _detail(
    request: HttpRequest, matter: Matter, extra: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    today = clock.today()
    due, late = selectors.matter_due(matter, today)
    context = {
        "m": matter,
        "due": due,
        "late": late,
        "can": selectors.matter_actions(user, matter, today),
        "names": {code: a.name for code, a in ACTIONS.items()},
        "instruments": Matter.Instrument.choices,
        "publications": law.PUBLICATIONS.items(),
        "measures_choices": OfficerMeasure.Measure.choices,
        "measures": matter.measures.select_related("officer").order_by("pk"),
        "officers": User.objects.filter(unit_id=matter.unit_id, is_active=True).order_by("pk"),
        "history": [
            (e, action_label(e.action))
            for e in Entry.objects.filter(stream=matter.stream).order_by("seq")
        ],
        "reply_late": law.is_late(matter.reply_due_on, selectors.reply_done(matter), today),
        "posted": {},
        "errors": [],
        "field_errors": {},
        "failed": "",
        **(extra or {}),
    }
    return render(request, "supervision/matter_detail.html", context, status=status)


@login_required
def matter_detail(request: HttpRequest, matter_id: int) -> HttpResponse:
    return _detail(request, selectors.get_matter_for_user(_user(request), matter_id))


def _act(user: User, matter: Matter, action: str, post: Any, files: Any) -> None:
    pk = matter.pk
    if action == "send":
        matters.matter_send(
            actor=user,
            matter_id=pk,
            instrument=post.get("instrument", ""),
            demand=post.get("demand", ""),
            number=post.get("number", ""),
        )
    elif action == "answer":
        upload = files.get("evidence")
        matters.matter_answer(
            actor=user,
            matter_id=pk,
            reply=post.get("reply", ""),
            evidence=_read(upload),
            filename=upload.name if upload else "",
        )
    elif action == "object":
        matters.matter_object(actor=user, matter_id=pk, reason=post.get("reason", ""))
    elif action in ("accept_objection", "reject_objection"):
        matters.matter_objection_decide(
            actor=user,
            matter_id=pk,
            accept=action == "accept_objection",
            ruling=post.get("ruling", ""),
        )
    elif action == "return":
        matters.matter_return(actor=user, matter_id=pk, note=post.get("note", ""))
    elif action == "close":
        matters.matter_close(actor=user, matter_id=pk, note=post.get("note", ""))
    elif action == "propose":
        matters.matter_propose(actor=user, matter_id=pk, proposal=post.get("proposal", ""))
    elif action == "decide":
        matters.matter_decide(
            actor=user,
            matter_id=pk,
            decided_on=_required_day(post, "decided_on", "决定日期"),
            number=post.get("number", ""),
            content=post.get("content", ""),
        )
    elif action == "report":
        matters.matter_report(actor=user, matter_id=pk, report=post.get("report", ""))
    elif action == "publish":
        matters.matter_publish(
            actor=user, matter_id=pk, kind=post.get("kind", ""), text=post.get("text", "")
        )
    elif action == "recommend":
        matters.measure_recommend(
            actor=user,
            matter_id=pk,
            officer=post.get("officer", ""),
            measure=post.get("measure", ""),
            reason=post.get("reason", ""),
        )
    elif action == "measure_decide":
        row = OfficerMeasure.objects.filter(
            matter=matter, pk=_int(post.get("measure_id")) or 0
        ).first()
        if row is None:
            raise Http404("页面不存在")
        matters.measure_decide(
            actor=user,
            measure_id=row.pk,
            authority=post.get("authority", ""),
            decision=post.get("decision", ""),
            decided_on=_required_day(post, "decided_on", "处理日期"),
        )
    else:
        raise Http404("页面不存在")


def _read(upload: Any) -> bytes | None:
    if upload is None:
        return None
    limit = int(settings.SUPERVISION_EVIDENCE_MAX_BYTES)
    if upload.size > limit:  # refuse without reading a huge file into memory
        raise matters.FieldRefused({"evidence": [f"证明材料不能超过{limit // 1024 // 1024}MB"]})
    return bytes(upload.read())


def _required_day(post: Any, name: str, label: str) -> dt.date:
    day = query_day(post.get(name))
    if day is None:
        raise matters.FieldRefused({name: [f"请填写{label}（年-月-日）"]})
    return day


@login_required
@require_POST
def matter_act(request: HttpRequest, matter_id: int, action: str) -> HttpResponse:
    user = _user(request)
    matter = selectors.get_matter_for_user(user, matter_id)
    if action not in ACTIONS:
        raise Http404("页面不存在")
    try:
        _act(user, matter, action, request.POST, request.FILES)
    except Refused as exc:
        matter.refresh_from_db()
        extra = {"posted": request.POST, "failed": action, **_errors(exc)}
        return _detail(request, matter, extra, status=422)
    messages.success(request, f"已{ACTIONS[action].name}")
    return redirect("supervision:matter", matter_id=matter.pk)


@login_required
def matter_evidence(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = selectors.get_matter_for_user(_user(request), matter_id)
    if not matter.evidence:
        raise Http404("没有证明材料")
    response = HttpResponse(matter.evidence.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = "attachment"
    return response


@login_required
def matter_document(request: HttpRequest, matter_id: int, kind: str) -> HttpResponse:
    """督办函/意见书, 处理建议 and the 决定书 record: a print page, or a PDF (?format=pdf)."""
    matter = selectors.get_matter_for_user(_user(request), matter_id)
    if kind not in DOCUMENTS or getattr(matter, DOCUMENTS[kind]) is None:
        raise Http404("文书尚未制作")
    pdf = request.GET.get("format") == "pdf"
    context = {
        "m": matter,
        "kind": kind,
        "pdf": pdf,
        "justice": _justice(matter),
        "government": _government(matter),
    }
    html = render_to_string("supervision/matter_document.html", context, request=request)
    if not pdf:
        return HttpResponse(html)
    from weasyprint import CSS as WeasyCSS  # type: ignore[import-untyped]
    from weasyprint import HTML

    body = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[WeasyCSS(filename=str(CSS))]
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="matter-{matter.pk}-{kind}.pdf"'
    return response


def _justice(matter: Matter) -> str:
    """The issuing 司法行政部门: the justice bureau of the opening supervisor."""
    unit = matter.opened_by.unit
    return unit.name if unit is not None else ""


def _government(matter: Matter) -> str:
    """The 本级人民政府 the 处理建议 goes to: the government the justice bureau belongs to."""
    unit = matter.opened_by.unit
    parent = unit.parent if unit is not None else None
    return parent.name if parent is not None else "本级人民政府"
