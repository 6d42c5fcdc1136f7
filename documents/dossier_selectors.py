"""Reads for a case's 卷宗: the issued documents in procedure order, the evidence list, the record
as prose, the stored dossier, and the completeness check before 结案."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from cases.models import Case, Decision, Evidence
from cases.selectors import case_record
from documents.kinds import ALL_KINDS
from documents.models import Document, Dossier
from documents.selectors import CaseDocuments, case_documents
from ledger.labels import action_label, actor_text
from ledger.services import ledger_verify
from procedure.completeness import CaseFacts, Completeness, DocumentFacts, PartyFacts, completeness

_KIND_ORDER = {code: i for i, code in enumerate(ALL_KINDS)}


def dossier_documents(case: Case) -> list[Document]:
    """The latest issued version of each document of the case (its own, its measures' and its
    enforcement records'), in the order the case produced them: by the record entry each
    renders, then by the kinds' order within one entry (询问笔录 before 现场检查笔录), then by
    party."""
    latest: dict[tuple[str, int | None, str, int | None], Document] = {}
    for d in Document.objects.filter(case=case).select_related("party").order_by("version", "pk"):
        latest[(d.kind, d.party_id, d.subject_kind, d.subject_id)] = d
    return sorted(
        latest.values(),
        key=lambda d: (
            d.entry_seq,
            _KIND_ORDER.get(d.kind, len(_KIND_ORDER)),
            d.subject_id or 0,
            d.party.index if d.party else -1,
        ),
    )


def dossier_evidence(case: Case) -> list[Evidence]:
    return list(Evidence.objects.filter(case=case).select_related("collected_by").order_by("pk"))


@dataclass(frozen=True)
class RecordLine:
    seq: int
    at: str
    text: str  # Chinese prose: 2025-03-01 10:00，张三（承办人）办理“立案审批”：批准。
    hash: str


def dossier_record(case: Case) -> list[RecordLine]:
    """The full record of the case as sentences: when, who (in which role), what (the action's
    Chinese name and the decision's label), and each entry's hash."""
    out: list[RecordLine] = []
    for e in case_record(case):
        payload = e.payload if isinstance(e.payload, dict) else {}
        at = timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M")
        text = f"{actor_text(e.actor_name, e.role)}：{action_label(e.action)}"
        label = payload.get("label")
        if label:
            text += f"（{label}）"
        if e.action == "document_issue" and payload.get("title"):
            text += f"《{payload['title']}》{payload.get('number', '')}"
        out.append(RecordLine(e.seq, at, text + "。", e.hash))
    return out


def dossier_latest(case: Case) -> Dossier | None:
    """The latest assembled dossier of the case, or None (reads only; assembling is a POST)."""
    return Dossier.objects.filter(case=case).order_by("-version").first()


def dossier_or_404(case: Case) -> Dossier:
    found = dossier_latest(case)
    if found is None:
        raise Http404("卷宗尚未生成")
    return found


def case_completeness(
    case: Case, *, record_intact: bool | None = None, documents: CaseDocuments | None = None
) -> Completeness:
    """What the case's file still lacks before 结案 (procedure.completeness over the case's
    facts); refuses nothing. `record_intact` and `documents`: the stream's check and the case's
    documents, when the caller has them already (the case page shows both); read here otherwise."""
    documents = documents or case_documents(case)
    docs = [
        DocumentFacts(a.title + (f"（{a.party.name}）" if a.party else ""), a.latest is not None)
        for a in documents.general
    ] + [
        DocumentFacts(a.title, a.latest is not None)
        for rows in (*documents.measures.values(), *documents.enforcement.values())
        for a in rows
    ]
    receipts = set(
        Document.objects.filter(case=case, kind="delivery_receipt").values_list(
            "party_id", flat=True
        )
    )
    decisions = {d.party_id: d for d in Decision.objects.filter(case=case)}
    parties = []
    for p in case.parties.all().order_by("index"):
        d = decisions.get(p.pk)
        parties.append(
            PartyFacts(
                p.name,
                decided=d is not None,
                penalty=d is not None and d.outcome == Decision.Outcome.PENALTY,
                delivered=d is not None and d.delivered_on is not None,
                receipt_issued=p.pk in receipts,
                executed=d is not None and d.executed_on is not None,
            )
        )
    return completeness(
        CaseFacts(
            procedure=case.procedure,
            filed=bool(case.case_no) or case.procedure == Case.Procedure.SIMPLE,
            evidence=Evidence.objects.filter(case=case).count(),
            documents=tuple(docs),
            parties=tuple(parties),
            record_intact=record_intact
            if record_intact is not None
            else not ledger_verify(stream=case.stream),
        )
    )
