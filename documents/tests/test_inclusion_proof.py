"""The public verification page shows that the document's case record is in a signed
checkpoint: the inclusion proof of the stream's head, also as JSON for scripts/verify_proof.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cases.tests.flow import advance, register
from documents.models import Document
from ledger import chain
from ledger.models import Entry
from ledger.services import ledger_checkpoint

pytestmark = pytest.mark.django_db


def _issued(client: Any, org: Any) -> Document:
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    client.post(reverse("documents:issue", args=[case.pk, "penalty_notice"]), {"party": 0})
    client.logout()
    return Document.objects.get(case=case)


def test_after_a_checkpoint_the_page_shows_the_proof_that_covers_the_issue(client, org):
    doc = _issued(client, org)
    register(org)  # another stream, so the proof has a sibling
    cp = ledger_checkpoint()
    page = client.get(reverse("documents:verify", args=[doc.code])).content.decode()
    assert "该文书的生成记录已纳入平台签名的检查点" in page
    assert f"第{cp.pk}号检查点" in page
    assert cp.merkle_root in page and cp.signature in page
    proof = client.get(reverse("documents:verify_proof", args=[doc.code])).json()
    head = proof["head"]
    issue = Entry.objects.get(stream=doc.case.stream, action="document_issue")
    assert head["stream"] == doc.case.stream and head["seq"] >= issue.seq
    assert chain.merkle_check(
        (head["stream"], head["seq"], head["hash"]), proof["path"], cp.merkle_root
    )
    assert len(proof["path"]) == 1


def test_a_document_issued_after_the_last_checkpoint_is_said_not_yet_covered(client, org):
    case = advance(org, register(org), until="notice_response")
    ledger_checkpoint()
    client.force_login(org.handler)
    client.post(reverse("documents:issue", args=[case.pk, "penalty_notice"]), {"party": 0})
    client.logout()
    doc = Document.objects.get(case=case)
    page = client.get(reverse("documents:verify", args=[doc.code])).content.decode()
    assert "该文书的生成记录尚未纳入已签名的检查点（下一个检查点生成后纳入）" in page


def test_before_any_checkpoint_the_page_says_so_and_there_is_no_proof(client, org):
    doc = _issued(client, org)
    page = client.get(reverse("documents:verify", args=[doc.code])).content.decode()
    assert "该文书的办案记录尚未纳入已签名的检查点（平台定期生成检查点）" in page
    assert client.get(reverse("documents:verify_proof", args=[doc.code])).status_code == 404


def test_the_proof_of_an_unknown_code_is_404(client):
    assert client.get(reverse("documents:verify_proof", args=["NOPE"])).status_code == 404
