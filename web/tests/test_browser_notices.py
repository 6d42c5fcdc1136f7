"""Notices and the long case page in a real browser: the chief sends a case back and its handler,
on a phone and on a desktop, sees the bell's count, reads the notice and lands on the case; on the
case page the step form comes first and the sections after it fold and open without a script."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.tests.flow import advance, register
from notices.models import Notice
from web.tests.test_browser import BOTH_SCREENS, Desk, approve, fits_the_screen, within_reach

pytestmark = pytest.mark.django_db(transaction=True)


@BOTH_SCREENS
def test_a_handler_sees_the_bell_and_the_notice_when_the_chief_returns_the_case(
    org, live_server, browser, phone
):
    case = advance(org, register(org), until="filing_review")
    desk = Desk(browser, live_server.url, f"notices-{'phone' if phone else 'desktop'}")
    try:
        handler = desk.page(org.handler, phone=phone)
        handler.goto(f"{desk.base}/")
        expect(handler.locator("#bell .count")).to_have_count(0)

        approve(desk, org.chief, case, "立案审核", "退回补充", "当事人证件材料不全")

        handler.goto(f"{desk.base}/")
        expect(handler.locator("#bell .count")).to_have_text("1")
        expect(handler.locator("#inbox-notices")).to_contain_text("您有 1 条未读提醒")
        if phone:
            fits_the_screen(handler)
        desk.shot(handler, "bell")
        within_reach(handler, handler.locator("#bell"))
        handler.locator("#bell").click()
        item = handler.locator("ul.notices li.unread")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("案件被退回")
        expect(item).to_contain_text("立案申请")
        if phone:
            fits_the_screen(handler)
        desk.shot(handler, "notices")
        within_reach(handler, item.get_by_role("button", name="查看"))
        item.get_by_role("button", name="查看").click()
        handler.wait_for_url(f"{desk.base}/cases/{case.pk}/")
        expect(handler.locator("#act h2")).to_contain_text("立案申请")
        expect(handler.locator("#bell .count")).to_have_count(0)
        notice = Notice.objects.get(user=org.handler)
        assert notice.kind == Notice.Kind.RETURNED and notice.read_at is not None
    finally:
        desk.close()


def test_on_a_phone_the_step_form_comes_first_and_a_folded_section_opens(org, live_server, browser):
    case = advance(org, register(org), until="investigation_report")
    desk = Desk(browser, live_server.url, "fold")
    try:
        page = desk.page(org.handler, phone=True)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        first = page.evaluate(
            """() => [...document.querySelectorAll('main > section, main > details')]
                 .filter(el => !el.classList.contains('casehead'))[0].id"""
        )
        assert first == "act"
        fits_the_screen(page)
        desk.shot(page, "case-folded")
        fold = page.locator("details#fold-record")
        expect(fold).not_to_have_attribute("open", "")
        expect(page.locator("#record ol.timeline")).to_be_hidden()
        fold.locator("> summary").click()
        expect(page.locator("#record ol.timeline")).to_be_visible()
        expect(page.locator("#record")).to_contain_text("完整性已校验")
        evidence = page.locator("details#fold-evidence")
        expect(evidence.locator("> summary")).to_contain_text("证据")
        evidence.locator("> summary").click()
        expect(page.locator("#evidence")).to_contain_text("SM3")
        fits_the_screen(page)
        desk.shot(page, "case-opened")
    finally:
        desk.close()
