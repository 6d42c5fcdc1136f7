"""Browser test of a supervision matter: an 意见书 sent, answered late, escalated to a 处理建议
and a government 决定书, by the supervisor and the bureau's section chief (Debian chromium driven
by Playwright against the live server; screenshots in var/screenshots/)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from ledger.models import Entry
from supervision.models import Matter
from supervision.tests.test_matters import LAST, at
from web.tests.test_browser import Desk, fits_the_screen


def test_an_opinion_answered_late_goes_to_the_government_in_the_browser(
    world, transactional_db, live_server, browser
):
    desk = Desk(browser, live_server.url, "matter")
    try:
        sup = desk.page(world.supervisor)
        sup.goto(f"{live_server.url}/supervision/matters/new/")
        sup.select_option('select[name="unit"]', str(world.cgj.pk))
        sup.fill('input[name="case_no"]', "M-1")
        sup.fill('input[name="title"]', "处罚决定未按期公示")
        sup.fill('textarea[name="facts"]', "处罚决定作出后超过20个工作日未公示")
        sup.click("#matter-new button[type=submit]")
        expect(sup.locator("#matter-status")).to_have_text("待发函")
        sup.select_option('#form-send select[name="instrument"]', "opinion")
        sup.fill('#form-send textarea[name="demand"]', "请限期公示并报告整改情况")
        sup.click("#form-send button[type=submit]")
        expect(sup.locator("#matter-status")).to_have_text("待答复")
        expect(sup.locator("#matter-due")).to_contain_text("2026年5月20日")
        desk.shot(sup, "sent")
        matter = Matter.objects.get()

        at(LAST + dt.timedelta(days=1))
        chief = desk.page(world.chief)
        chief.goto(f"{live_server.url}/")
        row = chief.locator('#todo tr[data-kind="matter"]', has_text="处罚决定未按期公示")
        expect(row).to_contain_text("已超期")
        desk.shot(chief, "inbox")
        row.locator("a").first.click()
        chief.fill('#form-answer textarea[name="reply"]', "已在门户网站公示")
        chief.click("#form-answer button[type=submit]")
        expect(chief.locator("#matter-status")).to_have_text("已答复")
        expect(chief.locator("#matter-due")).to_contain_text("已逾期")
        phone = desk.page(world.chief, phone=True)
        phone.goto(f"{live_server.url}/supervision/matters/{matter.pk}/")
        expect(phone.locator("#matter-status")).to_have_text("已答复")
        fits_the_screen(phone)
        desk.shot(phone, "phone")

        sup.goto(f"{live_server.url}/supervision/matters/{matter.pk}/")
        sup.fill('#form-propose textarea[name="proposal"]', "建议市人民政府责令改正并通报")
        sup.click("#form-propose button[type=submit]")
        expect(sup.locator("#matter-status")).to_have_text("已提出处理建议")
        sup.fill('#form-decide input[name="decided_on"]', "2026-05-21")
        sup.fill('#form-decide input[name="number"]', "聊政监决〔2026〕5号")
        sup.fill('#form-decide textarea[name="content"]', "责令30日内改正并报告")
        sup.click("#form-decide button[type=submit]")
        expect(sup.locator("#matter-status")).to_have_text("政府已决定")
        desk.shot(sup, "decided")
        sup.click("text=决定书登记")
        expect(sup.locator("body")).to_contain_text("聊政监决〔2026〕5号")
        expect(sup.locator("body")).to_contain_text("2026年6月20日")
        desk.shot(sup, "decision-record")
        actions = list(
            Entry.objects.filter(stream=matter.stream)
            .order_by("seq")
            .values_list("action", flat=True)
        )
        assert actions == [
            "matter_open",
            "matter_send",
            "matter_answer",
            "matter_propose",
            "matter_decide",
        ]
        assert Entry.objects.get(stream=matter.stream, action="matter_answer").payload["late"]
    finally:
        desk.close()
