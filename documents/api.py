"""The case's 文书 and 卷宗 over HTTP (mounted at /api/cases): what the case's documents page and
the case page's 卷宗 section offer.

Issuing a document (number, verification code, ledger entry) is a POST by an officer of the
case's unit, as on the documents page; its facts are read by anyone who may read the case.

Reading (the stored file's facts and table of contents, the PDF, the completeness check before
结案) is for anyone who may read the case; assembling is a POST by an officer of the case's unit.
Out of scope is 404; a refused assembly is 422 and stores nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Literal

from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from pypdf import PdfReader

from cases.models import Case
from cases.payloads import ErrorOut
from cases.runner import FieldsRefused
from cases.selectors import get_case_for_user
from documents.dossier_selectors import case_completeness, dossier_latest, dossier_or_404
from documents.dossier_services import dossier_assemble, may_assemble
from documents.models import Document, Dossier
from documents.render import verify_url
from documents.selectors import (
    Available,
    document_latest,
    documents_available,
    enforcement_documents_available,
    may_issue,
    measure_documents_available,
    persons_named,
    subject_document_latest,
)
from documents.services import document_issue, download_access_record
from orgs.models import User

router = Router(tags=["卷宗"])
documents_router = Router(tags=["文书"])


class DossierPartOut(Schema):
    title: str = Field(description="卷内部分的标题（封面、卷内目录、各文书、证据清单……备考表）")
    page: int = Field(description="起始页号（卷宗页号，从1起）")


class DossierFileOut(Schema):
    version: int = Field(description="版本（每次组卷加一，旧版本保留）")
    page_count: int
    document_count: int = Field(description="所含文书份数")
    record_seq: int = Field(description="所含全过程记录截至的序号")
    sha256: str
    sm3: str
    created_at: dt.datetime
    created_by: str = Field(description="组卷人")
    contents: list[DossierPartOut] = Field(description="卷内目录（读自所存PDF的书签）")


class DossierGapOut(Schema):
    text: str
    law: str = Field(description="要求该项的法律条款；归档惯例的为空")


class DossierCheckOut(Schema):
    complete: bool
    gaps: list[DossierGapOut]


class DossierOut(Schema):
    case_id: int
    latest: DossierFileOut | None = Field(description="最新一版卷宗；尚未组卷的为 null")
    may_assemble: bool = Field(description="本人可否组卷（本案办案单位的执法人员）")
    check: DossierCheckOut | None = Field(
        description="结案前的卷宗完整性检查（只读，不拒绝任何操作）；案源（未立案）为 null"
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _contents(dossier: Dossier) -> list[dict[str, Any]]:
    with dossier.pdf.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    items = [
        {"title": str(item.title), "page": (reader.get_destination_page_number(item) or 0) + 1}
        for item in reader.outline
        if not isinstance(item, list)
    ]
    # The parts' own headings come first as bookmarks too; the file's contents are the ones
    # assembling added, from the cover on.
    starts = [i for i, item in enumerate(items) if item["title"] == "封面"]
    return items[starts[-1] :] if starts else items


def _answer(case: Case, user: User) -> dict[str, Any]:
    latest = dossier_latest(case)
    check = case_completeness(case) if case.status != Case.Status.LEAD else None
    return {
        "case_id": case.pk,
        "latest": None
        if latest is None
        else {
            "version": latest.version,
            "page_count": latest.page_count,
            "document_count": latest.document_count,
            "record_seq": latest.record_seq,
            "sha256": latest.sha256,
            "sm3": latest.sm3,
            "created_at": latest.created_at,
            "created_by": str(latest.created_by),
            "contents": _contents(latest),
        },
        "may_assemble": may_assemble(user, case),
        "check": None
        if check is None
        else {
            "complete": check.complete,
            "gaps": [{"text": g.text, "law": g.law} for g in check.gaps],
        },
    }


@router.get(
    "/{case_id}/dossier",
    response=DossierOut,
    summary="卷宗：最新一版的卷内目录与指纹，以及结案前的完整性检查",
)
def dossier_get(request: HttpRequest, case_id: int) -> Any:
    user = _user(request)
    return _answer(get_case_for_user(user, case_id), user)


@router.post(
    "/{case_id}/dossier",
    response={201: DossierOut, 422: ErrorOut},
    summary="组卷：生成新一版卷宗PDF并记入全过程记录",
    description=(
        "本案办案单位的执法人员组卷；本案尚无已出具的文书时返回422，不作任何改动。"
        "每次组卷生成新版本，旧版本保留。"
    ),
)
def dossier_post(request: HttpRequest, case_id: int) -> Any:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    dossier_assemble(case_id=case.pk, actor=user)
    return Status(201, _answer(case, user))


PDF_ANSWER = {
    "responses": {
        200: {
            "description": "卷宗PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
DOSSIER_PERSONAL = (
    "此卷宗载明当事人完整身份证号码，下载将记入个人信息访问日志："
    "请以 POST /api/cases/{case_id}/dossier/pdf 下载（本单位审批人员和执法监督员须填写事由）"
)


class DossierFileIn(Schema):
    reason: str = Field(
        "",
        description="下载事由：本案承办人、协办人可不填，本单位审批人员和执法监督员（调阅）须填写",
    )


def _dossier_file(case: Case, dossier: Dossier) -> FileResponse:
    return FileResponse(
        dossier.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"卷宗-{case.case_no or case.lead_no}-第{dossier.version}版.pdf",
    )


@router.get(
    "/{case_id}/dossier/pdf",
    response={403: ErrorOut},
    summary="下载最新一版卷宗PDF（尚未组卷的返回404；载明完整身份证号码的须以POST下载）",
    description="卷宗载明自然人完整身份证号码的，GET 返回403且不作任何记录，请以 POST 下载。",
    openapi_extra=PDF_ANSWER,
)
def dossier_pdf(request: HttpRequest, case_id: int) -> Any:
    case = get_case_for_user(_user(request), case_id)
    dossier = dossier_or_404(case)
    if persons_named(case, None):
        return Status(403, {"errors": [DOSSIER_PERSONAL]})
    return _dossier_file(case, dossier)


@router.post(
    "/{case_id}/dossier/pdf",
    response={404: ErrorOut, 422: ErrorOut},
    summary="下载最新一版卷宗PDF（载明完整身份证号码的记入个人信息访问日志）",
    description=(
        "卷宗载明自然人完整身份证号码的，先按下载事由记入个人信息访问日志再返回文件；"
        "事由不符或角色只能查看遮蔽信息的返回422，不作记录。尚未组卷的返回404。"
    ),
    openapi_extra=PDF_ANSWER,
)
def dossier_pdf_logged(request: HttpRequest, case_id: int, body: DossierFileIn) -> Any:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    dossier = dossier_or_404(case)
    persons = persons_named(case, None)
    if persons:
        download_access_record(
            actor=user,
            case=case,
            record=f"case:{case.pk}/dossier:{dossier.version}",
            what=f"卷宗第{dossier.version}版",
            persons=persons,
            reason=body.reason,
            file="pdf",
        )
    return _dossier_file(case, dossier)


# --- 文书 ---------------------------------------------------------------------------------------


class DocumentOut(Schema):
    kind: str
    title: str
    party: int | None = Field(description="当事人序号；不按当事人出具的为 null")
    measure: int | None = Field(description="所属行政强制措施编号")
    enforcement: int | None = Field(description="所属强制执行记录编号")
    number: str = Field(description="文号")
    version: int = Field(description="版本（环节重办后再次出具的加一，旧版本保留）")
    code: str = Field(description="核验码")
    verify_url: str = Field(description="公开核验地址")
    entry_seq: int = Field(description="所据全过程记录的序号")
    sha256: str
    sm3: str
    issued_at: dt.datetime
    issued_by: str


class DocumentAvailableOut(Schema):
    kind: str
    title: str
    party: int | None
    measure: int | None
    enforcement: int | None
    issued: DocumentOut | None = Field(
        description="依最新记录已出具的版本；尚未出具或环节重办后未再出具的为 null"
    )
    latest: DocumentOut | None = Field(description="已出具的最新版本（不论所据记录）")


class DocumentsOut(Schema):
    case_id: int
    may_issue: bool = Field(description="本人可否出具文书（本案办案单位的执法人员）")
    documents: list[DocumentAvailableOut]


class DocumentIssueIn(Schema):
    party: int | None = Field(None, ge=0, description="当事人序号（按当事人出具的文书）")
    measure: int | None = Field(None, gt=0, lt=2**31, description="行政强制措施的文书：措施编号")
    enforcement: int | None = Field(
        None, gt=0, lt=2**31, description="强制执行的文书：强制执行记录编号"
    )


def _subject_of(body: DocumentIssueIn) -> tuple[str, int] | None:
    if body.measure is not None and body.enforcement is not None:
        raise FieldsRefused({"enforcement": ["只能指定一个文书对象：措施或强制执行记录"]})
    if body.measure is not None:
        return ("measure", body.measure)
    if body.enforcement is not None:
        return ("enforcement", body.enforcement)
    return None


def _document(d: Document) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "title": d.title,
        "party": d.party.index if d.party is not None else None,
        "measure": d.subject_id if d.subject_kind == "measure" else None,
        "enforcement": d.subject_id if d.subject_kind == "enforcement" else None,
        "number": d.number,
        "version": d.version,
        "code": d.code,
        "verify_url": verify_url(d.code),
        "entry_seq": d.entry_seq,
        "sha256": d.sha256,
        "sm3": d.sm3,
        "issued_at": d.issued_at,
        "issued_by": str(d.issued_by),
    }


def _available(a: Available) -> dict[str, Any]:
    subject_kind, subject_id = a.subject or ("", None)
    return {
        "kind": a.kind.code,
        "title": a.title,
        "party": a.party_index,
        "measure": subject_id if subject_kind == "measure" else None,
        "enforcement": subject_id if subject_kind == "enforcement" else None,
        "issued": _document(a.issued) if a.issued is not None else None,
        "latest": _document(a.latest) if a.latest is not None else None,
    }


@documents_router.get(
    "/{case_id}/documents",
    response=DocumentsOut,
    summary="本案可出具的文书及已出具的版本",
)
def documents_list(request: HttpRequest, case_id: int) -> Any:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    rows = [
        *documents_available(case),
        *(a for rows in measure_documents_available(case).values() for a in rows),
        *(a for rows in enforcement_documents_available(case).values() for a in rows),
    ]
    return {
        "case_id": case.pk,
        "may_issue": may_issue(user, case),
        "documents": [_available(a) for a in rows],
    }


@documents_router.post(
    "/{case_id}/documents/{kind}/issue",
    response={200: DocumentOut, 404: ErrorOut, 422: ErrorOut},
    summary="出具文书（编号、核验码，记入全过程记录）",
    description=(
        "本案办案单位的执法人员出具；已依最新记录出具的原样返回，环节重办后出具新版本。"
        "按当事人出具的须给出 party；行政强制措施或强制执行的文书给出 measure 或 enforcement"
        "（二者只能给一个）。本案尚未产生该文书，或当事人、对象不属本案的返回404。"
    ),
)
def document_issue_post(
    request: HttpRequest, case_id: int, kind: str, body: DocumentIssueIn
) -> Any:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    subject = _subject_of(body)
    doc = document_issue(
        case_id=case.pk, kind=kind, party_index=body.party, actor=user, subject=subject
    )
    return _document(doc)


class DocumentFileIn(DocumentIssueIn):
    format: Literal["pdf", "docx"] = "pdf"
    reason: str = Field(
        "",
        description=(
            "下载事由：文书载明自然人完整身份证号码的，下载记入个人信息访问日志；本案承办人、"
            "协办人可不填，本单位审批人员和执法监督员（调阅）须填写，其他角色不能下载"
        ),
    )


FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@documents_router.post(
    "/{case_id}/documents/{kind}/file",
    response={404: ErrorOut, 422: ErrorOut},
    summary="下载已出具文书的最新版本（PDF或DOCX；载明完整身份证号码的记入个人信息访问日志）",
    description=(
        "尚未出具的返回404。文书载明自然人完整身份证号码时，先按下载事由记入个人信息访问日志"
        "再返回文件；事由不符或角色只能查看遮蔽信息的返回422，不作记录。"
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "文书文件",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in FILE_TYPES.values()
                },
            }
        }
    },
)
def document_file(request: HttpRequest, case_id: int, kind: str, body: DocumentFileIn) -> Any:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    subject = _subject_of(body)
    if subject is not None:
        doc = subject_document_latest(case, kind, subject)
    else:
        doc = document_latest(case, kind, body.party)
    if doc is None:
        raise Http404("该文书尚未出具")
    persons = persons_named(doc.case, doc.party)
    if persons:
        party = f"（{doc.party.name}）" if doc.party else ""
        download_access_record(
            actor=user,
            case=doc.case,
            record=f"case:{doc.case_id}/document:{doc.code}",
            what=f"《{doc.title}》{party}",
            persons=persons,
            reason=body.reason,
            file=body.format,
        )
    stored = doc.pdf if body.format == "pdf" else doc.docx
    name = f"{doc.title}{'-' + doc.party.name if doc.party else ''}-{doc.number}.{body.format}"
    return FileResponse(
        stored.open("rb"),
        content_type=FILE_TYPES[body.format],
        as_attachment=True,
        filename=name,
    )
