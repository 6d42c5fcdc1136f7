"""The document set of the general and simple procedures, read back from the PDF and DOCX."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from cases.models import Case
from cases.services.steps import case_act, case_register
from cases.tests.flow import PERSON_ID, act, add_evidence, advance, register
from documents.models import Document, DocumentCounter
from documents.selectors import documents_available
from documents.services import document_issue, documents_sweep
from documents.tests.helpers import (
    closed_case,
    docx_text,
    embedded_cjk,
    hearing_case,
    pdf_fonts,
    pdf_footers,
    pdf_text,
)
from ledger.models import Entry
from ledger.services import ledger_verify
from orgs.models import User
from procedure.engine import Refused
from zhifa import clock

pytestmark = pytest.mark.django_db

REMEDIES = [
    "可以自收到本决定书之日起六十日内依法申请行政复议（《行政复议法》第二十条第一款）",
    "可以自收到本决定书之日起六个月内依法向人民法院提起行政诉讼（《行政诉讼法》第四十六条第一款）",
    "复议机关为聊城市人民政府",
]

# The fields each document must state, in Chinese, exactly as extracted from the PDF.
EXPECTED: dict[str, list[str]] = {
    "filing_form": [
        "立案审批表",
        "聊城管罚立〔2025〕1号",
        "聊城市某某商贸有限公司",
        "91350100M000100Y43",
        "巡查发现",
        "同意立案",
        "批准立案",
    ],
    "inquiry_record": [
        "询问笔录",
        "聊城管罚询〔2025〕1号",
        "当事人承认未经批准设置",
        "C-cohandler",
    ],
    "inspection_record": ["现场检查（勘验）笔录", "聊城管罚勘〔2025〕1号", "现场发现广告牌一块"],
    "investigation_report": [
        "案件调查终结报告",
        "当事人未经批准擅自设置大型户外广告设施",
        "罚款人民币伍仟元整（¥5000.00）",
        "广告牌现场照片",
    ],
    "legal_review_opinion": ["法制审核意见书", "第五十八条", "主体合法，事实清楚，适用依据正确"],
    "penalty_notice": [
        "行政处罚事先告知书",
        "聊城管罚告〔2025〕1号",
        "罚款人民币伍仟元整（¥5000.00）",
        "第四十四条",
        "陈述、申辩的权利",
        "2025年3月10日前",
        "本告知书送达日期：2025年3月3日",
    ],
    "decision": [
        "行政处罚决定书",
        "聊城管罚决〔2025〕1号",
        "当事人：聊城市某某商贸有限公司",
        "统一社会信用代码：91350100M000100Y43",
        "法定代表人（负责人）：张某",
        "住所：聊城市东昌府区柳园路1号",
        "经查，当事人擅自设置大型户外广告设施",
        "广告牌现场照片",
        "依据条例第三十六条的规定",
        "罚款人民币伍仟元整（¥5000.00）",
        "十五日内",
        "指定银行",
        "第六十七条",
        "缴款期限至2025年3月18日",
        *REMEDIES,
        "聊城市城市管理局",
        "2025年3月3日",
        "（印章）",
    ],
    "delivery_receipt": [
        "送达回证",
        "《行政处罚决定书》（聊城管罚决〔2025〕1号）",
        "直接送达",
        "2025年3月3日",
    ],
    "closing_report": ["结案报告", "聊城管结〔2025〕1号", "给予处罚", "已缴纳罚没款", "同意结案"],
}


def _issue(
    org: Any, case: Case, kind: str, party: int | None = None, actor: User | None = None
) -> Document:
    return document_issue(case_id=case.pk, kind=kind, party_index=party, actor=actor or org.handler)


def test_a_closed_case_offers_the_whole_document_set_of_the_general_procedure(org):
    case = closed_case(org)
    kinds = [a.kind.code for a in documents_available(case)]
    assert kinds == list(EXPECTED)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_document_states_its_fields_in_chinese_with_an_embedded_cjk_font(org, kind):
    case = closed_case(org)
    party = 0 if kind in {"penalty_notice", "decision", "delivery_receipt"} else None
    doc = _issue(org, case, kind, party)
    content = doc.pdf.read()
    text = pdf_text(content)
    for field in EXPECTED[kind]:
        assert field in text, f"{kind}: {field}"
    footers = pdf_footers(content)
    assert len(footers) == len(PdfReader(io.BytesIO(content)).pages)  # on every page
    assert all(f"核验码：{doc.code}" in f for f in footers)
    assert all(f.endswith(f"/documents/verify/{doc.code}/") for f in footers)
    fonts = pdf_fonts(content)
    assert any("Noto-Serif-CJK-SC" in f for f in fonts), fonts
    # Every character is drawn with a Noto CJK font: no fallback to a font without the glyphs.
    assert all("Noto-Serif-CJK-SC" in f or "Noto-Sans-CJK-SC" in f for f in fonts), fonts
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert embedded_cjk(content)
    assert "\ufffd" not in text  # no missing glyph replaced
    word = docx_text(doc.docx.read())
    for field in EXPECTED[kind]:
        if field != "（印章）" or kind in {"decision", "penalty_notice"}:
            assert field in word, f"{kind} docx: {field}"


def test_the_decision_docx_carries_the_article_59_fields_and_the_qr_code(org):
    from docx import Document as Docx

    case = closed_case(org)
    doc = _issue(org, case, "decision", 0)
    content = doc.docx.read()
    word = Docx(io.BytesIO(content))
    assert len(word.inline_shapes) == 1  # the QR code
    text = docx_text(content)
    for field in EXPECTED["decision"]:
        assert field in text


def test_the_notice_states_the_hearing_right_with_its_five_working_day_window(org):
    case = hearing_case(org)
    doc = _issue(org, case, "penalty_notice", 0)
    text = pdf_text(doc.pdf.read())
    assert "第六十三条、第六十四条" in text
    assert "有权要求举行听证" in text
    # Served 2025-03-03 (Mon) + 5 working days (Art. 85) = 2025-03-10.
    assert "告知后五日内（“五日”为工作日，即于2025年3月10日前）提出" in text
    assert "《行政处罚法》第六十四条第一项" in text


def test_a_notice_without_the_hearing_right_does_not_offer_a_hearing(org):
    case = advance(org, register(org), until="notice_response")
    text = pdf_text(_issue(org, case, "penalty_notice", 0).pdf.read())
    assert "陈述、申辩的权利" in text
    assert "听证" not in text


def test_a_hearing_produces_its_notice_and_its_record(org):
    case = hearing_case(org)
    doc = _issue(org, case, "hearing_notice", 0)
    notice, word = pdf_text(doc.pdf.read()), docx_text(doc.docx.read())
    for field in [
        "听证通知书",
        "聊城管听通〔2025〕1号",
        "2025年3月17日",
        "legal",
        "申请回避",
        "公开举行",
    ]:
        assert field in notice and field in word, field
    doc = _issue(org, case, "hearing_record", 0)
    record, word = pdf_text(doc.pdf.read()), docx_text(doc.docx.read())
    for field in ["听证笔录", "当事人到场陈述申辩，称广告牌已自行拆除", "罚款人民币壹拾伍万元整"]:
        assert field in record and field in word, field


def test_a_no_penalty_decision_is_titled_and_reasoned_as_such(org):
    case = advance(org, register(org), until="decision_issue")
    decisions = [
        {
            "party": 0,
            "outcome": "no_penalty",
            "facts": "经查，当事人违法行为轻微并及时改正，没有造成危害后果",
            "basis": "《中华人民共和国行政处罚法》第三十三条第一款",
            "reason": "当事人已于当日自行拆除广告牌",
        }
    ]
    case = act(org, case, "decision_issue", decisions=decisions)
    [available] = [a for a in documents_available(case) if a.kind.code == "decision"]
    assert available.title == "不予行政处罚决定书"
    doc = _issue(org, case, "decision", 0)
    text = pdf_text(doc.pdf.read())
    for field in [
        "不予行政处罚决定书",
        "聊城管不罚决〔2025〕1号",
        "本机关决定对当事人不予行政处罚",
        "当事人已于当日自行拆除广告牌",
        *REMEDIES,
    ]:
        assert field in text
    assert doc.title == "不予行政处罚决定书"
    assert "不予行政处罚决定书" in docx_text(doc.docx.read())


def test_the_on_the_spot_decision_names_the_officers_and_their_certificates(org):
    case = case_register(
        actor=org.handler,
        procedure="simple",
        source="patrol",
        clue="当场发现",
        discovered_on=clock.today(),
        act_on=clock.today(),
        matter_code=org.matter.code,
        parties=[{"kind": "person", "name": "李四", "id_number": PERSON_ID, "address": "某地"}],
    )
    case = case_act(
        case_id=case.pk,
        actor=org.handler,
        step="simple_decide",
        decision="submit",
        data={
            "certificate_shown": True,
            "facts": "店外乱设广告牌",
            "basis": "条例第三十六条",
            "place": "柳园路",
            "penalties": [{"type": "fine", "amount": "100.00"}],
            "delivered_on_spot": True,
        },
    )
    doc = _issue(org, case, "on_spot_decision", 0)
    text = pdf_text(doc.pdf.read())
    for field in [
        "当场行政处罚决定书",
        "聊城管当罚决〔2025〕1号",
        "当事人：李四",
        f"公民身份号码：{PERSON_ID}",
        "店外乱设广告牌",
        "柳园路",
        "罚款人民币壹佰元整（¥100.00）",
        "handler（执法证号：C-handler）",
        *REMEDIES[:2],
        "聊城市城市管理局",
    ]:
        assert field in text, field
    word = docx_text(doc.docx.read())
    for field in ["当场行政处罚决定书", "handler（执法证号：C-handler）", "柳园路", REMEDIES[0]]:
        assert field in word, field


def test_documents_are_numbered_per_unit_kind_and_year(org):
    first = advance(org, register(org), until="notice_response")
    second = advance(org, register(org), until="notice_response")
    assert _issue(org, second, "penalty_notice", 0).number == "聊城管罚告〔2025〕1号"
    assert _issue(org, first, "penalty_notice", 0).number == "聊城管罚告〔2025〕2号"
    # Another series of the same unit starts at 1; the filing form carries the 立案 number.
    assert _issue(org, first, "legal_review_opinion").number == "聊城管法审〔2025〕1号"
    assert _issue(org, first, "filing_form").number == first.case_no


def test_issuing_again_returns_the_stored_document_and_records_it_once(org):
    case = advance(org, register(org), until="notice_response")
    doc = _issue(org, case, "penalty_notice", 0)
    again = _issue(org, case, "penalty_notice", 0, actor=org.chief)
    assert again.pk == doc.pk
    entries = Entry.objects.filter(stream=case.stream, action="document_issue")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.payload["code"] == doc.code
    assert entry.payload["sm3"] == doc.sm3
    assert entry.payload["entry_seq"] == doc.entry_seq
    assert ledger_verify(stream=case.stream) == []


def test_only_an_officer_of_the_cases_unit_issues_its_documents(org):
    case = advance(org, register(org), until="notice_response")
    for outsider in (org.supervisor, org.other_officer):
        with pytest.raises(Refused, match="只有本案办案单位的执法人员可以出具文书"):
            _issue(org, case, "penalty_notice", 0, actor=outsider)
    assert not Document.objects.exists()
    assert not Entry.objects.filter(stream=case.stream, action="document_issue").exists()


def test_a_redone_step_issues_a_new_version_and_keeps_the_old_one(org):
    case = advance(org, register(org), until="investigation_review")
    old = _issue(org, case, "investigation_report")
    case = act(org, case, "investigation_review", decision="return", opinion="补充现场照片")
    case = act(org, case, "investigation")
    case = act(org, case, "investigation_report", facts="补充调查后认定当事人擅自设置广告牌两块")
    new = _issue(org, case, "investigation_report")
    assert new.pk != old.pk and new.version == 2 and new.entry_seq > old.entry_seq
    assert "补充调查后认定当事人擅自设置广告牌两块" in pdf_text(new.pdf.read())
    assert Document.objects.filter(case=case, kind="investigation_report").count() == 2
    assert old.pdf.storage.exists(old.pdf.name)


def test_a_document_whose_step_is_not_done_is_not_available(org):
    from django.http import Http404

    case = advance(org, register(org), until="decision_issue")
    with pytest.raises(Http404):
        _issue(org, case, "decision", 0)
    with pytest.raises(Http404):
        _issue(org, case, "no_such_kind")


def test_an_administrator_replaces_the_docx_template_from_the_configured_directory(
    org, settings, tmp_path
):
    from docx import Document as Docx

    word = Docx()
    word.add_paragraph("{{ unit_name }}{{ title }}（本地模板）{{ number }}")
    word.add_paragraph("{{ party.name }}：{{ penalties }}")
    word.save(str(tmp_path / "decision.docx"))
    settings.DOCUMENT_TEMPLATE_DIR = str(tmp_path)
    case = closed_case(org)
    text = docx_text(_issue(org, case, "decision", 0).docx.read())
    assert "聊城市城市管理局行政处罚决定书（本地模板）聊城管罚决〔2025〕1号" in text
    assert "聊城市某某商贸有限公司：罚款人民币伍仟元整（¥5000.00）" in text


def test_a_project_template_directory_overrides_the_pdf_template(org, settings, tmp_path):
    override = tmp_path / "documents" / "pdf"
    override.mkdir(parents=True)
    (override / "penalty_notice.html").write_text(
        '{% extends "documents/pdf/base.html" %}'
        "{% block body %}<p>本地告知书模板：{{ party.name }}，{{ penalties }}</p>{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    case = advance(org, register(org), until="notice_response")
    text = pdf_text(_issue(org, case, "penalty_notice", 0).pdf.read())
    assert "本地告知书模板：聊城市某某商贸有限公司，罚款人民币伍仟元整（¥5000.00）" in text


def test_the_numbers_start_again_with_a_new_year(org):
    first = advance(org, register(org), until="notice_response")
    assert _issue(org, first, "penalty_notice", 0).number == "聊城管罚告〔2025〕1号"
    second = advance(org, register(org), until="notice_response")
    clock.set_now(dt.datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert _issue(org, second, "penalty_notice", 0).number == "聊城管罚告〔2026〕1号"
    assert DocumentCounter.objects.filter(unit=org.cgj, kind="penalty_notice").count() == 2


def test_an_inquiry_record_states_when_it_was_taken(org):
    case = advance(org, register(org), until="investigation")
    records = [
        {
            "kind": "inquiry",
            "title": "询问笔录",
            "place": "执法局询问室",
            "held_at": "2025-03-03T10:05:00+08:00",
            "officers": [org.handler.pk, org.co_handler.pk],
            "content": "问：广告牌是谁设置的？答：是我公司设置的。",
        }
    ]
    add_evidence(org, case)
    case = act(org, case, "investigation", records=records)
    text = pdf_text(_issue(org, case, "inquiry_record").pdf.read())
    assert "2025年3月3日10时05分" in text and "执法局询问室" in text
    assert "问：广告牌是谁设置的？答：是我公司设置的。" in text
    assert not [a for a in documents_available(case) if a.kind.code == "inspection_record"]


@pytest.mark.django_db(transaction=True)
def test_two_first_downloads_at_once_issue_one_document(org):
    import threading

    from django.db import connection

    case = advance(org, register(org), until="notice_response")
    issued: list[Document] = []
    errors: list[BaseException] = []

    def work(actor: User) -> None:
        try:
            issued.append(_issue(org, case, "penalty_notice", 0, actor=actor))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(u,)) for u in (org.handler, org.chief)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({d.pk for d in issued}) == 1
    assert Document.objects.filter(case=case).count() == 1
    assert Entry.objects.filter(stream=case.stream, action="document_issue").count() == 1
    assert DocumentCounter.objects.get(kind="penalty_notice").last == 1


def test_a_revoked_case_has_a_closing_report_and_no_notice_or_decision(org):
    case = advance(org, register(org), until="penalty_approve")
    case = act(org, case, "penalty_approve", decision="revoke", reason="违法事实不能成立")
    case = act(org, case, "closing_approve")
    kinds = {a.kind.code for a in documents_available(case)}
    assert "closing_report" in kinds
    assert not kinds & {"penalty_notice", "decision", "delivery_receipt"}
    text = pdf_text(_issue(org, case, "closing_report").pdf.read())
    assert "撤销立案" in text and "同意结案" in text


def test_listing_a_case_documents_takes_a_fixed_number_of_queries(
    org, django_assert_max_num_queries
):
    case = closed_case(org)
    _issue(org, case, "decision", 0)
    with django_assert_max_num_queries(6):
        available = documents_available(case)
    assert len(available) == len(EXPECTED)


class DiskFullForDocx(FileSystemStorage):
    """A file system that runs out of space when the second file of a document is written."""

    def _save(self, name: str, content: Any) -> str:
        if name.endswith(".docx"):
            raise OSError(28, "No space left on device")
        return super()._save(name, content)


def stored_documents(settings: Any) -> list[str]:
    root = settings.MEDIA_ROOT / "documents"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_an_issue_that_fails_after_writing_its_pdf_leaves_no_file_row_or_record(org, settings):
    case = advance(org, register(org), until="notice_response")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.DiskFullForDocx"},
    }
    with pytest.raises(OSError, match="No space left"):
        _issue(org, case, "penalty_notice", 0)
    assert stored_documents(settings) == []
    assert not Document.objects.exists()
    assert not Entry.objects.filter(stream=case.stream, action="document_issue").exists()


def test_the_sweep_removes_the_files_of_an_issue_rolled_back_and_keeps_the_issued_ones(
    org, settings
):
    case = advance(org, register(org), until="notice_response")
    kept = _issue(org, case, "penalty_notice", 0)
    with pytest.raises(RuntimeError), transaction.atomic():
        _issue(org, case, "filing_form", None)
        raise RuntimeError("the request failed after the issue")
    assert len(stored_documents(settings)) == 4  # two of them belong to no document
    assert documents_sweep() == []  # younger than an hour: perhaps being issued right now
    removed = documents_sweep(older_than=dt.timedelta(0))
    assert len(removed) == 2 and all(n.endswith((".pdf", ".docx")) for n in removed)
    assert stored_documents(settings) == sorted(
        str(Path(f.name).relative_to("documents")) for f in (kept.pdf, kept.docx)
    )


def test_the_worker_runs_the_sweep_the_documents_app_registers(org, settings):
    case = advance(org, register(org), until="notice_response")
    kept = _issue(org, case, "penalty_notice", 0)
    with pytest.raises(RuntimeError), transaction.atomic():
        _issue(org, case, "filing_form", None)
        raise RuntimeError("the request failed after the issue")
    root = Path(settings.MEDIA_ROOT) / "documents"
    two_hours_ago = time.time() - 7200
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, (two_hours_ago, two_hours_ago))
    out = io.StringIO()
    call_command("run_worker", "--once", stdout=out)
    assert "清理未提交的文书文件 2 个" in out.getvalue()
    assert stored_documents(settings) == sorted(
        str(Path(f.name).relative_to("documents")) for f in (kept.pdf, kept.docx)
    )


def test_the_notice_prints_the_partys_code_for_answering_online_in_pdf_and_docx(org):
    from cases.services.responses import response_code

    case = hearing_case(org)
    doc = _issue(org, case, "penalty_notice", 0)
    code = response_code(case.pk, 0)
    for text in (pdf_text(doc.pdf.read()), docx_text(doc.docx.read())):
        compact = "".join(text.split())
        assert f"凭查询码{code}" in compact
        assert "/gs/shenbian/" in compact
        assert "在线提交陈述、申辩意见或者听证申请" in compact
        assert "于2025年3月10日前（含当日）" in compact
