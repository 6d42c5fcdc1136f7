"""Issuing a case's documents over /api/cases/{case_id}/documents, as the documents page: the
list of what the case produces, the issue numbered once with its ledger entry, a refusal that
numbers nothing, 404 for a case out of scope or a document not produced, 401 to an outsider."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from cases.tests.flow import advance, register
from documents.models import Document
from ledger.models import Entry

pytestmark = pytest.mark.django_db


def issued(case: Any) -> tuple[int, int]:
    return (
        Document.objects.filter(case=case).count(),
        Entry.objects.filter(stream=case.stream, action="document_issue").count(),
    )


def test_the_handler_issues_the_notice_once_with_its_ledger_entry(org):
    case = advance(org, register(org), until="notice_response")
    handler = ApiUser(Client(), "handler")
    listed = handler.get(f"/api/cases/{case.pk}/documents").json()
    assert listed["may_issue"] is True
    notice = next(d for d in listed["documents"] if d["kind"] == "penalty_notice")
    assert (notice["party"], notice["issued"]) == (0, None)
    url = f"/api/cases/{case.pk}/documents/penalty_notice/issue"
    r = handler.post(url, {"party": 0})
    assert r.status_code == 200, r.content
    doc = Document.objects.get(case=case)
    assert (doc.kind, doc.party.index, doc.number) == ("penalty_notice", 0, "聊城管罚告〔2025〕1号")
    assert r.json()["number"] == doc.number and r.json()["code"] == doc.code
    entry = Entry.objects.get(stream=case.stream, action="document_issue")
    assert entry.payload["code"] == doc.code and entry.actor_id == org.handler.pk
    # Posting again returns the issued document: nothing new is numbered.
    assert handler.post(url, {"party": 0}).json()["code"] == doc.code
    assert issued(case) == (1, 1)
    listed = handler.get(f"/api/cases/{case.pk}/documents").json()
    notice = next(d for d in listed["documents"] if d["kind"] == "penalty_notice")
    assert notice["issued"]["number"] == doc.number


def test_a_document_not_produced_or_a_bad_subject_is_404_and_numbers_nothing(org):
    case = advance(org, register(org), until="notice_issue")
    handler = ApiUser(Client(), "handler")
    base = f"/api/cases/{case.pk}/documents"
    assert handler.post(base + "/penalty_notice/issue", {"party": 0}).status_code == 404
    assert handler.post(base + "/nonsense/issue", {}).status_code == 404
    assert handler.post(base + "/filing_form/issue", {"measure": 999999}).status_code == 404
    r = handler.post(base + "/filing_form/issue", {"measure": 1, "enforcement": 1})
    assert r.status_code == 422 and set(r.json()["fields"]) == {"enforcement"}
    assert handler.post(base + "/filing_form/issue", {"party": -1}).status_code == 422
    assert issued(case) == (0, 0)


def test_a_supervisor_reads_the_list_but_may_not_issue(org):
    case = advance(org, register(org), until="notice_response")
    supervisor = ApiUser(Client(), "supervisor")
    assert supervisor.get(f"/api/cases/{case.pk}/documents").json()["may_issue"] is False
    r = supervisor.post(f"/api/cases/{case.pk}/documents/penalty_notice/issue", {"party": 0})
    assert r.status_code == 422 and "办案单位的执法人员" in r.json()["errors"][0]
    assert issued(case) == (0, 0)


@pytest.mark.parametrize("who", ["county-officer", "sysadmin"])
def test_a_case_out_of_scope_is_404_and_an_outsider_gets_401(org, who):
    case = advance(org, register(org), until="notice_response")
    client = ApiUser(Client(), who)
    url = f"/api/cases/{case.pk}/documents"
    assert client.get(url).status_code == 404
    assert client.post(url + "/penalty_notice/issue", {"party": 0}).status_code == 404
    r = Client().post(url + "/penalty_notice/issue", {"party": 0}, content_type="application/json")
    assert r.status_code == 401
    assert issued(case) == (0, 0)


def test_the_openapi_document_lists_the_issue_with_its_4xx_answers():
    doc = Client().get("/api/openapi.json").json()
    issue = doc["paths"]["/api/cases/{case_id}/documents/{kind}/issue"]["post"]
    assert {"401", "403", "404", "422"} <= set(issue["responses"])
    assert {"401", "404"} <= set(doc["paths"]["/api/cases/{case_id}/documents"]["get"]["responses"])
    file = doc["paths"]["/api/cases/{case_id}/documents/{kind}/file"]["post"]["responses"]
    assert {"401", "403", "404", "422"} <= set(file) and "application/pdf" in file["200"]["content"]
