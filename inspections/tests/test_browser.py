"""双随机 in the browser: the chief freezes and draws, anyone verifies the draw on the public
site, an inspector records the check on a phone. Screenshots go to var/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from inspections.models import RandomPlan
from inspections.tests.random_helpers import plan_for
from web.tests.test_browser import Desk, fits_the_screen


def test_a_plan_is_drawn_verified_publicly_and_inspected_on_a_phone(
    org, transactional_db, live_server, browser
):
    plan = plan_for(org)
    desk = Desk(browser, live_server.url, "random")
    try:
        chief = desk.page(org.chief)
        chief.goto(f"{desk.base}/random/plans/{plan.pk}/")
        chief.locator("#freeze").click()
        expect(chief.locator(".messages")).to_contain_text("名录已冻结")
        chief.locator("#draw").click()
        expect(chief.locator(".messages")).to_contain_text("已摇号")
        expect(chief.locator("#status")).to_contain_text("已摇号")
        desk.shot(chief, "drawn")

        public = browser.new_page()
        public.goto(f"{desk.base}/gs/choucha/{plan.pk}/verify/")
        expect(public.locator("#verdict")).to_contain_text("核验通过")
        public.close()

        RandomPlan.objects.get(pk=plan.pk).tasks.update(lead=org.handler, second=org.co_handler)
        phone = desk.page(org.handler, phone=True)
        phone.goto(f"{desk.base}/")
        phone.locator('#todo tr[data-kind="random"] a').first.click()
        phone.locator('input[name="item_0"][value="pass"]').check()
        phone.locator('input[name="item_1"][value="fail"]').check()
        phone.locator('select[name="result"]').select_option("no_problem")
        phone.get_by_role("button", name="提交检查结果").click()
        expect(phone.locator("#errors")).to_contain_text("不能为未发现问题")
        expect(phone.locator('input[name="item_1"][value="fail"]')).to_be_checked()
        phone.locator('select[name="result"]').select_option("rectify")
        phone.locator('textarea[name="note"]').fill("广告设施固定螺栓松动，责令三日内整改")
        fits_the_screen(phone)
        phone.get_by_role("button", name="提交检查结果").click()
        expect(phone.locator(".messages")).to_contain_text("已记录检查结果")
        expect(phone.locator("h2")).to_contain_text("责令整改")
        desk.shot(phone, "checked")
    finally:
        desk.close()
