"""A seizure's documents in the browser: the handler issues the 决定书 and then its 清单 from the
case page's 行政强制措施 section and downloads them. Screenshots go to var/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from cases.tests.flow import register
from coercion.tests.test_services import in_force
from documents.models import Document
from web.tests.test_browser import Desk


def test_the_handler_issues_and_downloads_a_seizures_documents_from_the_case_page(
    org, transactional_db, live_server, browser
):
    case = register(org)
    first, second = in_force(org, case), in_force(org, case)
    desk = Desk(browser, live_server.url, "measure-documents")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/#measures")
        docs = page.locator(f'#measures [data-measure-docs="{first.pk}"]')
        expect(page.locator("#measures .measure-docs")).to_have_count(2)
        decision = docs.locator('li[data-kind="measure_decision"]')
        expect(decision).to_contain_text("扣押决定书")
        decision.get_by_role("button", name="出具").click()
        expect(page.locator(".messages")).to_contain_text("已出具《扣押决定书》")
        doc = Document.objects.get(subject_id=first.pk, kind="measure_decision")
        decision = page.locator(
            f'#measures [data-measure-docs="{first.pk}"] li[data-kind="measure_decision"]'
        )
        expect(decision).to_contain_text(doc.number)
        link = decision.get_by_role("link", name="PDF")
        response = page.request.get(f"{desk.base}{link.get_attribute('href')}")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        # The second seizure's documents are its own: still to be issued.
        other = page.locator(
            f'#measures [data-measure-docs="{second.pk}"] li[data-kind="measure_decision"]'
        )
        expect(other.get_by_role("button", name="出具")).to_be_visible()
        listed = page.locator(
            f'#measures [data-measure-docs="{first.pk}"] li[data-kind="measure_list"]'
        )
        listed.get_by_role("button", name="出具").click()
        # The page reloads (HX-Refresh): the 清单 is issued under the 决定书's number.
        expect(listed.get_by_role("link", name="PDF")).to_be_visible()
        expect(listed).to_contain_text(doc.number)
        desk.shot(page, "issued")
        assert Document.objects.filter(subject_id=first.pk).count() == 2
        assert not Document.objects.filter(subject_id=second.pk).exists()
    finally:
        desk.close()
