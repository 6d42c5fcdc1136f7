"""案卷评查 in a real browser: the supervisor scores a file (a deduction without its reason is
refused and the sheet kept), publishes, and the unit reads its own result."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from exchange.export import dump
from exchange.load import import_lines
from ledger.services import ledger_verify
from orgs.services import regions_ensure
from supervision import review_services, standards
from supervision.models import FileReviewCase
from supervision.tests.records import known_2022
from web.tests.test_browser import Desk

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_supervisor_scores_publishes_and_the_unit_reads_its_result(org, live_server, browser):
    regions_ensure()
    import_lines(dump(known_2022()).splitlines())
    review = review_services.file_review_create(
        actor=org.supervisor,
        name="2022年度案卷评查",
        method="random",
        per_unit=1,
        seed="s1",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
    )
    std = standards.standard(review.standard)
    mine = review.cases.get(case__unit=org.cgj)
    for e in review.cases.exclude(pk=mine.pk):
        full = {i.code: i.points for i in std.items}
        review_services.file_review_score(actor=org.supervisor, entry_id=e.pk, scores=full)
    desk = Desk(browser, live_server.url, "file-review")
    try:
        page = desk.page(org.supervisor)
        page.goto(f"{desk.base}/supervision/reviews/{review.pk}/")
        sheet = page.locator(f"#entry-{mine.pk}")
        for i in std.items:
            sheet.locator(f'input[name="{i.code}"]').fill(str(i.points))
        sheet.locator('input[name="contents"]').fill("5")
        sheet.locator('input[name="remarks"]').fill("决定书要素不全")
        sheet.get_by_role("button", name="保存评分").click()
        expect(page.locator(".messages")).to_contain_text("扣3分，请写明扣分理由")
        sheet = page.locator(f"#entry-{mine.pk}")
        expect(sheet.locator('input[name="contents"]')).to_have_value("5")
        expect(sheet.locator('input[name="remarks"]')).to_have_value("决定书要素不全")
        assert FileReviewCase.objects.get(pk=mine.pk).total is None
        sheet.locator('input[name="why-contents"]').fill("未载明复议和诉讼的期限")
        sheet.get_by_role("button", name="保存评分").click()
        expect(page.locator(f"#entry-{mine.pk} h3")).to_contain_text("97分 · 优秀")
        expect(page.locator(f"#entry-{mine.pk}")).to_contain_text("小计17分")
        page.get_by_role("button", name="公布评查结果").click()
        expect(page.locator(".messages")).to_contain_text("评查结果已公布")
        desk.shot(page, "published")

        page = desk.page(org.chief)
        page.get_by_role("link", name="评查结果").click()
        page.get_by_role("link", name="2022年度案卷评查").click()
        expect(page.locator("h2").first).to_contain_text("本单位评查结果")
        expect(page.locator("table").nth(1)).to_contain_text("未载明复议和诉讼的期限")
        expect(page.get_by_role("button", name="保存评分")).to_have_count(0)
        desk.shot(page, "unit")
        assert ledger_verify(stream=review.stream) == []
    finally:
        desk.close()
