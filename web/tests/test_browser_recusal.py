"""回避 in a real browser: the handler records the party's application, the head grants it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import expect

from cases.models import Case
from cases.tests.flow import advance, register
from conftest import PASSWORD
from demo.testing import certified_person
from ledger.services import ledger_verify
from procedure.roles import Role
from web.tests.test_browser import Desk

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_head_grants_a_recusal_and_names_the_replacement_on_the_case_page(
    org, live_server, browser
):
    case = advance(org, register(org), until="investigation")
    certified_person("spare", org.cgj, Role.HANDLER, password_hash=make_password(PASSWORD))
    desk = Desk(browser, live_server.url, "recusal")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        # Nothing waits for the handler here: the section is folded, its summary opens it.
        fold = page.locator("details#fold-recusals")
        expect(fold).not_to_have_attribute("open", "")
        fold.locator("> summary").click()
        form = page.locator("#recusals form.recusal-form.request")
        form.locator('select[name="officer"]').select_option("cohandler")
        form.get_by_role("button", name="登记回避").click()
        # Refused through htmx: the section comes back with the error by its field.
        expect(page.locator("#recusals .errorlist")).to_contain_text("此项必填")
        form = page.locator("#recusals form.recusal-form.request")
        form.locator('input[name="reason"]').fill("当事人称协办人系其亲属")
        form.get_by_role("button", name="登记回避").click()
        expect(page.locator(".messages")).to_contain_text("已登记回避申请")
        expect(page.locator("#recusals .recusal-item")).to_contain_text("待负责人决定")

        page = desk.page(org.director)
        page.goto(f"{desk.base}/cases/{case.pk}/#recusals")
        # The decision waits for the head: the section is open by itself.
        expect(page.locator("details#fold-recusals")).to_have_attribute("open", "")
        expect(page.locator("details#fold-recusals > summary")).to_contain_text("1 项待您决定")
        decide = page.locator("#recusals form.recusal-form.decide")
        decide.locator('select[name="granted"]').select_option("true")
        decide.locator('select[name="replacement"]').select_option("spare")
        decide.locator('input[name="reason"]').fill("系近亲属，应当回避")
        decide.get_by_role("button", name="作出决定").click()
        expect(page.locator(".messages")).to_contain_text("已作出回避决定")
        expect(page.locator("#recusals .recusal-item")).to_contain_text("由 spare 接替")
        expect(page.locator("#record")).to_contain_text("回避决定")
        desk.shot(page, "granted")
        assert Case.objects.get(pk=case.pk).co_handler.username == "spare"
        assert ledger_verify(stream=case.stream) == []
    finally:
        desk.close()
