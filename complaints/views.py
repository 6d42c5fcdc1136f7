"""Thin views: the public's form and status page (no login), the officers' queue and actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from complaints import selectors, services
from complaints.models import Complaint
from disclosure.portal import site_context
from law.personal import Sight, mask_phone
from orgs.identity import client_ip
from orgs.models import User
from procedure.complaint import COMPLAINT, DECIDERS, FILERS, HANDLERS
from procedure.engine import END, Refused
from zhifa import clock
from zhifa.query import query_day

# Besides the photos, the form's text fields and the multipart framing.
TEXT_ALLOWANCE = 64 * 1024


def body_limit() -> int:
    return settings.COMPLAINT_PHOTO_MAX_COUNT * settings.COMPLAINT_PHOTO_MAX_BYTES + TEXT_ALLOWANCE


def _too_large(request: HttpRequest) -> bool:
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return size > body_limit()


def _photos(request: HttpRequest) -> list[services.PhotoIn]:
    out = []
    for f in request.FILES.getlist("photos"):
        if f.size is not None and f.size > settings.COMPLAINT_PHOTO_MAX_BYTES:
            # Not read: the service refuses it by its size alone.
            out.append(services.PhotoIn(b"", f.name or "", size=f.size))
            continue
        out.append(services.PhotoIn(f.read(), f.name or ""))
    return out


def _public(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {**site_context(request), **context}, status=status)


def _form_context(form: Any, fields: dict[str, list[str]], errors: list[str]) -> dict[str, Any]:
    return {
        "units": selectors.intake_units(),
        "form": form,
        "fields": fields,
        "errors": errors,
        "today": clock.today().isoformat(),
        "max_photos": settings.COMPLAINT_PHOTO_MAX_COUNT,
        "max_mb": settings.COMPLAINT_PHOTO_MAX_BYTES // 1024 // 1024,
        "accept_days": settings.COMPLAINT_ACCEPT_WORKING_DAYS,
    }


def public_new(request: HttpRequest) -> HttpResponse:
    """投诉举报: the form (GET), the filing (POST). Not cached: the form carries a CSRF token."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse("不支持该请求方法。", status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.method != "POST":
        return _public(request, "complaints/public/new.html", _form_context({}, {}, []))
    if _too_large(request):
        most, mb = settings.COMPLAINT_PHOTO_MAX_COUNT, settings.COMPLAINT_PHOTO_MAX_BYTES >> 20
        message = f"提交的内容过大：照片最多{most}张，每张不超过{mb}MB"
        return _public(request, "complaints/public/new.html", _form_context({}, {}, [message]), 413)
    form = request.POST
    try:
        complaint = services.complaint_submit(
            unit=form.get("unit", ""),
            facts=form.get("facts", ""),
            place=form.get("place", ""),
            happened_on=form.get("happened_on", ""),
            contact_name=form.get("contact_name", ""),
            contact_phone=form.get("contact_phone", ""),
            photos=_photos(request),
            ip=client_ip(request),
            honeypot=form.get("website", ""),
        )
    except services.RateLimited as exc:
        response = _public(
            request, "complaints/public/new.html", _form_context(form, {}, [exc.message]), 429
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    except Refused as exc:
        context = _form_context(form, dict(exc.fields), [] if exc.fields else exc.errors)
        return _public(request, "complaints/public/new.html", context, 422)
    return _public(
        request,
        "complaints/public/filed.html",
        {"code": complaint.code, "due": complaint.accept_due_on, "unit": complaint.unit.name},
    )


def public_status(request: HttpRequest) -> HttpResponse:
    """查询办理情况 by the tracking code; nothing but the status and masked contact."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse("只接受 GET 请求。", status=405, headers={"Allow": "GET, HEAD"})
    code = request.GET.get("code", "")[:40]
    status = selectors.status_by_code(code) if code else None
    return _public(
        request,
        "complaints/public/status.html",
        {"code": code, "s": status, "searched": bool(code)},
        status=404 if code and status is None else 200,
    )


# --- officers -------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 6 else 1


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    g = request.GET
    f = selectors.QueueFilter(
        status=g.get("status", ""),
        overdue=g.get("overdue") == "1",
        date_from=query_day(g.get("from", "")),
        date_to=query_day(g.get("to", "")),
        q=g.get("q", "").replace("\x00", ""),
    )
    page = selectors.queue_page(user, f, _page_number(request))
    query = g.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/queue.html",
        {
            "page": page,
            "f": f,
            "statuses": Complaint.Status.choices,
            "query": query.urlencode(),
        },
    )


@login_required
def detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = _user(request)
    return _detail_page(request, user, selectors.get_complaint_for_user(user, complaint_id))


def _detail_page(
    request: HttpRequest, user: User, c: Complaint, revealed: str = "", status: int = 200
) -> HttpResponse:
    mine = user.unit_id == c.unit_id
    roles = user.role_set
    return render(
        request,
        "complaints/detail.html",
        {
            "c": c,
            "step": None if c.step == END else COMPLAINT.step(c.step),
            "photos": c.photos.all(),
            "timeline": selectors.timeline(c),
            "late": c.step == "complaint_intake" and c.accept_due_on < clock.today(),
            # The complainant's phone is masked on every read; the handling unit's officers
            # reveal it with one click (a POST, logged) to call back.
            "contact_phone": mask_phone(c.contact_phone),
            "may_reveal": bool(c.contact_phone)
            and services.contact_phone_sight(user, c) is Sight.FULL,
            "revealed": revealed,
            "may_decide": mine and bool(roles & DECIDERS) and c.step == "complaint_intake",
            "may_file": mine and bool(roles & FILERS) and c.step == "complaint_handling",
            "may_conclude": mine
            and bool(roles & HANDLERS)
            and c.step in ("complaint_handling", "complaint_filed"),
            "transfer_units": selectors.transfer_units(c),
        },
        status=status,
    )


@login_required
@require_POST
def phone_reveal(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """显示完整: the complainant's whole phone number on this answer only, the access logged."""
    user = _user(request)
    c = selectors.get_complaint_for_user(user, complaint_id)
    try:
        phone = services.contact_phone_reveal(actor=user, complaint_id=c.pk)
    except Refused as exc:
        for e in exc.errors:
            messages.error(request, e)
        return _detail_page(request, user, c, status=422)
    return _detail_page(request, user, c, revealed=phone)


def _act(
    request: HttpRequest, complaint_id: int, fn: Callable[..., Complaint], **kwargs: Any
) -> HttpResponse:
    user = _user(request)
    c = selectors.get_complaint_for_user(user, complaint_id)
    try:
        fn(complaint_id=c.pk, actor=user, **kwargs)
    except Refused as exc:
        for e in exc.errors:
            messages.error(request, e)
    else:
        messages.success(request, "已办理")
    return redirect("complaints:detail", complaint_id=c.pk)


@login_required
@require_POST
def accept(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _act(request, complaint_id, services.complaint_accept)


@login_required
@require_POST
def reject(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _act(
        request, complaint_id, services.complaint_reject, reason=request.POST.get("reason", "")
    )


@login_required
@require_POST
def transfer(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _act(
        request, complaint_id, services.complaint_transfer, unit_id=request.POST.get("unit", "")
    )


@login_required
@require_POST
def file(request: HttpRequest, complaint_id: int) -> HttpResponse:
    p = request.POST
    party = {
        "kind": p.get("party_kind", ""),
        "name": p.get("party_name", ""),
        "id_number": p.get("party_id_number", ""),
        "address": p.get("party_address", ""),
    }
    return _act(
        request,
        complaint_id,
        services.complaint_file,
        parties=[party],
        clue=p.get("clue", ""),
        matter_code=p.get("matter", "") or None,
    )


@login_required
@require_POST
def conclude(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _act(
        request, complaint_id, services.complaint_conclude, result=request.POST.get("result", "")
    )


@login_required
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    row = selectors.get_photo_for_user(_user(request), photo_id)
    return FileResponse(row.file.open("rb"), content_type=row.content_type)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The 待办's section of complaints waiting for the unit (loaded into the 待办 page)."""
    return render(request, "complaints/_inbox.html", {"rows": selectors.waiting(_user(request))})
