"""强制执行 in the browser: the handler issues a 催告 on the case page, is refused with the
article beside the form, then serves it. Screenshots go to var/screenshots/."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from enforcement.models import EnforcementRecord
from enforcement.tests.test_services import at, decided, fined_and_ordered
from web.tests.test_browser import Desk


def test_a_notice_is_issued_refused_then_served_on_the_case_page(
    org, transactional_db, live_server, browser
):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    desk = Desk(browser, live_server.url, "enforcement")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        section = page.locator("#enforcement")
        expect(section).to_contain_text("本案尚无强制执行")  # loaded by htmx into the case page
        section.locator("summary", has_text="开始强制执行").click()
        form = section.locator('form[data-decision="issue"]')
        form.locator('input[name="term_ends"]').fill("2025-10-15")
        form.locator('select[name="obligation"]').select_option("money")
        form.locator('input[name="manner"]').fill("到指定银行缴纳罚款")
        form.locator('input[name="amount"]').fill("5000.00")
        form.get_by_role("button", name="制作催告书（第三十五条）").click()
        expect(page.locator("#enforcement .refused")).to_contain_text("第三十五条第四项")
        assert not EnforcementRecord.objects.exists()
        form = page.locator('#enforcement form[data-decision="issue"]')
        form.locator('input[name="rights_told"]').check()
        form.get_by_role("button", name="制作催告书（第三十五条）").click()
        expect(page.locator("#enforcement .enforcement")).to_contain_text("催告书送达")
        page.locator("#enforcement summary", has_text="已送达").click()
        serve = page.locator('#enforcement form[data-decision="serve"]')
        serve.locator('input[name="served_on"]').fill("2025-09-29")
        serve.get_by_role("button", name="已送达").click()
        expect(page.locator("#enforcement .enforcement")).to_contain_text("陈述申辩")
        desk.shot(page, "notice-served")
        assert EnforcementRecord.objects.get().step == "en_statement"
    finally:
        desk.close()


def test_the_handler_opens_the_demolition_and_then_the_fine_of_one_decision_on_the_page(
    org, transactional_db, live_server, browser
):
    case = fined_and_ordered(org)
    at(dt.date(2025, 9, 29))
    desk = Desk(browser, live_server.url, "enforcement-obligations")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        section = page.locator("#enforcement")
        section.locator("summary", has_text="开始强制执行").click()
        form = section.locator('form[data-decision="issue"]')
        form.locator('select[name="obligation"]').select_option("performance")
        form.locator('input[name="term_ends"]').fill("2025-10-15")
        form.locator('input[name="manner"]').fill("自行拆除")
        form.locator('input[name="act"]').fill("拆除违法建设的二层彩钢房")
        form.locator('input[name="rights_told"]').check()
        form.get_by_role("button", name="制作催告书（第三十五条）").click()
        expect(page.locator("#enforcement .enforcement").first).to_contain_text(
            "排除妨碍、恢复原状等行为义务"
        )
        # The fine of the same decision is still offered, with its own 催告.
        page.locator("#enforcement summary", has_text="开始强制执行").click()
        form = page.locator('#enforcement form[data-decision="issue"]')
        form.locator('select[name="obligation"]').select_option("money")
        form.locator('input[name="term_ends"]').fill("2025-10-15")
        form.locator('input[name="manner"]').fill("到指定银行缴纳罚款")
        form.locator('input[name="amount"]').fill("5000.00")
        form.locator('input[name="rights_told"]').check()
        form.get_by_role("button", name="制作催告书（第三十五条）").click()
        expect(page.locator("#enforcement .enforcement")).to_have_count(2)
        expect(page.locator("#enforcement")).to_contain_text("金钱给付义务（罚款、加处罚款等）")
        expect(page.locator('#enforcement form[data-decision="issue"]')).to_have_count(0)
        desk.shot(page, "fine-and-demolition")
        assert sorted(EnforcementRecord.objects.values_list("obligation", flat=True)) == [
            "money",
            "performance",
        ]
    finally:
        desk.close()
