"""The case's 卷宗: one PDF of cover, contents, the issued documents, evidence, record, 备考表."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Case
from cases.tests.flow import act, advance, register
from coercion.tests.test_services import in_force
from documents.dossier_services import dossier_assemble
from documents.models import Document, Dossier
from documents.selectors import documents_available, measure_documents_available
from documents.services import document_issue, documents_sweep
from ledger.models import Entry

pytestmark = pytest.mark.django_db


def _issue_all(org: Any, case: Case) -> list[Document]:
    for a in documents_available(case):
        document_issue(
            case_id=case.pk, kind=a.kind.code, party_index=a.party_index, actor=org.handler
        )
    for rows in measure_documents_available(case).values():
        for a in rows:
            if a.kind.code in {"measure_decision", "measure_list"}:
                document_issue(
                    case_id=case.pk,
                    kind=a.kind.code,
                    party_index=None,
                    actor=org.handler,
                    subject=a.subject,
                )
    return list(Document.objects.filter(case=case))


def _pages(content: bytes) -> list[str]:
    return [(p.extract_text() or "") for p in PdfReader(io.BytesIO(content)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _written() -> tuple[int, int, int]:
    return Dossier.objects.count(), Entry.objects.count(), Document.objects.count()


def _closed(org: Any) -> Case:
    case = advance(org, register(org), until="closing_approve")
    return act(org, case, "closing_approve")


def _assembled(org: Any, client: Any, case: Case) -> bytes:
    client.force_login(org.handler)
    response = client.post(reverse("documents:dossier-assemble", args=[case.pk]))
    assert response.status_code == 302
    return _content(client.get(reverse("documents:dossier", args=[case.pk])))


def _toc_row(toc: str, title: str, number: str) -> tuple[int, int]:
    """The first and last page the table of contents names for a row."""
    flat = re.sub(r"\s+", " ", toc)
    found = (
        re.search(re.escape(number) + r" \d{4}-\d{2}-\d{2} (\d+)(?:-(\d+))?", flat)
        if number
        else re.search(re.escape(title) + r" — \d{4}-\d{2}-\d{2} (\d+)(?:-(\d+))?", flat)
    )
    assert found is not None, (title, number, flat)
    first = int(found.group(1))
    return first, int(found.group(2) or first)


def test_the_file_lists_every_issued_document_at_the_page_where_it_really_starts(org, client):
    case = _closed(org)
    docs = _issue_all(org, case)
    assert len(docs) >= 8
    content = _assembled(org, client, case)
    pages = _pages(content)
    dossier = Dossier.objects.get(case=case)
    assert dossier.page_count == len(pages) and dossier.document_count == len(docs)
    assert dossier.sm3 == hashlib.new("sm3", content).hexdigest()
    assert dossier.sha256 == hashlib.sha256(content).hexdigest()
    cover, toc = pages[0], pages[1]
    for fragment in (
        "行 政 处 罚 案 卷",
        case.case_no,
        "聊城市某某商贸有限公司",
        "擅自设置户外广告设施",
    ):
        assert fragment in cover
    assert "保管期限 长期" in cover and f"共{len(pages)}页" in cover
    assert "立案日期 2025-03-03" in cover and "结案日期 2025-03-03" in cover
    starts = []
    for d in docs:
        first, last = _toc_row(toc, d.title, d.number)
        # The document's own verification code is in the footer of each of its pages: it starts
        # on the page the contents name, not a page earlier, and ends where they say.
        assert d.code in _flat(pages[first - 1]) and d.code not in _flat(pages[first - 2])
        assert d.code in _flat(pages[last - 1])
        assert last == len(pages) or d.code not in _flat(pages[last])
        # The file's page number (页号) is stamped on the page.
        assert _flat(pages[first - 1]).endswith(str(first))
        starts.append((first, d.entry_seq))
    # In procedure order: the record entries the documents render come in order of the pages.
    assert [seq for _, seq in sorted(starts)] == sorted(seq for _, seq in starts)
    last_first, last_last = _toc_row(toc, "备考表", "")
    assert last_last == len(pages) == last_first
    assert "备考表" in pages[-1] and f"共{len(pages)}页" in _flat(pages[-1])
    assert "handler（聊城市城市管理局）" in pages[-1]


def test_the_bookmarks_are_the_parts_once_each_at_the_pages_the_contents_name(org, client):
    case = _closed(org)
    docs = _issue_all(org, case)
    content = _assembled(org, client, case)
    reader = PdfReader(io.BytesIO(content))
    outline = reader.outline
    # One flat list, no part's own headings carried in from its PDF.
    assert all(not isinstance(item, list) for item in outline)
    titles = [item.title for item in outline]
    assert titles[:2] == ["封面", "卷内目录"] and titles[-1] == "备考表"
    assert len(titles) == 2 + len(docs) + 3  # the documents, 证据清单, 全过程记录, 备考表
    toc = _pages(content)[1]
    firsts = sorted(_toc_row(toc, d.title, d.number)[0] for d in docs)
    marked = [reader.get_destination_page_number(item) for item in outline[2 : 2 + len(docs)]]
    assert [page + 1 for page in marked if page is not None] == firsts


def test_the_evidence_list_carries_every_fingerprint_and_the_record_reads_as_chinese(org, client):
    case = _closed(org)
    _issue_all(org, case)
    text = _flat("".join(_pages(_assembled(org, client, case))))
    for e in case.evidence.all():
        assert e.title in text and e.sha256 in text and e.sm3 in text
        assert f"{e.size:,}字节" in text
    for entry in Entry.objects.filter(stream=case.stream).exclude(action="dossier_assemble"):
        assert entry.hash in text
    for name in ("立案审批（批准立案）", "出具文书《立案审批表》", "结案审批（同意结案）"):
        assert name in text
    for code in ("filing_approve", "document_issue", "closing_approve", "handler（handler"):
        assert code not in text


def test_assembling_appends_its_fingerprints_to_the_record_by_its_chinese_name(org, client):
    case = _closed(org)
    _issue_all(org, case)
    _assembled(org, client, case)
    dossier = Dossier.objects.get(case=case)
    entry = Entry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert entry is not None and entry.action == "dossier_assemble"
    assert entry.payload["sm3"] == dossier.sm3 and entry.payload["pages"] == dossier.page_count
    assert entry.payload["version"] == 1 and entry.actor_id == org.handler.pk
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "组卷（生成卷宗）" in page and "卷宗第1版" in page
    assert "dossier_assemble" not in page


def test_a_second_assembly_is_a_new_version_and_keeps_the_first(org, client):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    first = dossier_assemble(case_id=case.pk, actor=org.handler)
    second = dossier_assemble(case_id=case.pk, actor=org.handler)
    assert (first.version, second.version) == (1, 2)
    assert Dossier.objects.filter(case=case).count() == 2
    # The second file's record holds the first assembly, by its Chinese name.
    with second.pdf.open("rb") as fh:
        assert "组卷（生成卷宗）" in _flat("".join(_pages(fh.read())))


def test_a_measure_s_documents_are_in_the_file(org, client):
    case = register(org)
    in_force(org, case)
    docs = _issue_all(org, case)
    assert {d.kind for d in docs} >= {"measure_decision", "measure_list"}
    content = _assembled(org, client, case)
    toc = _pages(content)[1]
    for d in docs:
        _toc_row(toc, d.title, d.number)


# --- refusals and scope ----------------------------------------------------------------------


def test_a_case_without_an_issued_document_is_refused_and_nothing_changes(org, client):
    case = advance(org, register(org), until="notice_response")
    assert documents_available(case)  # documents could be issued: the refusal is for none issued
    before = _written()
    client.force_login(org.handler)
    response = client.post(reverse("documents:dossier-assemble", args=[case.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "本案尚无已出具的文书，无法组卷" in page
    assert _written() == before


def test_a_supervisor_reads_the_stored_file_but_cannot_assemble_one(org, client):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    client.force_login(org.supervisor)
    url = reverse("documents:dossier", args=[case.pk])
    missing = client.get(url)
    assert missing.status_code == 404 and "卷宗尚未生成" in missing.content.decode()
    before = _written()
    response = client.post(reverse("documents:dossier-assemble", args=[case.pk]))
    assert "只有本案办案单位的执法人员可以组卷" in client.get(response["Location"]).content.decode()
    assert _written() == before
    dossier_assemble(case_id=case.pk, actor=org.handler)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert PdfReader(io.BytesIO(_content(response))).pages


def test_reading_the_file_writes_nothing(org, client):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    dossier_assemble(case_id=case.pk, actor=org.handler)
    client.force_login(org.handler)
    before = _written()
    assert client.get(reverse("documents:dossier", args=[case.pk])).status_code == 200
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("documents:dossier-assemble", args=[case.pk])).status_code == 405
    assert _written() == before


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "county_supervisor"])
def test_an_outsider_gets_404_for_the_file_and_its_assembly_and_nothing_is_written(
    org, client, who
):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    dossier_assemble(case_id=case.pk, actor=org.handler)
    client.force_login(getattr(org, who))
    before = _written()
    assert client.get(reverse("documents:dossier", args=[case.pk])).status_code == 404
    assert client.post(reverse("documents:dossier-assemble", args=[case.pk])).status_code == 404
    assert _written() == before


def test_an_anonymous_user_is_sent_to_the_login_and_nothing_is_written(org, client):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    before = _written()
    response = client.post(reverse("documents:dossier-assemble", args=[case.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert _written() == before


# --- the completeness check on the case page -------------------------------------------------


def test_the_case_page_lists_what_the_file_lacks_before_closing(org, client):
    case = advance(org, register(org), until="closing_approve")
    client.force_login(org.handler)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "结案归档前尚缺" in page
    assert "《行政处罚决定书（聊城市某某商贸有限公司）》尚未出具" in page
    assert "送达回证尚未出具" in page
    assert "生成卷宗" in page


def test_a_closed_case_with_every_document_issued_lacks_nothing(org, client):
    case = _closed(org)
    _issue_all(org, case)
    client.force_login(org.handler)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "归档材料齐全" in page and "结案归档前尚缺" not in page


def test_an_assembly_rolled_back_leaves_no_row_or_record_and_the_sweep_removes_its_file(org):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    kept = dossier_assemble(case_id=case.pk, actor=org.handler)
    before = _written()
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_assemble(case_id=case.pk, actor=org.handler)
        raise RuntimeError("the request failed after the assembly")
    assert _written() == before
    removed = [n for n in documents_sweep(older_than=dt.timedelta(0)) if "dossiers/" in n]
    assert len(removed) == 1 and kept.pdf.name not in removed
    assert kept.pdf.storage.exists(kept.pdf.name)


def test_a_lead_not_yet_filed_shows_no_completeness_check(org, client):
    case = register(org)
    client.force_login(org.handler)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'id="dossier"' in page
    assert "结案归档前尚缺" not in page and "归档材料齐全" not in page
