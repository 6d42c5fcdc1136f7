"""The whole 双随机 walk in the browser: the chief makes a plan on the page, freezes and draws;
the drawn inspector records the check on a phone; the chief publishes; the public page shows the
result and the verify page recomputes the draw. Screenshots go to var/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from inspections import random_services as rs
from inspections.models import RandomPlan
from inspections.tests.random_helpers import csv_of
from web.tests.test_browser import Desk, fits_the_screen


def test_an_officer_plans_draws_records_and_publishes_and_the_public_sees_and_verifies(
    org, transactional_db, live_server, browser
):
    rs.targets_import(actor=org.chief, filename="名录.csv", content=csv_of(1))
    rs.matter_save(
        actor=org.chief,
        code="SJ-CG-01",
        name="户外广告设施设置情况检查",
        basis="城市市容和环境卫生管理条例",
        checklist=["是否取得设置许可", "设施是否安全牢固"],
    )
    desk = Desk(browser, live_server.url, "random-walk")
    try:
        chief = desk.page(org.chief)
        chief.goto(f"{desk.base}/random/plans/new/")
        chief.fill('input[name="title"]', "2025年3月户外广告双随机抽查")
        for grade in "ABCD":
            chief.fill(f'input[name="ratio_{grade}"]', "100")
        chief.check('input[name="ratio_confirmed"]')
        chief.fill('input[name="starts_on"]', "2025-03-03")
        chief.fill('input[name="ends_on"]', "2025-03-31")
        chief.get_by_role("button", name="保存计划").click()
        expect(chief.locator(".messages")).to_contain_text("已制定抽查计划")
        chief.locator("#freeze").click()
        expect(chief.locator(".messages")).to_contain_text("名录已冻结")
        chief.locator("#draw").click()
        expect(chief.locator("#status")).to_contain_text("已摇号")
        desk.shot(chief, "drawn")

        plan = RandomPlan.objects.get(title="2025年3月户外广告双随机抽查")
        task = plan.tasks.select_related("lead").get()
        # The lead inspector is whoever the seed chose, on a phone, from its 待办.
        phone = desk.page(task.lead, phone=True)
        phone.goto(f"{desk.base}/random/")
        phone.locator(f'a[href="/random/tasks/{task.pk}/"]').first.click()
        phone.locator('input[name="item_0"][value="pass"]').check()
        phone.locator('input[name="item_1"][value="pass"]').check()
        phone.locator('select[name="result"]').select_option("no_problem")
        fits_the_screen(phone)
        phone.get_by_role("button", name="提交检查结果").click()
        expect(phone.locator(".messages")).to_contain_text("已记录检查结果")
        desk.shot(phone, "checked")

        chief.goto(f"{desk.base}/random/plans/{plan.pk}/")
        chief.locator("#publish").click()
        expect(chief.locator(".messages")).to_contain_text("抽查结果已公示")
        expect(chief.locator("#status")).to_contain_text("结果已公示")

        public = browser.new_page()
        public.goto(f"{desk.base}/gs/choucha/{plan.pk}/")
        expect(public.locator("body")).to_contain_text("未发现问题")
        expect(public.locator("body")).to_contain_text("抽查结果公示日期：2025-03-03")
        expect(public.locator("body")).to_contain_text("A级 100%")
        desk.shot(public, "public")
        public.goto(f"{desk.base}/gs/choucha/{plan.pk}/verify/")
        expect(public.locator("#verdict")).to_contain_text("核验通过")
        desk.shot(public, "verified")
        public.close()
    finally:
        desk.close()
