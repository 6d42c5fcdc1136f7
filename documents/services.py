"""Writes on documents: issuing one (number, code, files, ledger entry) in one transaction, and
sweeping the files of issues that never committed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F

from cases.models import Case, Decision, Party
from cases.personal import acting_role, case_file_sight
from cases.runner import FieldsRefused
from documents import enforcement_content
from documents.content import document_context
from documents.measure_content import content_errors, measure_context
from documents.models import Document, DocumentCounter, Dossier
from documents.render import render_docx, render_pdf, verify_url
from documents.selectors import (
    Available,
    Subject,
    document_available,
    may_issue,
    persons_named,
    subject_document_available,
    subject_enforcement,
    subject_measure,
)
from law.personal import OWN_REASON, Sight
from ledger.services import ledger_append
from orgs.models import Unit, User
from personal.services import personal_access_record
from procedure.engine import Refused
from zhifa import clock

# No 0/O, 1/I: the code is read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def _next_number(unit: Unit, kind: str, year: int) -> int:
    counter, _ = DocumentCounter.objects.select_for_update().get_or_create(
        unit=unit, kind=kind, year=year
    )
    DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return counter.last + 1


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Document.objects.filter(code=code).exists():
            return code


def template_name(kind: str, outcome: str | None) -> str:
    if kind == "decision" and outcome == Decision.Outcome.NO_PENALTY:
        return "no_penalty_decision"
    return kind


def _availability(
    case: Case, kind: str, party_index: int | None, subject: Subject | None
) -> Available:
    if subject is not None:
        return subject_document_available(case, kind, subject)
    return document_available(case, kind, party_index)


def _context(case: Case, available: Available) -> dict[str, object]:
    """The document's content; Refused when what the law requires it to state is missing."""
    kind = available.kind.code
    if available.subject is None:
        return document_context(case, kind, available.party, available.entry)
    if available.subject[0] == "enforcement":
        record = subject_enforcement(case, available.subject)
        ctx = enforcement_content.enforcement_context(case, record, kind, available.entry)
        errors = enforcement_content.content_errors(kind, ctx)
    else:
        measure = subject_measure(case, available.subject)
        ctx = measure_context(case, measure, kind, available.entry)
        errors = content_errors(kind, ctx)
    if errors:
        raise Refused(errors)
    return ctx


@transaction.atomic
def document_issue(
    *,
    case_id: int,
    kind: str,
    party_index: int | None,
    actor: User,
    subject: Subject | None = None,
) -> Document:
    """Issue the document of the case's latest step entry (number, code, files, ledger entry);
    with a subject (("measure", id), ("enforcement", id)), the document of that measure's or
    enforcement record's latest entry.

    A document already issued for that entry is returned as stored; a redone step (a newer
    entry) issues a new version and keeps the old one. Raises Http404 when the case has not
    produced the document, Refused when the actor is not an officer of the case's unit or when
    what the document must state is missing (nothing is numbered or written then)."""
    case = Case.objects.select_related("unit", "matter", "handler", "co_handler").get(pk=case_id)
    if not may_issue(actor, case):
        raise Refused(["只有本案办案单位的执法人员可以出具文书"])
    available = _availability(case, kind, party_index, subject)
    if available.issued is not None:
        return available.issued  # a re-download: no lock, nothing written
    # First issue: serialise on the case so two downloads at once issue one document.
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "matter", "handler", "co_handler")
        .get(pk=case_id)
    )
    available = _availability(case, kind, party_index, subject)
    if available.issued is not None:
        return available.issued
    spec = available.kind
    party = available.party
    subject_kind, subject_id = available.subject or ("", None)
    previous = (
        Document.objects.filter(
            case=case, kind=kind, party=party, subject_kind=subject_kind, subject_id=subject_id
        )
        .order_by("-version")
        .first()
    )
    ctx = _context(case, available)
    today = clock.today()
    decision = Decision.objects.filter(party=party).first() if party is not None else None
    if spec.label is not None:
        unit = case.unit
        n = _next_number(unit, kind, today.year)
        number = f"{unit.short or unit.name}{spec.label}〔{today.year}〕{n}号"
    elif decision is not None:
        number = decision.number
    else:
        number = case.case_no
    code = _new_code()
    ctx.setdefault("number", number)
    ctx.update(
        code=code,
        verify_url=verify_url(code),
        issued_on=ctx.get("issued_on") or ctx.get("decided_on") or ctx["entry_on"],
    )
    name = template_name(kind, decision.outcome if decision else None)
    pdf = render_pdf(name, ctx)
    docx = render_docx(name, ctx)
    doc = Document(
        case=case,
        kind=kind,
        title=str(ctx["title"]),
        party=party,
        subject_kind=subject_kind,
        subject_id=subject_id,
        number=str(ctx["number"]),
        code=code,
        entry_seq=available.entry.seq,
        version=previous.version + 1 if previous else 1,
        sha256=hashlib.sha256(pdf).hexdigest(),
        sm3=hashlib.new("sm3", pdf).hexdigest(),
        issued_at=clock.now(),
        issued_by=actor,
    )
    # The files are stored before the row commits; a failure from here on deletes them, and
    # documents_sweep removes what an outer rollback or a crash leaves.
    try:
        doc.pdf.save(f"{code}.pdf", ContentFile(pdf), save=False)
        doc.docx.save(f"{code}.docx", ContentFile(docx), save=False)
        doc.save()
        _ledger_issue(case, doc, kind, party, actor)
        _access_issue(case, doc, party, actor)
    except BaseException:
        for stored in (doc.pdf, doc.docx):
            if stored.name:
                stored.storage.delete(stored.name)
        raise
    return doc


def _ledger_issue(case: Case, doc: Document, kind: str, party: Party | None, actor: User) -> None:
    ledger_append(
        stream=case.stream,
        action="document_issue",
        payload={
            "kind": kind,
            "title": doc.title,
            "number": doc.number,
            "party": party.index if party is not None else None,
            **(
                {"subject": doc.subject_kind, "subject_id": doc.subject_id}
                if doc.subject_kind
                else {}
            ),
            "code": doc.code,
            "version": doc.version,
            "entry_seq": doc.entry_seq,
            "sha256": doc.sha256,
            "sm3": doc.sm3,
        },
        actor_id=actor.pk,
        actor_name=str(actor),
        role=next((r.value for r in sorted(actor.role_set)), ""),
    )


def _access_issue(case: Case, doc: Document, party: Party | None, actor: User) -> None:
    """A 文书 prints the whole ID number of each person it names: an authorised use, logged as
    an access (personal.services) like a reveal."""
    persons = persons_named(case, party)
    if not persons:
        return
    personal_access_record(
        actor=actor,
        role=acting_role(actor),
        action="pii_document",
        record=f"case:{case.pk}/document:{doc.code}",
        fields=["id_number"],
        reason=f"出具文书：{doc.title} {doc.number}",
        extra={"case": case.case_no or case.lead_no, "parties": persons},
    )


DOWNLOAD_REASON_LIMIT = 200


def download_access_record(
    *, actor: User, case: Case, record: str, what: str, persons: list[int], reason: str, file: str
) -> None:
    """Downloading a 文书 (or the 卷宗) that prints a person's whole ID number is an unmasked
    view (law.personal): the case's own officers download without a reason (logged as 承办), the
    approving officers of its unit and the 执法监督员 (调阅) with one; anyone else is refused. The
    access is appended here, before the file is streamed; a refusal logs nothing."""
    seen = case_file_sight(actor, case)
    if seen is Sight.MASKED:
        raise Refused(
            [
                "您的角色只能查看遮蔽后的当事人证件号码，不能下载载明完整身份证号码的文书；"
                "如需文书原件，请联系本案办案单位"
            ]
        )
    reason = reason.replace("\x00", "").strip()
    if not reason and seen is Sight.FULL:
        reason = OWN_REASON
    if not reason:
        raise FieldsRefused({"reason": ["请填写下载事由"]})
    if len(reason) > DOWNLOAD_REASON_LIMIT:
        raise FieldsRefused({"reason": [f"事由不能超过{DOWNLOAD_REASON_LIMIT}字"]})
    with transaction.atomic():
        personal_access_record(
            actor=actor,
            role=acting_role(actor),
            action="pii_document_download",
            record=record,
            fields=["id_number"],
            reason=reason,
            extra={
                "case": case.case_no or case.lead_no,
                "document": what,
                "file": file,
                "parties": persons,
            },
        )


DOCUMENT_DIR = "documents"
DOSSIER_DIR = "dossiers"  # the assembled 卷宗 (documents.dossier_services)


def documents_sweep(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> list[str]:
    """Delete stored document files that no document row names and that are older than
    ``older_than`` (so a document being issued right now is left alone); returns their names.

    They are what an issue leaves when its transaction is rolled back after the files were
    written, or when the process dies in between."""
    storage = default_storage
    known = set(Document.objects.values_list("pdf", flat=True))
    known |= set(Document.objects.values_list("docx", flat=True))
    known |= set(Dossier.objects.values_list("pdf", flat=True))
    cutoff = dt.datetime.now(dt.UTC) - older_than  # file times are the machine's, not the clock's
    removed: list[str] = []

    def walk(folder: str) -> None:
        if not storage.exists(folder):
            return
        dirs, files = storage.listdir(folder)
        for d in dirs:
            walk(f"{folder}/{d}")
        for f in files:
            name = f"{folder}/{f}"
            if name not in known and storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                removed.append(name)

    walk(DOCUMENT_DIR)
    walk(DOSSIER_DIR)
    return removed
