"""A party answers its 告知书 on the phone, and the 承办人 finds it in the 待办 and records it at
step 12 with the form already filled. Screenshots go to var/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Case
from cases.services.responses import response_code
from cases.tests.flow import ORG_CODE, advance, register
from ledger.services import ledger_verify
from web.tests.test_browser import PHONE, Desk, fits_the_screen

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_party_states_its_case_on_the_phone_and_the_handler_records_it_from_the_todo(
    org, live_server, browser
):
    case = advance(org, register(org), until="notice_response")
    desk = Desk(browser, live_server.url, "responses")
    party = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    try:
        phone = party.new_page()
        phone.goto(f"{desk.base}/gs/shenbian/?code={response_code(case.pk, 0)}")
        form = phone.locator("#response-form")
        form.locator('input[name="id_tail"]').fill(ORG_CODE[-6:].lower())
        form.locator('input[name="submitter"]').fill("张某")
        form.locator('textarea[name="statement"]').fill("广告牌已于次日拆除，请求从轻处罚")
        fits_the_screen(phone)
        form.get_by_role("button", name="提交").click()
        expect(phone.locator("#response-done")).to_contain_text("已记入案件的全过程记录")
        desk.shot(phone, "party-done")

        page = desk.page(org.handler)
        page.goto(f"{desk.base}/")
        row = page.locator('#todo tr[data-kind="response"]')
        expect(row).to_contain_text("2025-03-10")
        row.get_by_role("link", name="录入当事人在线提交的陈述申辩/听证申请").click()
        expect(page.locator("#online-responses")).to_contain_text(
            "聊城市某某商贸有限公司（张某，当事人本人）"
        )
        statement = page.locator('#act textarea[name="responses.0.statement"]')
        expect(statement).to_have_value(
            "（2025-03-03在线提交，张某）广告牌已于次日拆除，请求从轻处罚"
        )
        desk.shot(page, "step-12-filled")
        page.locator("#act form.stepform").get_by_role("button", name="提交").click()
        expect(page.locator(".messages")).to_contain_text("已办理")
        assert Case.objects.get(pk=case.pk).step == "notice_review"
        page.goto(f"{desk.base}/")
        expect(page.locator('#todo tr[data-kind="response"]')).to_have_count(0)
        assert ledger_verify(stream=case.stream) == []
    finally:
        party.close()
        desk.close()
