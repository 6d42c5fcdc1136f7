"""A seizure in the browser: the handler proposes it, the head approves, the officers carry it
out. Screenshots go to var/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from cases.tests.flow import register
from coercion.models import CoerciveMeasure
from ledger.services import ledger_verify
from web.tests.test_browser import Desk


def test_a_seizure_is_proposed_approved_and_carried_out_on_the_case_page(
    org, transactional_db, live_server, browser
):
    case = register(org)
    desk = Desk(browser, live_server.url, "measures")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        fold = page.locator("details#fold-measures")
        expect(fold).not_to_have_attribute("open", "")  # nothing waits for the handler
        fold.locator("> summary").click()
        section = page.locator("#measures")
        section.locator("summary", has_text="申请采取查封、扣押、冻结").click()
        form = section.locator("form.measure-form.new")
        form.locator('select[name="type"]').select_option("seize")
        form.locator('input[name="items.0.name"]').fill("户外广告牌")
        form.get_by_role("button", name="报请负责人批准").click()
        # Refused through htmx: the section comes back with the errors by their fields.
        expect(section.locator("form.measure-form.new .errorlist").first).to_contain_text(
            "此项必填"
        )
        form = page.locator("#measures form.measure-form.new")
        form.locator('input[name="items.0.quantity"]').fill("1块")
        form.locator('input[name="basis"]').fill("《广告法》第四十九条第二款")
        form.locator('textarea[name="reason"]').fill("防止涉案广告牌被转移")
        form.get_by_role("button", name="报请负责人批准").click()
        expect(page.locator(".messages")).to_contain_text("已报请负责人批准")
        expect(page.locator("#measures .measure")).to_contain_text("审批")

        head = desk.page(org.director)
        head.goto(f"{desk.base}/cases/{case.pk}/#measures")
        expect(head.locator("details#fold-measures > summary")).to_contain_text("1 项待您审批")
        decide = head.locator("#measures form.measure-form.decide")
        decide.locator('textarea[name="opinion"]').fill("同意扣押")
        decide.get_by_role("button", name="批准", exact=True).click()
        expect(head.locator(".messages")).to_contain_text("已作出审批决定")

        page.reload()
        carry = page.locator("#measures form.measure-form.carry-out")
        carry.locator(f'input[name="officers[]"][value="{org.handler.pk}"]').check()
        carry.get_by_role("button", name="实施", exact=True).click()
        expect(page.locator("#measures .errorlist").first).to_contain_text("第十八条第二项")
        carry = page.locator("#measures form.measure-form.carry-out")
        carry.locator(f'input[name="officers[]"][value="{org.co_handler.pk}"]').check()
        for box in carry.locator('input[type="checkbox"]:not([name="officers[]"])').all():
            box.check()
        carry.get_by_role("button", name="实施", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("已实施行政强制措施")
        expect(page.locator("#measures .measure")).to_contain_text("期限届满日 2025-04-02")
        desk.shot(page, "in-force")
        assert CoerciveMeasure.objects.get().step == "cm_in_force"
        assert ledger_verify(stream=case.stream) == []
    finally:
        desk.close()
