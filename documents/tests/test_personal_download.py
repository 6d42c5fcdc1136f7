"""A 文书 or the 卷宗 printing a person's whole ID number is an unmasked view (law.personal): its
GET answers a page saying so and writes nothing; the POST by a reader the rule allows logs one
`pii_document_download` access and streams the file; a document naming no person downloads on
GET as before, logging nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from administration.selectors import audit_entries
from cases.models import Case
from cases.tests.flow import PERSON_ID, advance, register
from documents.dossier_services import dossier_assemble
from documents.models import Document, Dossier
from documents.services import document_issue, download_access_record
from ledger.models import Entry
from orgs.services import user_upsert
from personal.tests.test_party_numbers import audit_admin
from procedure.engine import Refused
from procedure.roles import Role
from web.tests.test_reads import no_write
from zhifa import crypto

pytestmark = pytest.mark.django_db
NOTICE = "此文书载明当事人完整身份证号码，下载将记入个人信息访问日志"
REFUSED = "您的角色只能查看遮蔽后的当事人证件号码，不能下载载明完整身份证号码的文书"


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path):
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "sm4.key"
    crypto.forget()
    yield
    crypto.forget()


@pytest.fixture
def person_case(org: Any) -> Case:
    case = register(
        org, parties=[{"kind": "person", "name": "李四", "id_number": PERSON_ID, "address": "某地"}]
    )
    return advance(org, case, until="investigation")


@pytest.fixture
def doc(org: Any, person_case: Case) -> Document:
    return document_issue(
        case_id=person_case.pk, kind="filing_form", party_index=None, actor=org.handler
    )


def _url(doc: Document, ext: str = "pdf") -> str:
    return reverse(f"documents:{ext}", args=[doc.case_id, doc.kind])


def _downloads() -> list[Entry]:
    return list(Entry.objects.filter(stream="pii:access", action="pii_document_download"))


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _client(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_a_get_of_a_person_s_document_writes_nothing_and_answers_the_form(org, doc):
    client = _client(org.handler)
    for ext in ("pdf", "docx"):
        with no_write():
            response = client.get(_url(doc, ext))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert NOTICE in page and "《立案审批表》" in page and doc.number in page
        assert f'action="{_url(doc, ext)}"' in page and "csrfmiddlewaretoken" in page
        assert ">下载</button>" in page
        assert PERSON_ID not in page
    assert _downloads() == []


def test_the_handler_s_post_streams_the_issued_bytes_and_the_auditor_sees_the_entry(org, doc):
    response = _client(org.handler, csrf=True).get(_url(doc))
    token = response.cookies["csrftoken"].value
    client = _client(org.handler, csrf=True)
    client.cookies["csrftoken"] = token
    response = client.post(_url(doc), {"csrfmiddlewaretoken": token})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(_content(response)).hexdigest() == doc.sha256
    (entry,) = _downloads()
    assert entry.actor_id == org.handler.pk and entry.role == "handler"
    assert entry.payload["record"] == f"case:{doc.case_id}/document:{doc.code}"
    assert entry.payload["reason"] == "承办" and entry.payload["fields"] == ["id_number"]
    assert entry.payload["parties"] == [0] and entry.payload["file"] == "pdf"
    auditor = audit_admin(org)
    seen = audit_entries(auditor, stream="pii:access", actor="handler")
    assert [e.action for e in seen] == ["pii_document_download", "pii_document"]
    assert entry.pk in [e.pk for e in seen]
    page = _client(auditor).get("/sanyuan/audit/?stream=pii:access").content.decode()
    assert "下载载明完整个人信息的文书" in page


def test_the_post_keeps_inline_for_the_pdf_preview_and_serves_the_docx_too(org, doc):
    client = _client(org.co_handler)
    response = client.post(_url(doc) + "?inline=1")
    assert response.status_code == 200 and "inline" in response["Content-Disposition"]
    assert hashlib.sha256(_content(response)).hexdigest() == doc.sha256
    response = client.post(_url(doc, "docx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _content(response) == doc.docx.read()
    assert [e.payload["file"] for e in _downloads()] == ["pdf", "docx"]


def test_the_post_needs_the_csrf_token_and_logs_nothing_without_it(org, doc):
    response = _client(org.handler, csrf=True).post(_url(doc))
    assert response.status_code == 403 and _downloads() == []


def test_an_approver_of_the_unit_needs_a_reason_and_is_logged_with_it(org, doc):
    client = _client(org.chief)
    page = client.get(_url(doc)).content.decode()
    assert 'name="reason"' in page
    refused = client.post(_url(doc), {"reason": "  "})
    assert refused.status_code == 422 and "请填写下载事由" in refused.content.decode()
    assert client.post(_url(doc), {"reason": "核对\x00"}).status_code == 422
    too_long = client.post(_url(doc), {"reason": "查" * 201})
    assert too_long.status_code == 422 and "事由不能超过200字" in too_long.content.decode()
    assert _downloads() == []
    response = client.post(_url(doc), {"reason": "复核送达文书"})
    assert hashlib.sha256(_content(response)).hexdigest() == doc.sha256
    (entry,) = _downloads()
    assert entry.actor_id == org.chief.pk and entry.payload["reason"] == "复核送达文书"


def test_the_supervisor_opens_a_person_s_document_only_with_a_reason_and_it_is_logged(org, doc):
    # 行政执法监督条例 Art. 22: 调阅 a case file is a supervisor's measure, logged.
    client = _client(org.supervisor)
    assert client.get(reverse("documents:list", args=[doc.case_id])).status_code == 200
    page = client.get(_url(doc)).content.decode()
    assert NOTICE in page and 'name="reason"' in page
    response = client.post(_url(doc), {"reason": ""})
    assert response.status_code == 422 and "请填写下载事由" in response.content.decode()
    assert _downloads() == []
    response = client.post(_url(doc), {"reason": "案卷评查调阅"})
    assert hashlib.sha256(_content(response)).hexdigest() == doc.sha256
    (entry,) = _downloads()
    assert entry.actor_id == org.supervisor.pk and entry.payload["reason"] == "案卷评查调阅"


def test_a_reader_who_may_only_see_numbers_masked_is_refused_by_its_reason_and_nothing_logged(
    org, doc
):
    # A colleague of the case's unit in no approving role (a 交警审核员), with a reason.
    colleague = user_upsert(
        username="cgj-traffic",
        full_name="cgj-traffic",
        unit=org.cgj,
        roles=[Role.TRAFFIC_REVIEWER],
        password_hash="!",
    )
    case = Case.objects.get(pk=doc.case_id)
    with pytest.raises(Refused) as refused:
        download_access_record(
            actor=colleague,
            case=case,
            record=f"case:{case.pk}/document:{doc.code}",
            what=doc.title,
            persons=[0],
            reason="查看",
            file="pdf",
        )
    assert refused.value.errors[0].startswith(REFUSED)
    assert _downloads() == []


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "county_supervisor"])
def test_a_reader_outside_the_case_gets_404_on_get_and_post_and_nothing_is_logged(org, doc, who):
    client = _client(getattr(org, who))
    for ext in ("pdf", "docx"):
        assert client.get(_url(doc, ext)).status_code == 404
        assert client.post(_url(doc, ext), {"reason": "查看"}).status_code == 404
    assert client.post(reverse("documents:dossier", args=[doc.case_id])).status_code == 404
    assert _downloads() == []


def test_an_organisation_s_document_downloads_on_get_with_no_entry(org):
    case = advance(org, register(org), until="investigation")
    doc = document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    client = _client(org.supervisor)
    with no_write():
        response = client.get(_url(doc))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(_content(response)).hexdigest() == doc.sha256
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_the_dossier_of_a_person_s_case_is_the_same_get_form_then_logged_post(org, doc):
    dossier: Dossier = dossier_assemble(case_id=doc.case_id, actor=org.handler)
    url = reverse("documents:dossier", args=[doc.case_id])
    client = _client(org.handler)
    with no_write():
        page = client.get(url)
    assert page.status_code == 200 and NOTICE in page.content.decode()
    assert f"卷宗第{dossier.version}版" in page.content.decode()
    assert _downloads() == []
    unexplained = _client(org.supervisor).post(url)
    assert unexplained.status_code == 422 and "请填写下载事由" in unexplained.content.decode()
    assert _downloads() == []
    response = client.post(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(_content(response)).hexdigest() == dossier.sha256
    (entry,) = _downloads()
    assert entry.payload["record"] == f"case:{doc.case_id}/dossier:{dossier.version}"
    assert entry.payload["reason"] == "承办" and entry.payload["parties"] == [0]


def test_the_dossier_of_an_organisation_s_case_downloads_on_get_with_no_entry(org):
    case = advance(org, register(org), until="investigation")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    dossier = dossier_assemble(case_id=case.pk, actor=org.handler)
    client = _client(org.supervisor)
    with no_write():
        response = client.get(reverse("documents:dossier", args=[case.pk]))
    assert hashlib.sha256(_content(response)).hexdigest() == dossier.sha256
    assert not Entry.objects.filter(stream="pii:access", action="pii_document_download").exists()
