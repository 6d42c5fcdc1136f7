from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cases.selectors import get_case_for_user
from documents.models import Document
from documents.selectors import document_versions, documents_available, verify_document
from documents.services import document_issue
from orgs.models import User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _party_index(request: HttpRequest) -> int | None:
    raw = request.GET.get("party")
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404("当事人序号无效") from None


@login_required
def case_documents(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(_user(request), case_id)
    return render(
        request,
        "documents/list.html",
        {
            "case": case,
            "available": documents_available(case),
            "versions": document_versions(case),
        },
    )


def _issued(request: HttpRequest, case_id: int, kind: str) -> Document:
    case = get_case_for_user(_user(request), case_id)
    return document_issue(
        case_id=case.pk, kind=kind, party_index=_party_index(request), actor=_user(request)
    )


def _filename(doc: Document, ext: str) -> str:
    party = f"-{doc.party.name}" if doc.party else ""
    return f"{doc.title}{party}-{doc.number}.{ext}"


@login_required
def download_pdf(request: HttpRequest, case_id: int, kind: str) -> FileResponse:
    doc = _issued(request, case_id, kind)
    return FileResponse(
        doc.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=_filename(doc, "pdf"),
    )


@login_required
def download_docx(request: HttpRequest, case_id: int, kind: str) -> FileResponse:
    doc = _issued(request, case_id, kind)
    return FileResponse(
        doc.docx.open("rb"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        filename=_filename(doc, "docx"),
    )


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a printed document checks it against the record (no login)."""
    return render(request, "documents/verify.html", {"v": verify_document(code)})
