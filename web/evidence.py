"""Evidence on the case page: the upload, and each file served through the case's access
function (MEDIA_ROOT is never served)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.models import Evidence
from cases.services import evidence as case_evidence
from procedure.engine import Refused
from web.forms import EvidenceForm
from web.views import _case_page, _user

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
