"""Downloading an issued 文书 over POST /api/cases/{id}/documents/{kind}/file, as the pages'
download: one printing a person's whole ID number logs a `pii_document_download` access first
(the case's officers without a reason, an approver or a supervisor with one, a refused reason
logging nothing and streaming nothing), one naming no person streams with no entry, one not
issued is 404 and so is a case out of scope."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from cases.models import Case
from cases.tests.flow import PERSON_ID, advance, register
from documents.dossier_services import dossier_assemble
from documents.models import Document, Dossier
from documents.services import document_issue
from ledger.models import Entry
from zhifa import crypto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path):
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "sm4.key"
    crypto.forget()
    yield
    crypto.forget()


@pytest.fixture
def doc(org: Any) -> Document:
    case = register(
        org, parties=[{"kind": "person", "name": "李四", "id_number": PERSON_ID, "address": "某地"}]
    )
    case = advance(org, case, until="investigation")
    return document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)


def _downloads() -> list[Entry]:
    return list(Entry.objects.filter(stream="pii:access", action="pii_document_download"))


def fetch(user: ApiUser, doc: Document, body: dict[str, Any]) -> Any:
    url = f"/api/cases/{doc.case_id}/documents/{doc.kind}/file"
    return user.client.post(url, json.dumps(body), content_type="application/json", **user.auth)


def _bytes(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_handler_downloads_a_persons_document_and_the_access_is_logged(org, doc):
    r = fetch(ApiUser(Client(), "handler"), doc, {})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert hashlib.sha256(_bytes(r)).hexdigest() == doc.sha256
    (entry,) = _downloads()
    assert entry.actor_id == org.handler.pk and entry.payload["file"] == "pdf"
    docx = fetch(ApiUser(Client(), "handler"), doc, {"format": "docx"})
    assert docx.status_code == 200 and "wordprocessingml" in docx["Content-Type"]


def test_an_approver_and_a_supervisor_need_a_reason_and_a_refused_one_logs_nothing(org, doc):
    chief = ApiUser(Client(), "chief")
    r = fetch(chief, doc, {"reason": "  "})
    assert r.status_code == 422 and r.json()["fields"] == {"reason": ["请填写下载事由"]}
    r = fetch(chief, doc, {"reason": "查" * 201})
    assert r.status_code == 422 and "事由不能超过200字" in r.json()["fields"]["reason"][0]
    assert _downloads() == []
    r = fetch(ApiUser(Client(), "supervisor"), doc, {"reason": "案卷评查调阅"})
    assert r.status_code == 200 and hashlib.sha256(_bytes(r)).hexdigest() == doc.sha256
    (entry,) = _downloads()
    assert entry.actor_id == org.supervisor.pk and entry.payload["reason"] == "案卷评查调阅"


@pytest.mark.parametrize("who", ["county-officer", "county-supervisor", "sysadmin"])
def test_a_reader_outside_the_case_gets_404_and_nothing_is_logged(org, doc, who):
    assert fetch(ApiUser(Client(), who), doc, {"reason": "查看"}).status_code == 404
    url = f"/api/cases/{doc.case_id}/documents/{doc.kind}/file"
    assert Client().post(url, "{}", content_type="application/json").status_code == 401
    assert _downloads() == []


def test_an_organisations_document_streams_with_no_entry_and_one_not_issued_is_404(org):
    case: Case = advance(org, register(org), until="investigation")
    handler = ApiUser(Client(), "handler")
    url = f"/api/cases/{case.pk}/documents/filing_form/file"
    assert handler.post(url, {}).status_code == 404
    doc = document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    r = ApiUser(Client(), "supervisor").post(url, {})
    assert r.status_code == 200 and hashlib.sha256(_bytes(r)).hexdigest() == doc.sha256
    assert _downloads() == []


def test_a_persons_dossier_is_not_streamed_on_get_and_its_logged_post_asks_the_pages_reason(
    org, doc
):
    dossier_assemble(case_id=doc.case_id, actor=org.handler)
    url = f"/api/cases/{doc.case_id}/dossier/pdf"
    handler = ApiUser(Client(), "handler")
    r = handler.get(url)
    assert r.status_code == 403 and "POST" in r.json()["errors"][0]
    chief = ApiUser(Client(), "chief")
    r = chief.post(url, {"reason": ""})
    assert r.status_code == 422 and r.json()["fields"] == {"reason": ["请填写下载事由"]}
    assert _downloads() == []
    r = handler.post(url, {})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert hashlib.sha256(_bytes(r)).hexdigest() == Dossier.objects.get().sha256
    (entry,) = _downloads()
    assert entry.actor_id == org.handler.pk and entry.payload["document"] == "卷宗第1版"
    assert ApiUser(Client(), "county-officer").post(url, {"reason": "x"}).status_code == 404
    assert len(_downloads()) == 1
