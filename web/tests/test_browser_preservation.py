"""证据先行登记保存 in a real browser: requested, approved, kept and decided on the case page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Preservation
from cases.tests.flow import advance, register
from ledger.services import ledger_verify
from web.tests.test_browser import Desk

pytestmark = pytest.mark.django_db(transaction=True)


def test_evidence_is_kept_with_the_heads_approval_and_decided_on_the_case_page(
    org, live_server, browser
):
    case = advance(org, register(org), until="investigation")
    desk = Desk(browser, live_server.url, "preservation")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        fold = page.locator("details#fold-preservations")
        expect(fold).not_to_have_attribute("open", "")  # nothing waits for the handler
        fold.locator("> summary").click()
        form = page.locator("#preservations form.preservation-form.request")
        form.locator('textarea[name="items[]"]').fill("涉案广告牌 1块 3米×6米\n支架")
        form.locator('input[name="reason"]').fill("当事人正在拆除，证据可能灭失")
        form.get_by_role("button", name="申请先行登记保存").click()
        # Refused through htmx: the second line names no quantity.
        expect(page.locator("#preservations .errorlist")).to_contain_text("第2项物品的数量")
        form = page.locator("#preservations form.preservation-form.request")
        form.locator('textarea[name="items[]"]').fill("涉案广告牌 1块 3米×6米\n支架 2副")
        form.get_by_role("button", name="申请先行登记保存").click()
        expect(page.locator("#preservations .preservation-item")).to_contain_text("待负责人批准")

        head = desk.page(org.director)
        head.goto(f"{desk.base}/cases/{case.pk}/#preservations")
        expect(head.locator("details#fold-preservations")).to_have_attribute("open", "")
        approve = head.locator("#preservations form.preservation-form.approve")
        approve.locator('input[name="opinion"]').fill("同意先行登记保存")
        approve.get_by_role("button", name="审批").click()
        expect(head.locator("#preservations .preservation-item")).to_contain_text("已批准待实施")

        page.reload()  # the head's approval, on the handler's open page
        page.locator("#preservations form.preservation-form.carry-out").get_by_role(
            "button", name="实施登记保存"
        ).click()
        expect(page.locator("#preservations")).to_contain_text("处理决定期限 2025-03-12")
        decide = page.locator("#preservations form.preservation-form.decide")
        decide.locator('select[name="disposition"]').select_option("seize")
        decide.get_by_role("button", name="作出处理决定").click()
        expect(page.locator("#preservations")).to_contain_text("依法采取查封、扣押措施")
        expect(page.locator("#record")).to_contain_text("先行登记保存处理决定")
        desk.shot(page, "decided")
        assert Preservation.objects.get().status == "decided"
        assert ledger_verify(stream=case.stream) == []
    finally:
        desk.close()
