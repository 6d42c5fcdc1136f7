"""Reads: which documents a case can produce now, and the public verification of one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from cases.models import Case, Decision, Party
from coercion.models import CoerciveMeasure
from documents.content import NO_PENALTY_TITLE, entry_data, masked
from documents.kinds import ENFORCEMENT_KINDS, KINDS, SUBJECT_KINDS, Kind
from documents.measure_content import measure_title
from documents.models import Document
from enforcement.models import EnforcementRecord
from ledger.models import Entry
from ledger.selectors import inclusion_proof
from orgs.models import User
from procedure import procedure_of_step
from procedure.engine import END
from procedure.roles import CASE_ROLES
from procedure.vocab import RecordKind


def persons_named(case: Case, party: Party | None) -> list[int]:
    """The indexes of the natural persons whose whole ID number a document prints: its party, or
    every party of the case for a document addressed to none (the 卷宗 included)."""
    named = [party] if party is not None else list(case.parties.all())
    return [p.index for p in named if p.kind == Party.Kind.PERSON and p.id_number]


# What a document is about within its case beyond the party: (subject kind, id), e.g.
# ("measure", 12) for the documents of the coercive measure 12.
Subject = tuple[str, int]


@dataclass(frozen=True)
class Available:
    kind: Kind
    title: str
    party: Party | None
    entry: Entry
    issued: Document | None  # issued from ``entry``: None when not yet, or the content changed
    latest: Document | None = None  # the latest version issued, from whichever entry
    subject: Subject | None = None  # ("measure", id) for a document of a measure

    @property
    def party_index(self) -> int | None:
        return self.party.index if self.party is not None else None


def _parties_for(case: Case, kind: Kind, entry: Entry, parties: list[Party]) -> list[Party]:
    if kind.code == "penalty_notice":
        return [p for p in parties if p.notified is not None]
    if kind.code in {"hearing_notice", "hearing_record"}:
        wanted = {
            int(r.get("party", -1))
            for r in entry_data(entry).get("responses", [])
            if r.get("kind") == "hearing" and r.get("hearing")
        }
        return [p for p in parties if p.index in wanted]
    if kind.code in {"decision", "on_spot_decision"}:
        decided = set(Decision.objects.filter(case=case).values_list("party_id", flat=True))
        return [p for p in parties if p.pk in decided]
    if kind.code == "delivery_receipt":
        wanted = {int(d.get("party", -1)) for d in entry_data(entry).get("deliveries", [])}
        return [p for p in parties if p.index in wanted]
    return parties


def _has_records(entry: Entry, record_kind: str) -> bool:
    return any(r.get("kind") == record_kind for r in entry_data(entry).get("records", []))


def _available(case: Case, kinds: list[Kind]) -> list[Available]:
    parties = list(case.parties.all())
    outcomes = dict(Decision.objects.filter(case=case).values_list("party_id", "outcome"))
    docs = list(
        Document.objects.filter(case=case, kind__in=[k.code for k in kinds]).order_by("version")
    )
    issued: dict[tuple[str, int | None, int], Document] = {
        (d.kind, d.party_id, d.entry_seq): d for d in docs
    }
    latest: dict[tuple[str, int | None], Document] = {(d.kind, d.party_id): d for d in docs}
    # One query for the entries of every step concerned, newest first.
    entries: dict[str, list[Entry]] = {}
    for e in Entry.objects.filter(
        stream=case.stream, action__in={k.action for k in kinds}
    ).order_by("-seq"):
        entries.setdefault(e.action, []).append(e)
    out: list[Available] = []
    for kind in kinds:
        entry = next(
            (
                e
                for e in entries.get(kind.action, [])
                if not kind.decisions or e.payload.get("decision") in kind.decisions
            ),
            None,
        )
        if entry is None:
            continue
        if kind.code == "inquiry_record" and not _has_records(entry, RecordKind.INQUIRY):
            continue
        if kind.code == "inspection_record" and not _has_records(entry, RecordKind.INSPECTION):
            continue
        if not kind.per_party:
            out.append(
                Available(
                    kind,
                    kind.title,
                    None,
                    entry,
                    issued.get((kind.code, None, entry.seq)),
                    latest.get((kind.code, None)),
                )
            )
            continue
        for p in _parties_for(case, kind, entry, parties):
            title = kind.title
            if kind.code == "decision" and outcomes.get(p.pk) == Decision.Outcome.NO_PENALTY:
                title = NO_PENALTY_TITLE
            out.append(
                Available(
                    kind,
                    title,
                    p,
                    entry,
                    issued.get((kind.code, p.pk, entry.seq)),
                    latest.get((kind.code, p.pk)),
                )
            )
    return out


def documents_available(case: Case) -> list[Available]:
    """Every document the case's completed steps produce, with its latest issued version."""
    return _available(case, list(KINDS.values()))


def document_available(case: Case, kind: str, party_index: int | None) -> Available:
    """The one document asked for, or 404 when the case has not produced it."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("文书种类不存在")
    for a in _available(case, [spec]):
        if not spec.per_party or party_index is None or a.party_index == party_index:
            return a
    raise Http404("该文书尚未生成：对应环节尚未办理完毕")


# --- documents of a subject within the case (a coercive measure) ------------------------------


def subject_measure(case: Case, subject: Subject) -> CoerciveMeasure:
    """The measure the subject names, of this case (the case was read through the one access
    function, cases.selectors.get_case_for_user): 404 for a measure of another case."""
    kind, pk = subject
    if kind != "measure":
        raise Http404("文书对象不存在")
    measure = CoerciveMeasure.objects.filter(case=case, pk=pk).first()
    if measure is None:
        raise Http404("行政强制措施不存在")
    return measure


def _measure_available(
    case: Case, measures: list[CoerciveMeasure], kinds: list[Kind]
) -> list[Available]:
    ids = [m.pk for m in measures]
    actions = {a for k in kinds for a, _ in k.sources}
    # One query for the entries of every measure concerned, newest first.
    entries: dict[int, list[Entry]] = {}
    for e in Entry.objects.filter(
        stream=case.stream, action__in=actions, payload__measure__in=ids
    ).order_by("-seq"):
        entries.setdefault(int(e.payload["measure"]), []).append(e)
    docs = Document.objects.filter(
        case=case, subject_kind="measure", subject_id__in=ids, kind__in=[k.code for k in kinds]
    ).order_by("version")
    issued = {(d.subject_id, d.kind, d.entry_seq): d for d in docs}
    latest = {(d.subject_id, d.kind): d for d in docs}
    out: list[Available] = []
    for m in measures:
        for kind in kinds:
            if m.type not in kind.types:
                continue
            if kind.code == "measure_record" and not (m.on_site or {}).get("record_made"):
                continue
            entry = next(
                (
                    e
                    for e in entries.get(m.pk, [])
                    if (e.action, e.payload.get("decision")) in kind.sources
                ),
                None,
            )
            if entry is None:
                continue
            out.append(
                Available(
                    kind,
                    measure_title(kind.code, m.type),
                    None,
                    entry,
                    issued.get((m.pk, kind.code, entry.seq)),
                    latest.get((m.pk, kind.code)),
                    ("measure", m.pk),
                )
            )
    return out


def measure_documents_available(case: Case) -> dict[int, list[Available]]:
    """The documents each measure of the case produces now, by measure id (one query each for
    the measures, their entries and their issued documents)."""
    measures = list(CoerciveMeasure.objects.filter(case=case).exclude(step="").order_by("pk"))
    out: dict[int, list[Available]] = {m.pk: [] for m in measures}
    kinds = [k for k in SUBJECT_KINDS.values() if k.subject == "measure"]
    for a in _measure_available(case, measures, kinds):
        assert a.subject is not None
        out[a.subject[1]].append(a)
    return out


def subject_document_available(case: Case, kind: str, subject: Subject) -> Available:
    """The one document of the subject asked for, or 404 when the subject has not produced it."""
    spec = SUBJECT_KINDS.get(kind)
    if spec is None or spec.subject != subject[0]:
        raise Http404("文书种类不存在")
    if subject[0] == "enforcement":
        found = _enforcement_available(case, [subject_enforcement(case, subject)], [spec])
    else:
        found = _measure_available(case, [subject_measure(case, subject)], [spec])
    for a in found:
        return a
    raise Http404("该文书尚未生成：对应环节尚未办理完毕")


def subject_document_latest(case: Case, kind: str, subject: Subject) -> Document | None:
    """The latest version issued of the subject's document, or None (reads only)."""
    spec = SUBJECT_KINDS.get(kind)
    if spec is None or spec.subject != subject[0]:
        raise Http404("文书种类不存在")
    if subject[0] == "enforcement":
        pk = subject_enforcement(case, subject).pk
    else:
        pk = subject_measure(case, subject).pk
    return (
        Document.objects.filter(case=case, kind=kind, subject_kind=subject[0], subject_id=pk)
        .order_by("-version")
        .first()
    )


# --- documents of an enforcement record (行政强制执行) -------------------------------------------


def subject_enforcement(case: Case, subject: Subject) -> EnforcementRecord:
    """The enforcement record the subject names, of this case (read through the case's one
    access function): 404 for a record of another case or an unknown id."""
    kind, pk = subject
    if kind != "enforcement":
        raise Http404("文书对象不存在")
    record = (
        EnforcementRecord.objects.select_related("decision__party").filter(case=case, pk=pk).first()
    )
    if record is None:
        raise Http404("强制执行记录不存在")
    return record


def _renders(kind: Kind, entry: Entry) -> bool:
    step, decision = entry.payload.get("step", ""), entry.payload.get("decision", "")
    return (step, decision) in kind.sources or ("", decision) in kind.sources


def _enforcement_available(
    case: Case, records: list[EnforcementRecord], kinds: list[Kind]
) -> list[Available]:
    ids = [r.pk for r in records]
    # One query for the entries of every record concerned, newest first.
    entries: dict[int, list[Entry]] = {}
    for e in Entry.objects.filter(
        stream=case.stream, action="enforcement", payload__enforcement__in=ids
    ).order_by("-seq"):
        entries.setdefault(int(e.payload["enforcement"]), []).append(e)
    docs = Document.objects.filter(
        case=case, subject_kind="enforcement", subject_id__in=ids, kind__in=[k.code for k in kinds]
    ).order_by("version")
    issued = {(d.subject_id, d.kind, d.entry_seq): d for d in docs}
    latest = {(d.subject_id, d.kind): d for d in docs}
    out: list[Available] = []
    for r in records:
        for kind in kinds:
            entry = next((e for e in entries.get(r.pk, []) if _renders(kind, e)), None)
            if entry is None:
                continue
            out.append(
                Available(
                    kind,
                    kind.title,
                    None,
                    entry,
                    issued.get((r.pk, kind.code, entry.seq)),
                    latest.get((r.pk, kind.code)),
                    ("enforcement", r.pk),
                )
            )
    return out


def enforcement_documents_available(case: Case) -> dict[int, list[Available]]:
    """The documents each enforcement record of the case produces now, by record id (one query
    each for the records, their entries and their issued documents)."""
    records = list(
        EnforcementRecord.objects.filter(case=case).select_related("decision__party").order_by("pk")
    )
    out: dict[int, list[Available]] = {r.pk: [] for r in records}
    for a in _enforcement_available(case, records, list(ENFORCEMENT_KINDS.values())):
        assert a.subject is not None
        out[a.subject[1]].append(a)
    return out


@dataclass(frozen=True)
class CaseDocuments:
    """Every document a case produces now: the case's own, and by subject id those of each
    measure and each enforcement record. Read once for a page that shows them and checks them
    (the case page: its 文书 section, the measures', the enforcement's and the 卷宗 check)."""

    general: list[Available]
    measures: dict[int, list[Available]]
    enforcement: dict[int, list[Available]]


def case_documents(case: Case) -> CaseDocuments:
    return CaseDocuments(
        documents_available(case),
        measure_documents_available(case),
        enforcement_documents_available(case),
    )


def may_issue(user: User, case: Case) -> bool:
    """Whether the user may issue the case's documents: numbering one is an act of the case's
    own unit, so an officer of that unit (a supervisor above it reads them, and issues none)."""
    return user.unit_id == case.unit_id and bool(user.role_set & CASE_ROLES)


def document_latest(case: Case, kind: str, party_index: int | None) -> Document | None:
    """The latest version issued of the document asked for, or None when none is issued yet.

    Reads only: downloading never issues (issuing is ``documents.services.document_issue``)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("文书种类不存在")
    docs = Document.objects.filter(case=case, kind=kind, subject_kind="").select_related("party")
    if spec.per_party and party_index is not None:
        docs = docs.filter(party__index=party_index)
    return docs.order_by("party__index", "-version").first()


def document_versions(case: Case) -> list[Document]:
    return list(
        Document.objects.filter(case=case)
        .select_related("party")
        .order_by("kind", "subject_id", "party__index", "-version")
    )


@dataclass(frozen=True)
class Verification:
    document: Document
    matches: bool
    problems: list[str]
    masked_party: str
    source: Entry | None
    source_step: str
    issue_entry: Entry | None
    # The inclusion proof of the case stream's head in its latest signed checkpoint
    # (ledger.selectors.inclusion_proof), and whether that head already follows the issue entry.
    proof: dict[str, Any] | None = None
    proof_covers_issue: bool = False


def verify_document(code: str) -> Verification:
    """Public check of a document against the record; 404 for an unknown code."""
    doc = (
        Document.objects.select_related("case", "case__unit", "party")
        .filter(code=code.strip().upper())
        .first()
    )
    if doc is None:
        raise Http404("核验码不存在")
    problems: list[str] = []
    try:
        with doc.pdf.open("rb") as fh:
            content = fh.read()
    except OSError:
        content = b""
        problems.append("存档文件缺失")
    if content and hashlib.new("sm3", content).hexdigest() != doc.sm3:
        problems.append("存档文件的SM3指纹与登记时不一致")
    stream = doc.case.stream
    source = Entry.objects.filter(stream=stream, seq=doc.entry_seq).first()
    issue_entry = next(
        (
            e
            for e in Entry.objects.filter(stream=stream, action="document_issue").order_by("seq")
            if e.payload.get("code") == doc.code
        ),
        None,
    )
    if issue_entry is None:
        problems.append("全过程记录中没有该文书的生成记录")
    elif (
        issue_entry.payload.get("sm3") != doc.sm3 or issue_entry.payload.get("number") != doc.number
    ):
        problems.append("文书登记信息与全过程记录不一致")
    if source is None:
        problems.append("文书所依据的办案记录不存在")
    step = ""
    if source is not None and source.action != END:
        try:
            step = procedure_of_step(source.action).step(source.action).name
        except (KeyError, ValueError):
            step = source.action
    proof = inclusion_proof(stream)
    return Verification(
        document=doc,
        matches=not problems,
        problems=problems,
        masked_party=masked(doc.party.name) if doc.party else "",
        source=source,
        source_step=step,
        issue_entry=issue_entry,
        proof=proof,
        proof_covers_issue=bool(proof and issue_entry and proof["head"]["seq"] >= issue_entry.seq),
    )
