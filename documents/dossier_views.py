"""The case's 卷宗: assembling it (a POST by an officer of the case's unit) and reading the stored
file (anyone who may read the case, a supervisor above the unit included)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import get_case_for_user
from documents.dossier_selectors import dossier_latest
from documents.dossier_services import dossier_assemble
from documents.selectors import persons_named
from documents.views import personal_download
from orgs.models import User
from procedure.engine import Refused


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_POST
def assemble(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    try:
        dossier = dossier_assemble(case_id=case.pk, actor=user)
    except Refused as exc:
        for e in exc.errors:
            messages.error(request, e)
    else:
        messages.success(request, f"已生成卷宗第{dossier.version}版，共{dossier.page_count}页")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(reverse("case-detail", args=[case.pk]) + "#dossier")


@login_required
@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, case_id: int) -> HttpResponse | FileResponse:
    """The latest assembled file as stored; 404 (尚未生成) before the first assembly. It holds
    every 文书: when they print a person's whole ID number, a GET answers the page that says so
    and the file is streamed on the logged POST only (documents.views.personal_download)."""
    case = get_case_for_user(_user(request), case_id)
    dossier = dossier_latest(case)
    if dossier is None:
        return render(request, "documents/dossier_missing.html", {"case": case}, status=404)
    guard = personal_download(
        request,
        case,
        what=f"卷宗第{dossier.version}版",
        detail=f"共{dossier.page_count}页，{dossier.document_count}份文书，PDF",
        record=f"case:{case.pk}/dossier:{dossier.version}",
        persons=persons_named(case, None),
        file="pdf",
    )
    if guard is not None:
        return guard
    return FileResponse(
        dossier.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=f"卷宗-{case.case_no or case.lead_no}-第{dossier.version}版.pdf",
    )
