"""Writes on a case's 卷宗: assembling it into one PDF (cover, table of contents, the issued
documents, the evidence list, the full record, the 备考表), storing it and recording it.

The generated parts are rendered with WeasyPrint and the same fonts and page as the documents;
the issued documents go in as stored (their latest version), merged with pypdf. Every page gets
the file's page number (页号) in its top right corner, the number the table of contents names."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML  # type: ignore[import-untyped]

from cases.models import Case
from documents.dossier_selectors import (
    RecordLine,
    dossier_documents,
    dossier_evidence,
    dossier_record,
)
from documents.models import Document, Dossier
from documents.selectors import may_issue
from ledger.services import ledger_append, ledger_verify
from orgs.models import User
from procedure.engine import Refused
from zhifa import clock


def _html_pdf(template: str, ctx: dict[str, Any]) -> bytes:
    html = render_to_string(f"documents/pdf/dossier/{template}.html", ctx)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    assert pdf is not None
    return pdf


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@dataclass
class _Part:
    title: str
    number: str
    date: str
    pdf: bytes
    pages: int
    first: int = 0  # the page it starts on in the assembled file

    @property
    def span(self) -> str:
        last = self.first + self.pages - 1
        return str(self.first) if last == self.first else f"{self.first}-{last}"


def _converge(render: Any, start: int) -> tuple[bytes, int]:
    """Render a part whose content depends on its own page count (the table of contents names
    the pages after it, the 备考表 the total) until the count it assumed is the count it has."""
    assumed = start
    for _ in range(5):
        pdf = render(assumed)
        pages = _pages(pdf)
        if pages == assumed:
            return pdf, pages
        assumed = pages
    raise RuntimeError("page count does not converge")


def _stamp(pdf: bytes, first: int = 1) -> bytes:
    """The file's page number (页号) in the top right corner of every page, counted from
    ``first``, from one overlay rendered for all of them."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    numbers = range(first, first + len(writer.pages))
    overlay = PdfReader(io.BytesIO(_html_pdf("stamp", {"numbers": numbers})))
    for page, mark in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(mark)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _doc_part(d: Document) -> _Part:
    with d.pdf.open("rb") as fh:
        pdf = fh.read()
    party = f"（{d.party.name}）" if d.party else ""
    date = timezone.localtime(d.issued_at).date().isoformat()
    return _Part(f"{d.title}{party}", d.number, date, pdf, _pages(pdf))


def _cover_ctx(case: Case) -> dict[str, Any]:
    parties = "、".join(p.name for p in case.parties.all().order_by("index"))
    handlers = str(case.handler) + (f"、{case.co_handler}" if case.co_handler else "")
    outcome = case.get_outcome_display() if case.outcome else "尚未作出"
    cause = case.matter.name if case.matter else (case.facts or case.clue)[:60]
    return {
        "part_title": "封面",
        "unit_name": case.unit.name,
        "case_no": case.case_no or case.lead_no,
        "cause": cause,
        "parties": parties,
        "handlers": handlers,
        "outcome": outcome,
        "filed_on": case.filed_on.isoformat() if case.filed_on else "—",
        "closed_on": case.closed_on.isoformat() if case.closed_on else "尚未结案",
        "retention": settings.DOSSIER_RETENTION,
    }


def _evidence_rows(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "title": e.title,
            "kind": e.get_kind_display(),
            "size": f"{e.size:,}字节",
            "sha256": e.sha256,
            "sm3": e.sm3,
            "collected_by": str(e.collected_by),
            "collected_at": timezone.localtime(e.collected_at).strftime("%Y-%m-%d %H:%M"),
        }
        for e in dossier_evidence(case)
    ]


def _assemble(case: Case, actor: User, version: int) -> tuple[bytes, int, int, int]:
    """The assembled PDF, its page count, the number of documents and the last record entry."""
    docs = dossier_documents(case)
    if not docs:
        raise Refused(["本案尚无已出具的文书，无法组卷：请先出具文书"])
    today = clock.today().isoformat()
    record: list[RecordLine] = dossier_record(case)
    evidence = _evidence_rows(case)
    parts = [_doc_part(d) for d in docs]
    ev_pdf = _html_pdf("evidence", {"part_title": "证据清单", "rows": evidence})
    rec_pdf = _html_pdf(
        "record",
        {
            "part_title": "全过程记录",
            "rows": record,
            "intact": not ledger_verify(stream=case.stream),
        },
    )
    parts.append(_Part("证据清单", "", today, ev_pdf, _pages(ev_pdf)))
    parts.append(_Part("全过程记录", "", today, rec_pdf, _pages(rec_pdf)))
    cover_ctx = _cover_ctx(case)
    cover_pdf = _html_pdf("cover", {**cover_ctx, "total_pages": "　"})
    cover_pages = _pages(cover_pdf)
    note = _Part("备考表", "", today, b"", 1)

    def contents(pages: int) -> bytes:
        first = cover_pages + pages + 1
        for p in [*parts, note]:
            p.first = first
            first += p.pages
        rows = [
            {"title": p.title, "number": p.number, "date": p.date, "pages": p.span}
            for p in [*parts, note]
        ]
        return _html_pdf("contents", {"part_title": "卷内目录", "rows": rows})

    toc_pdf, toc_pages = _converge(contents, 1)
    before = cover_pages + toc_pages + sum(p.pages for p in parts)
    # The cover names the total; the 备考表's own length is assumed (1 page) and checked.
    total = before + note.pages
    cover_pdf = _html_pdf("cover", {**cover_ctx, "total_pages": total})
    body = PdfWriter()
    for pdf in (cover_pdf, toc_pdf, *(p.pdf for p in parts)):
        body.append(io.BytesIO(pdf), import_outline=False)
    buf = io.BytesIO()
    body.write(buf)
    body_pdf = _stamp(buf.getvalue())
    note_pdf = _html_pdf(
        "note",
        {
            "part_title": "备考表",
            "documents": len(docs),
            "evidence": len(evidence),
            "entries": len(record),
            "record_seq": record[-1].seq if record else 0,
            "total_pages": total,
            "before_pages": before,
            "body_sha256": hashlib.sha256(body_pdf).hexdigest(),
            "body_sm3": hashlib.new("sm3", body_pdf).hexdigest(),
            "assembler": f"{actor}（{case.unit.name}）",
            "assembled_at": timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M"),
            "version": version,
        },
    )
    if _pages(note_pdf) != note.pages:
        raise RuntimeError("备考表 runs over one page")
    writer = PdfWriter()
    writer.append(io.BytesIO(body_pdf), import_outline=False)
    writer.append(io.BytesIO(_stamp(note_pdf, total)), import_outline=False)
    # Bookmarks: each part by its title, at the page the table of contents names.
    writer.add_outline_item(title="封面", page_number=0)
    writer.add_outline_item(title="卷内目录", page_number=cover_pages)
    for p in [*parts, note]:
        writer.add_outline_item(title=p.title, page_number=p.first - 1)
    writer.add_metadata({"/Title": f"{cover_ctx['case_no']} 卷宗", "/Author": case.unit.name})
    out = io.BytesIO()
    writer.write(out)
    pdf = out.getvalue()
    return pdf, _pages(pdf), len(docs), record[-1].seq if record else 0


def may_assemble(user: User, case: Case) -> bool:
    """Assembling the file is an act of the case's own unit, like issuing its documents."""
    return may_issue(user, case)


@transaction.atomic
def dossier_assemble(*, case_id: int, actor: User) -> Dossier:
    """Assemble the case's 卷宗 as one PDF, store it as a new version and append
    `dossier_assemble` to the case's record with its fingerprints.

    Refused (nothing written) when the actor is not an officer of the case's unit or when the
    case has no issued document yet."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "matter", "handler", "co_handler")
        .get(pk=case_id)
    )
    if not may_assemble(actor, case):
        raise Refused(["只有本案办案单位的执法人员可以组卷"])
    previous = Dossier.objects.filter(case=case).order_by("-version").first()
    version = previous.version + 1 if previous else 1
    pdf, pages, count, record_seq = _assemble(case, actor, version)
    dossier = Dossier(
        case=case,
        version=version,
        sha256=hashlib.sha256(pdf).hexdigest(),
        sm3=hashlib.new("sm3", pdf).hexdigest(),
        page_count=pages,
        document_count=count,
        record_seq=record_seq,
        created_at=clock.now(),
        created_by=actor,
    )
    try:
        dossier.pdf.save(f"{case.pk}-v{version}.pdf", ContentFile(pdf), save=False)
        dossier.save()
        ledger_append(
            stream=case.stream,
            action="dossier_assemble",
            payload={
                "version": version,
                "pages": pages,
                "documents": count,
                "record_seq": record_seq,
                "sha256": dossier.sha256,
                "sm3": dossier.sm3,
            },
            actor_id=actor.pk,
            actor_name=str(actor),
            role=next((r.value for r in sorted(actor.role_set)), ""),
        )
    except BaseException:
        if dossier.pdf.name:
            dossier.pdf.storage.delete(dossier.pdf.name)
        raise
    return dossier
