from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.models import Case
from cases.selectors import get_case_for_user
from documents.kinds import SUBJECTS
from documents.models import Document
from documents.selectors import (
    Subject,
    document_latest,
    document_versions,
    documents_available,
    enforcement_documents_available,
    may_issue,
    measure_documents_available,
    subject_document_latest,
    verify_document,
)
from documents.services import document_issue
from orgs.models import User
from procedure.engine import Refused


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _party_index(params: QueryDict) -> int | None:
    raw = params.get("party")
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404("当事人序号无效") from None


def _subject(params: QueryDict) -> Subject | None:
    """The subject a document is addressed by beyond the party: ``measure=<id>`` (a coercive
    measure) or ``enforcement=<id>`` (an enforcement record); a malformed id is 404, a subject
    of another case too (documents.selectors)."""
    for key in SUBJECTS:
        raw = params.get(key)
        if raw in (None, ""):
            continue
        try:
            pk = int(raw)
        except ValueError:
            raise Http404("文书对象编号无效") from None
        if not 0 < pk < 2**31:
            raise Http404("文书对象编号无效")
        return (key, pk)
    return None


@login_required
def case_documents(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    return render(
        request,
        "documents/list.html",
        {
            "case": case,
            "available": documents_available(case),
            "measure_available": [
                a for rows in measure_documents_available(case).values() for a in rows
            ],
            "enforcement_available": [
                a for rows in enforcement_documents_available(case).values() for a in rows
            ],
            "versions": document_versions(case),
            "can_issue": may_issue(user, case),
        },
    )


@login_required
@require_POST
def issue(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """Issue (number, code, ledger entry) the document, or a new version of it when the step was
    redone since: an official act, hence a POST; the downloads only read what it issued."""
    user = _user(request)
    case = get_case_for_user(user, case_id)
    try:
        doc = document_issue(
            case_id=case.pk,
            kind=kind,
            party_index=_party_index(request.POST),
            actor=user,
            subject=_subject(request.POST),
        )
    except Refused as exc:
        for e in exc.errors:
            messages.error(request, e)
    else:
        party = f"（{doc.party.name}）" if doc.party else ""
        messages.success(request, f"已出具《{doc.title}》{party}{doc.number}，第{doc.version}版")
    if request.headers.get("HX-Request"):
        # Reload the page the form is on (the documents list or the case page): its rows change.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("documents:list", case_id=case.pk)


def _latest(request: HttpRequest, case_id: int, kind: str) -> Document | HttpResponse:
    case = get_case_for_user(_user(request), case_id)
    subject = _subject(request.GET)
    if subject is not None:
        doc = subject_document_latest(case, kind, subject)
    else:
        doc = document_latest(case, kind, _party_index(request.GET))
    if doc is None:
        return _not_issued(request, case)
    return doc


def _not_issued(request: HttpRequest, case: Case) -> HttpResponse:
    return render(request, "documents/not_issued.html", {"case": case}, status=404)


def _filename(doc: Document, ext: str) -> str:
    party = f"-{doc.party.name}" if doc.party else ""
    return f"{doc.title}{party}-{doc.number}.{ext}"


@login_required
def download_pdf(request: HttpRequest, case_id: int, kind: str) -> HttpResponse | FileResponse:
    """The latest issued version's PDF, read-only (404 until the document is issued)."""
    doc = _latest(request, case_id, kind)
    if isinstance(doc, HttpResponse):
        return doc
    return FileResponse(
        doc.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=_filename(doc, "pdf"),
    )


@login_required
def download_docx(request: HttpRequest, case_id: int, kind: str) -> HttpResponse | FileResponse:
    """The latest issued version's DOCX, read-only (404 until the document is issued)."""
    doc = _latest(request, case_id, kind)
    if isinstance(doc, HttpResponse):
        return doc
    return FileResponse(
        doc.docx.open("rb"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        filename=_filename(doc, "docx"),
    )


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a printed document checks it against the record (no login)."""
    return render(request, "documents/verify.html", {"v": verify_document(code)})


def verify_proof(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the inclusion proof of the verify page as JSON, for scripts/verify_proof.py."""
    v = verify_document(code)
    if v.proof is None:
        raise Http404("该文书的办案记录尚未纳入已签名的检查点")
    return JsonResponse(v.proof, json_dumps_params={"ensure_ascii": False, "indent": 1})
