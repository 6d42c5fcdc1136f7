"""The 卷宗 in the browser: the case page names what the file lacks, the handler assembles it with
one click and downloads it. Screenshots go to var/screenshots/."""

from __future__ import annotations

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from cases.tests.flow import advance, register
from documents.models import Dossier
from documents.services import document_issue
from web.tests.test_browser import Desk


def test_the_handler_assembles_the_case_file_from_the_case_page_and_downloads_it(
    org, transactional_db, live_server, browser
):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    desk = Desk(browser, live_server.url, "dossier")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/#dossier")
        section = page.locator("#dossier")
        expect(section).to_contain_text("结案归档前尚缺")
        expect(section).to_contain_text("《询问笔录》尚未出具")
        expect(section).to_contain_text("卷宗尚未生成")
        section.get_by_role("button", name="生成卷宗").click()
        expect(page.locator(".messages")).to_contain_text("已生成卷宗第1版")
        dossier = Dossier.objects.get(case=case)
        section = page.locator("#dossier")
        expect(section).to_contain_text(f"共{dossier.page_count}页")
        link = section.get_by_role("link", name="下载卷宗 PDF")
        response = page.request.get(f"{desk.base}{link.get_attribute('href')}")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert len(PdfReader(io.BytesIO(response.body())).pages) == dossier.page_count
        desk.shot(page, "assembled")
    finally:
        desk.close()
