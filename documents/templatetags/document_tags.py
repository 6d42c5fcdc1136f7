"""The documents of each coercive measure on the case page, read in one go for the whole page:

    {% load document_tags %}{% measure_documents case as measure_docs %}
    {% with docs=measure_docs|for_measure:m.id %}…{% endwith %}

A GET never issues: the rows carry the download addresses of what is issued and, for the officers
of the case's unit, the address of the POST that issues the rest."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from cases.models import Case
from documents.selectors import (
    Available,
    CaseDocuments,
    enforcement_documents_available,
    may_issue,
    measure_documents_available,
)
from orgs.models import User

register = template.Library()


def _rows(
    case: Case, key: str, by_subject: dict[int, list[Available]], can_issue: bool
) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for subject_id, rows in by_subject.items():
        out[subject_id] = []
        for a in rows:
            code = a.kind.code
            query = f"?{key}={subject_id}"
            out[subject_id].append(
                {
                    "kind": code,
                    "title": a.title,
                    "key": key,
                    key: subject_id,
                    "subject": subject_id,
                    "number": a.latest.number if a.latest is not None else "",
                    "pdf": reverse("documents:pdf", args=[case.pk, code]) + query
                    if a.latest is not None
                    else "",
                    "docx": reverse("documents:docx", args=[case.pk, code]) + query
                    if a.latest is not None
                    else "",
                    "changed": a.issued is None and a.latest is not None,
                    "issue": reverse("documents:issue", args=[case.pk, code])
                    if a.issued is None and can_issue
                    else "",
                }
            )
    return out


def _read(context: template.Context) -> CaseDocuments | None:
    """The case's documents as the page's view read them (documents.selectors.case_documents),
    when it did: the sections then share one read."""
    docs = context.get("case_documents")
    return docs if isinstance(docs, CaseDocuments) else None


@register.simple_tag(takes_context=True)
def measure_documents(context: template.Context, case: Case) -> dict[int, list[dict[str, Any]]]:
    user = context.get("user")
    if not isinstance(user, User):
        return {}
    docs = _read(context)
    by_measure = docs.measures if docs is not None else measure_documents_available(case)
    return _rows(case, "measure", by_measure, may_issue(user, case))


@register.simple_tag(takes_context=True)
def enforcement_documents(context: template.Context, case: Case) -> dict[int, list[dict[str, Any]]]:
    """The documents of each enforcement record of the case (催告书, 强制执行决定书, 代履行决定书,
    申请书…), as ``measure_documents`` does for the measures:

        {% enforcement_documents case as enf_docs %}
        {% include "documents/_enforcement_documents.html" with docs=enf_docs|for_measure:r.id %}
    """
    user = context.get("user")
    if not isinstance(user, User):
        return {}
    docs = _read(context)
    by_record = docs.enforcement if docs is not None else enforcement_documents_available(case)
    return _rows(case, "enforcement", by_record, may_issue(user, case))


@register.filter
def for_measure(docs: dict[int, list[dict[str, Any]]], measure_id: int) -> list[dict[str, Any]]:
    return docs.get(int(measure_id), [])


@register.simple_tag(takes_context=True)
def case_dossier(context: template.Context, case: Case) -> dict[str, Any]:
    """The case page's 卷宗 section: the stored file (if any), whether the user may assemble it,
    and what the file still lacks before 结案 (reads only)."""
    from documents.dossier_selectors import case_completeness, dossier_latest
    from documents.dossier_services import may_assemble

    user = context.get("user")
    if not isinstance(user, User):
        return {}
    return {
        "latest": dossier_latest(case),
        "pdf": reverse("documents:dossier", args=[case.pk]),
        "assemble": reverse("documents:dossier-assemble", args=[case.pk])
        if may_assemble(user, case)
        else "",
        # A lead (案源) has no file yet: the check starts with 立案.
        # The case page has checked the record and read the documents already.
        "check": case_completeness(
            case, record_intact=context.get("verified"), documents=_read(context)
        )
        if case.status != Case.Status.LEAD
        else None,
    }
