"""A person's 文书 in the browser, on a phone: the handler follows the PDF link of the case page,
reads that the download is logged, presses 下载 and receives the issued file; the entry is written
once. Screenshots go to var/screenshots/."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from cases.tests.flow import PERSON_ID, advance, register
from documents.services import document_issue
from ledger.models import Entry
from web.tests.test_browser import Desk
from zhifa import crypto


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path):
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "sm4.key"
    crypto.forget()
    yield
    crypto.forget()


def test_the_handler_downloads_a_person_s_document_through_the_logged_form(
    org, transactional_db, live_server, browser
):
    case = register(
        org, parties=[{"kind": "person", "name": "李四", "id_number": PERSON_ID, "address": "某地"}]
    )
    case = advance(org, case, until="investigation")
    doc = document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    desk = Desk(browser, live_server.url, "personal-download")
    try:
        page = desk.page(org.handler, phone=True)
        page.goto(f"{desk.base}/cases/{case.pk}/#documents")
        section = page.locator("#documents")
        if not section.is_visible():
            page.locator("#fold-documents > summary").click()
        section.get_by_role("link", name="PDF").first.click()
        card = page.locator("[data-personal-download]")
        expect(card).to_contain_text("此文书载明当事人完整身份证号码，下载将记入个人信息访问日志")
        expect(card).to_contain_text(doc.number)
        assert not Entry.objects.filter(action="pii_document_download").exists()
        desk.shot(page, "notice")
        with page.expect_download() as info:
            card.get_by_role("button", name="下载").click()
        path = info.value.path()
        with open(path, "rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == doc.sha256
        (entry,) = Entry.objects.filter(action="pii_document_download")
        assert entry.actor_id == org.handler.pk and entry.payload["reason"] == "承办"
    finally:
        desk.close()
