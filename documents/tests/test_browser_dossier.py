"""The 卷宗 in the browser, on a phone and on a desktop: the case page names what the file lacks,
the handler assembles it with one click and downloads it, and the PDF opens on its 卷内目录.
Screenshots go to var/screenshots/."""

from __future__ import annotations

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from cases.tests.flow import advance, register
from documents.models import Dossier
from documents.services import document_issue
from web.tests.test_browser import BOTH_SCREENS, Desk, fits_the_screen, within_reach


@BOTH_SCREENS
def test_the_handler_assembles_the_case_file_from_the_case_page_and_downloads_it(
    org, transactional_db, live_server, browser, phone
):
    case = advance(org, register(org), until="notice_response")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    desk = Desk(browser, live_server.url, f"dossier-{'phone' if phone else 'desktop'}")
    try:
        page = desk.page(org.handler, phone=phone)
        page.goto(f"{desk.base}/cases/{case.pk}/#dossier")
        section = page.locator("#dossier")
        expect(section).to_contain_text("结案归档前尚缺")
        expect(section).to_contain_text("《询问笔录》尚未出具")
        expect(section).to_contain_text("卷宗尚未生成")
        if phone:
            fits_the_screen(page)
        assemble = section.get_by_role("button", name="生成卷宗")
        within_reach(page, assemble)
        assemble.click()
        expect(page.locator(".messages")).to_contain_text("已生成卷宗第1版")
        dossier = Dossier.objects.get(case=case)
        section = page.locator("#dossier")
        expect(section).to_contain_text(f"共{dossier.page_count}页")
        link = section.get_by_role("link", name="下载卷宗 PDF")
        within_reach(page, link)
        if phone:
            fits_the_screen(page)
        response = page.request.get(f"{desk.base}{link.get_attribute('href')}")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        pdf = PdfReader(io.BytesIO(response.body()))
        assert len(pdf.pages) == dossier.page_count
        # It opens on its cover, then the 卷内目录, each a bookmark in the reader's side panel.
        assert [item.title for item in pdf.outline[:2]] == ["封面", "卷内目录"]
        desk.shot(page, "assembled")
    finally:
        desk.close()
