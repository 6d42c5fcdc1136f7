"""Downloads behind the case access function, and the public verification page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Case
from cases.tests.flow import advance, register
from documents.models import Document
from documents.tests.helpers import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def _pdf_url(case: Case, kind: str = "penalty_notice", party: int | str | None = 0) -> str:
    url = reverse("documents:pdf", args=[case.pk, kind])
    return f"{url}?party={party}" if party is not None else url


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_handler_downloads_the_notice_as_pdf_and_docx(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    response = client.get(_pdf_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = _content(response)
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1
    assert "行政处罚事先告知书" in pdf_text(content)
    response = client.get(reverse("documents:docx", args=[case.pk, "penalty_notice"]) + "?party=0")
    assert response.status_code == 200
    assert "行政处罚事先告知书" in docx_text(_content(response))
    # The second download returns the stored document, not a new one.
    assert Document.objects.filter(case=case).count() == 1
    assert _content(client.get(_pdf_url(case))) == content


def test_the_case_documents_page_lists_what_the_case_can_produce(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.chief)
    page = client.get(reverse("documents:list", args=[case.pk])).content.decode()
    for title in [
        "立案审批表",
        "询问笔录",
        "案件调查终结报告",
        "法制审核意见书",
        "行政处罚事先告知书",
    ]:
        assert title in page
    assert "行政处罚决定书" not in page
    assert _pdf_url(case).replace("&", "&amp;") in page


def test_the_city_supervisor_may_download(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.supervisor)
    assert client.get(_pdf_url(case)).status_code == 200
    assert client.get(reverse("documents:list", args=[case.pk])).status_code == 200


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "county_supervisor"])
def test_an_officer_of_another_agency_or_another_subtree_gets_404(client, org, who):
    case = advance(org, register(org), until="notice_response")
    client.force_login(getattr(org, who))
    assert client.get(_pdf_url(case)).status_code == 404
    assert client.get(reverse("documents:docx", args=[case.pk, "filing_form"])).status_code == 404
    assert client.get(reverse("documents:list", args=[case.pk])).status_code == 404
    assert not Document.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, org):
    case = advance(org, register(org), until="notice_response")
    response = client.get(_pdf_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_document_not_yet_produced_is_404(client, org):
    case = advance(org, register(org), until="notice_issue")
    client.force_login(org.handler)
    assert client.get(_pdf_url(case)).status_code == 404
    assert client.get(_pdf_url(case, kind="nonsense")).status_code == 404
    assert client.get(_pdf_url(case, party="x")).status_code == 404


def _issued(client: Any, org: Any) -> Document:
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    client.get(_pdf_url(case))
    client.logout()
    return Document.objects.get(case=case)


def test_the_verification_page_confirms_a_document_without_showing_the_party(client, org):
    doc = _issued(client, org)
    page = client.get(reverse("documents:verify", args=[doc.code])).content.decode()
    assert "一致" in page and "不一致" not in page
    for field in [
        "行政处罚事先告知书",
        "聊城管罚告〔2025〕1号",
        "聊城市城市管理局",
        "2025年3月3日",
    ]:
        assert field in page
    assert "聊城市某某商贸有限公司" not in page
    assert "聊城*******公司" in page
    assert "91350100M000100Y43" not in page
    assert "事先告知" in page  # the step whose record entry it renders


def test_a_tampered_file_is_reported_as_inconsistent(client, org):
    doc = _issued(client, org)
    path = doc.pdf.path
    with open(path, "r+b") as fh:
        fh.seek(200)
        fh.write(b"X")
    page = client.get(reverse("documents:verify", args=[doc.code])).content.decode()
    assert "不一致" in page
    assert "SM3" in page


def test_an_unknown_code_is_404(client, org):
    assert client.get(reverse("documents:verify", args=["NOSUCHCODE"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("张三", "张*"),
        ("欧阳小明", "欧**明"),
        ("聊城市某某商贸有限公司", "聊城*******公司"),
        ("李", "*"),
    ],
)
def test_the_public_sees_only_a_masked_name(name, shown):
    from documents.content import masked

    assert masked(name) == shown
