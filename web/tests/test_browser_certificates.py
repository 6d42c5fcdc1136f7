"""The register of 执法证 in a real browser: the administrator issues (a contract worker refused
by field first), then suspends; the list fits a phone's screen."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import expect

from conftest import PASSWORD
from orgs.models import Certificate
from orgs.services import user_upsert
from procedure.roles import Role
from web.tests.test_browser import Desk, fits_the_screen

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_issues_and_suspends_a_certificate_in_the_browser(
    org, live_server, browser
):
    pw = make_password(PASSWORD)
    admin = user_upsert(
        username="cgj-certadmin",
        full_name="孔令军",
        unit=org.cgj,
        roles=[Role.CERT_ADMIN],
        password_hash=pw,
    )
    newcomer = user_upsert(
        username="newcomer",
        full_name="新同事",
        unit=org.cgj,
        roles=[Role.HANDLER],
        password_hash=pw,
    )
    worker = user_upsert(
        username="worker",
        full_name="协管员",
        unit=org.cgj,
        roles=[],
        password_hash=pw,
        employment="contract",
    )
    desk = Desk(browser, live_server.url, "certificates")
    try:
        page = desk.page(admin)
        page.goto(f"{desk.base}/certificates/")
        page.get_by_role("link", name="发放执法证").click()
        form = page.locator("form.stepform")
        form.locator('select[name="holder"]').select_option(str(worker.pk))
        form.locator('input[name="number"]').fill("37150020250031")
        form.locator('input[name="scope"]').fill("城市管理")
        form.locator('input[name="valid_from"]').fill("2025-03-03")
        form.locator('input[name="valid_until"]').fill("2028-03-02")
        form.locator('input[name="training_hours"]').fill("60")
        form.locator('input[name="exam_on"]').fill("2025-02-20")
        form.locator('input[name="exam_score"]').fill("88")
        form.get_by_role("button", name="发证").click()
        expect(page.locator("form.stepform .errorlist").first).to_contain_text(
            "合同制人员不得从事行政执法"
        )
        desk.shot(page, "refused")
        assert not Certificate.objects.filter(number="37150020250031").exists()
        form = page.locator("form.stepform")
        form.locator('select[name="holder"]').select_option(str(newcomer.pk))
        form.get_by_role("button", name="发证").click()
        expect(page.locator("h1 .badge")).to_have_text("有效")
        page.locator("summary", has_text="暂扣").click()
        suspend = page.locator('form[action$="/suspend/"]')
        suspend.locator('input[name="suspend-reason"]').fill("涉嫌违纪，暂扣执法证")
        suspend.locator('input[name="suspend-on"]').fill("2025-03-03")
        suspend.get_by_role("button", name="暂扣").click()
        expect(page.locator("h1 .badge")).to_have_text("暂扣")
        expect(page.locator("table")).to_contain_text("涉嫌违纪，暂扣执法证")
        desk.shot(page, "suspended")
        phone = desk.page(admin, phone=True)
        phone.goto(f"{desk.base}/certificates/")
        expect(phone.locator("table")).to_contain_text("37150020250031")
        fits_the_screen(phone)
        desk.shot(phone, "phone-list")
    finally:
        desk.close()
