from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Case
from cases.personal import case_file_sight
from cases.runner import FieldsRefused
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
    persons_named,
    subject_document_latest,
    verify_document,
)
from documents.services import document_issue, download_access_record
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


PERSONAL_NOTICE = "此文书载明当事人完整身份证号码，下载将记入个人信息访问日志"


def personal_download(
    request: HttpRequest,
    case: Case,
    *,
    what: str,
    detail: str,
    record: str,
    persons: list[int],
    file: str,
) -> HttpResponse | None:
    """The guard of a download that prints a person's whole ID number: a GET answers the page
    that says so and asks for the POST (it writes nothing); the POST logs the access for a reader
    law.personal allows and answers None (stream the file), or the page with the refusal.
    None at once for a file naming no person."""
    if not persons:
        return None
    user = _user(request)
    errors: dict[str, list[str]] = {}
    reason = ""
    status = 200
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            download_access_record(
                actor=user,
                case=case,
                record=record,
                what=what,
                persons=persons,
                reason=reason,
                file=file,
            )
        except FieldsRefused as exc:
            errors, status = exc.fields, 422
        except Refused as exc:
            errors, status = {"__all__": exc.errors}, 403
        else:
            return None
    return render(
        request,
        "documents/personal_download.html",
        {
            "case": case,
            "what": what,
            "detail": detail,
            "notice": PERSONAL_NOTICE,
            "sight": case_file_sight(user, case).value,
            "action": request.get_full_path(),
            "errors": errors,
            "reason": reason.replace("\x00", "")[:200],
        },
        status=status,
    )


def _download(
    request: HttpRequest, case_id: int, kind: str, ext: str
) -> HttpResponse | FileResponse:
    doc = _latest(request, case_id, kind)
    if isinstance(doc, HttpResponse):
        return doc
    party = f"（{doc.party.name}）" if doc.party else ""
    guard = personal_download(
        request,
        doc.case,
        what=f"《{doc.title}》{party}",
        detail=f"{doc.number}，第{doc.version}版，{ext.upper()}",
        record=f"case:{doc.case_id}/document:{doc.code}",
        persons=persons_named(doc.case, doc.party),
        file=ext,
    )
    if guard is not None:
        return guard
    if ext == "pdf":
        return FileResponse(
            doc.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=request.GET.get("inline") != "1",
            filename=_filename(doc, "pdf"),
        )
    return FileResponse(
        doc.docx.open("rb"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        filename=_filename(doc, "docx"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def download_pdf(request: HttpRequest, case_id: int, kind: str) -> HttpResponse | FileResponse:
    """The latest issued version's PDF (404 until the document is issued): read-only on GET; a
    document printing a person's whole ID number is streamed on the logged POST only."""
    return _download(request, case_id, kind, "pdf")


@login_required
@require_http_methods(["GET", "POST"])
def download_docx(request: HttpRequest, case_id: int, kind: str) -> HttpResponse | FileResponse:
    """The latest issued version's DOCX, as the PDF."""
    return _download(request, case_id, kind, "docx")


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a printed document checks it against the record (no login)."""
    return render(request, "documents/verify.html", {"v": verify_document(code)})


def verify_proof(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the inclusion proof of the verify page as JSON, for scripts/verify_proof.py."""
    v = verify_document(code)
    if v.proof is None:
        raise Http404("该文书的办案记录尚未纳入已签名的检查点")
    return JsonResponse(v.proof, json_dumps_params={"ensure_ascii": False, "indent": 1})
