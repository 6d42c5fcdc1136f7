"""Browser test: the legal reviewer drafts, approves (an unmasking edit is refused by its field)
and publishes a decision; a citizen finds it on a phone with the party masked."""

from __future__ import annotations

from playwright.sync_api import expect

from cases.tests.flow import PERSON_ID, advance, register
from conftest import SHOTS
from disclosure.tests.conftest import PERSON
from web.tests.test_browser import PHONE, Desk


def test_the_legal_reviewer_publishes_and_a_citizen_reads_it_on_a_phone(
    org, transactional_db, live_server, browser
):
    case = advance(org, register(org, parties=[dict(PERSON)]), until="execution")
    number = case.decisions.get().number
    desk = Desk(browser, live_server.url, "disclosure")
    try:
        page = desk.page(org.legal)
        page.goto(f"{desk.base}/disclosure/")
        page.get_by_role("link", name=number).click()
        page.get_by_role("button", name="保存公示内容").click()
        expect(page.locator(".messages")).to_contain_text("已保存公示内容")
        approve = page.locator('form[action$="/approve/"]')
        text = approve.locator("textarea").input_value()
        assert "张**" in text and PERSON_ID not in text
        approve.locator("textarea").fill(text + f"\n身份证号码{PERSON_ID}")
        approve.get_by_role("button", name="审核同意").click()
        expect(page.locator(".refused")).to_contain_text("公示内容不得包含身份证件号码")
        approve = page.locator('form[action$="/approve/"]')
        approve.locator("textarea").fill(text)
        approve.get_by_role("button", name="审核同意").click()
        expect(page.locator(".messages")).to_contain_text("已审核同意")
        page.get_by_role("button", name="发布公示").click()
        expect(page.locator(".messages")).to_contain_text("已发布公示")
        desk.shot(page, "published")

        ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
        phone = ctx.new_page()
        phone.goto(f"{desk.base}/gs/decisions/")
        phone.fill('input[name="party"]', "张")
        phone.get_by_role("button", name="查询").click()
        phone.get_by_role("link", name=number).click()
        expect(phone.locator("main")).to_contain_text("张**")
        assert PERSON_ID not in phone.content() and PERSON["name"] not in phone.content()
        phone.screenshot(path=str(SHOTS / "disclosure-phone.png"), full_page=True)
        ctx.close()
    finally:
        desk.close()
