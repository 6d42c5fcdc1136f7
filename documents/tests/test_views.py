"""Downloads behind the case access function, and the public verification page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Case
from cases.tests.flow import act, advance, register
from documents.models import Document
from documents.tests.helpers import docx_text, pdf_text
from ledger.models import Entry

pytestmark = pytest.mark.django_db


def _pdf_url(case: Case, kind: str = "penalty_notice", party: int | str | None = 0) -> str:
    url = reverse("documents:pdf", args=[case.pk, kind])
    return f"{url}?party={party}" if party is not None else url


def _issue(client: Any, case: Case, kind: str = "penalty_notice", party: int | None = 0) -> Any:
    """POST the form of the documents page that issues the document (the downloads only read)."""
    data = {"party": party} if party is not None else {}
    return client.post(reverse("documents:issue", args=[case.pk, kind]), data)


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_handler_downloads_the_notice_as_pdf_and_docx(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    _issue(client, case)
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
    _issue(client, case)
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
    client.force_login(org.handler)
    _issue(client, case)
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
    _issue(client, case)
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


# --- a GET never writes: issuing is a POST, the downloads only read -----------------------------

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(queries: CaptureQueriesContext) -> list[str]:
    assert queries.captured_queries  # the reads were captured: an empty list proves nothing
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


def _issues(case: Case) -> int:
    return Entry.objects.filter(stream=case.stream, action="document_issue").count()


def test_a_get_of_either_download_issues_nothing(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    _issue(client, case)
    doc = Document.objects.get(case=case)
    with CaptureQueriesContext(connection) as queries:
        pdf = client.get(_pdf_url(case))
        docx = client.get(reverse("documents:docx", args=[case.pk, "penalty_notice"]) + "?party=0")
        assert (pdf.status_code, docx.status_code) == (200, 200)
        assert _content(pdf) == doc.pdf.read() and _content(docx)
        # Nor does one of a document the case produced but nobody issued yet.
        assert (
            client.get(_pdf_url(case, kind="legal_review_opinion", party=None)).status_code == 404
        )
    assert _writes(queries) == []
    assert Document.objects.filter(case=case).count() == 1 and _issues(case) == 1


def test_a_get_of_an_unissued_document_is_a_404_saying_it_is_not_yet_issued(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    for url in (
        _pdf_url(case),
        reverse("documents:docx", args=[case.pk, "filing_form"]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "尚未出具" in response.content.decode()
    assert not Document.objects.exists() and _issues(case) == 0


def test_the_post_issues_the_document_with_its_ledger_entry_once(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    response = _issue(client, case)
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:list", args=[case.pk])
    doc = Document.objects.get(case=case)
    assert (doc.kind, doc.party.index, doc.number) == ("penalty_notice", 0, "聊城管罚告〔2025〕1号")
    entry = Entry.objects.get(stream=case.stream, action="document_issue")
    assert entry.payload["code"] == doc.code and entry.actor_id == org.handler.pk
    page = client.get(response["Location"]).content.decode()
    assert "已出具《行政处罚事先告知书》" in page and doc.number in page
    # Posting again (a second click) returns the issued document: nothing new is numbered.
    _issue(client, case)
    assert Document.objects.filter(case=case).count() == 1 and _issues(case) == 1


def test_the_post_through_htmx_reloads_the_page_it_came_from(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    response = client.post(
        reverse("documents:issue", args=[case.pk, "filing_form"]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert Document.objects.get(case=case).kind == "filing_form"


def test_the_post_needs_the_csrf_token(org):
    case = advance(org, register(org), until="notice_response")
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.handler)
    assert _issue(client, case).status_code == 403
    assert not Document.objects.exists() and _issues(case) == 0


def test_a_get_of_the_issue_address_is_refused(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    response = client.get(reverse("documents:issue", args=[case.pk, "filing_form"]))
    assert response.status_code == 405
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["handler", "co_handler", "chief", "legal"])
def test_an_officer_of_the_cases_unit_issues(client, org, who):
    case = advance(org, register(org), until="notice_response")
    client.force_login(getattr(org, who))
    _issue(client, case)
    assert Document.objects.get(case=case).issued_by == getattr(org, who)
    assert _issues(case) == 1


def test_a_supervisor_of_another_unit_reads_the_documents_but_issues_none(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.supervisor)
    listing = client.get(reverse("documents:list", args=[case.pk])).content.decode()
    assert "行政处罚事先告知书" in listing
    assert reverse("documents:issue", args=[case.pk, "penalty_notice"]) not in listing
    response = _issue(client, case)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "只有本案办案单位的执法人员可以出具文书" in page
    assert not Document.objects.exists() and _issues(case) == 0


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "county_supervisor"])
def test_an_outsider_posting_the_issue_gets_404_and_nothing_is_issued(client, org, who):
    case = advance(org, register(org), until="notice_response")
    client.force_login(getattr(org, who))
    assert _issue(client, case).status_code == 404
    assert _issue(client, case, kind="filing_form", party=None).status_code == 404
    assert not Document.objects.exists() and _issues(case) == 0


def test_an_anonymous_post_is_sent_to_the_login_page_and_issues_nothing(client, org):
    case = advance(org, register(org), until="notice_response")
    response = _issue(client, case)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Document.objects.exists()


def test_a_document_not_yet_produced_cannot_be_issued(client, org):
    case = advance(org, register(org), until="notice_issue")
    client.force_login(org.handler)
    assert _issue(client, case).status_code == 404
    assert _issue(client, case, kind="nonsense").status_code == 404
    assert _issue(client, case, party="x").status_code == 404
    assert not Document.objects.exists()


def test_the_page_offers_to_issue_what_is_not_issued_and_links_what_is(client, org):
    case = advance(org, register(org), until="notice_response")
    client.force_login(org.handler)
    listing = reverse("documents:list", args=[case.pk])
    issue = reverse("documents:issue", args=[case.pk, "penalty_notice"])
    page = client.get(listing).content.decode()
    assert f'action="{issue}"' in page and 'name="party" value="0"' in page
    assert _pdf_url(case) not in page.replace("&amp;", "&")
    _issue(client, case)
    page = client.get(listing).content.decode()
    assert f'action="{issue}"' not in page
    assert _pdf_url(case) in page.replace("&amp;", "&")


def test_after_a_redone_step_the_download_serves_the_issued_version_until_the_new_is_issued(
    client, org
):
    case = advance(org, register(org), until="investigation_review")
    client.force_login(org.handler)
    _issue(client, case, kind="investigation_report", party=None)
    old = Document.objects.get(case=case)
    case = act(org, case, "investigation_review", decision="return", opinion="补充现场照片")
    case = act(org, case, "investigation")
    case = act(org, case, "investigation_report", facts="补充调查后认定当事人擅自设置广告牌两块")
    url = _pdf_url(case, kind="investigation_report", party=None)
    page = client.get(reverse("documents:list", args=[case.pk])).content.decode()
    assert "内容已变更" in page and "出具新版本" in page
    with CaptureQueriesContext(connection) as queries:
        assert _content(client.get(url)) == old.pdf.read()
    assert _writes(queries) == [] and _issues(case) == 1
    _issue(client, case, kind="investigation_report", party=None)
    new = Document.objects.get(case=case, version=2)
    assert _content(client.get(url)) == new.pdf.read() and _issues(case) == 2
