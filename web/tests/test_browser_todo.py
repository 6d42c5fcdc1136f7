"""The 待办 in a real browser, each walk on a phone and on a desktop: the 分管局长 finds a seizure
in it and approves it; a case sent back opens with the reason on top and the officer's fields
still filled, and a half-written form is kept as a draft. Screenshots go to var/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import StepDraft
from cases.tests.flow import act, advance, register
from coercion.models import CoerciveMeasure
from coercion.services import measure_propose
from ledger.services import ledger_verify
from web.tests.test_browser import BOTH_SCREENS, Desk, fits_the_screen, within_reach
from web.tests.test_todo import SEIZE

pytestmark = pytest.mark.django_db(transaction=True)


@BOTH_SCREENS
def test_the_head_finds_a_seizure_in_the_todo_and_approves_it(org, live_server, browser, phone):
    case = register(org)
    measure_propose(case_id=case.pk, actor=org.handler, **SEIZE)
    desk = Desk(browser, live_server.url, f"todo-{'phone' if phone else 'desktop'}")
    try:
        page = desk.page(org.director, phone=phone)
        page.goto(f"{desk.base}/")
        expect(page.locator(".todo-kinds")).to_contain_text("强制措施 1")
        row = page.locator('#todo tr[data-kind="measure"]')
        expect(row).to_contain_text("审批强制措施")
        expect(row).to_contain_text("户外广告牌")
        if phone:
            fits_the_screen(page)
        desk.shot(page, "head-todo")
        link = row.get_by_role("link", name="审批强制措施")
        within_reach(page, link)
        link.click()
        # The link asks for the section (?open=measures): it comes open, whatever the browser
        # does with a closed details and an #anchor.
        expect(page).to_have_url(f"{desk.base}/cases/{case.pk}/?open=measures#measures")
        expect(page.locator("details#fold-measures")).to_have_attribute("open", "")
        # The line leads to the measures, not to the top of a long case page.
        expect(page.locator("#measures")).to_be_in_viewport()
        decide = page.locator("#measures form.measure-form.decide")
        decide.locator('textarea[name="opinion"]').fill("同意扣押")
        approve = decide.get_by_role("button", name="批准", exact=True)
        within_reach(page, approve)
        if phone:
            fits_the_screen(page)
        desk.shot(page, "head-measure")
        approve.click()
        expect(page.locator(".messages")).to_contain_text("已作出审批决定")
        assert CoerciveMeasure.objects.get().step == "cm_carry_out"
        page.goto(f"{desk.base}/")
        expect(page.locator('#todo tr[data-kind="measure"]')).to_have_count(0)
        assert ledger_verify(stream=case.stream) == []
    finally:
        desk.close()


@BOTH_SCREENS
def test_a_returned_case_keeps_the_officers_fields_and_a_draft_keeps_a_half_written_form(
    org, live_server, browser, phone
):
    case = advance(org, register(org), until="filing_review")
    act(org, case, "filing_review", decision="return", opinion="请补充违法行为终了日期")
    desk = Desk(browser, live_server.url, f"todo-return-{'phone' if phone else 'desktop'}")
    try:
        page = desk.page(org.handler, phone=phone)
        page.goto(f"{desk.base}/")
        row = page.locator('#todo tr.returned[data-kind="case"]')
        expect(row).to_contain_text("退回")
        expect(row).to_contain_text("请补充违法行为终了日期")
        if phone:
            fits_the_screen(page)
        link = row.get_by_role("link", name="立案申请")
        within_reach(page, link)
        link.click()
        expect(page.locator("#returned")).to_contain_text("请补充违法行为终了日期")
        expect(page.locator("#returned")).to_contain_text(str(org.chief))
        form = page.locator("#act form.stepform")
        expect(form.locator('textarea[name="summary"]')).to_have_value(
            "涉嫌擅自设置大型户外广告设施"
        )
        expect(form.locator('select[name="co_handler"]')).to_have_value(org.co_handler.username)
        expect(form.locator('select[name="matter_code"]')).to_have_value(org.matter.code)
        # What the case already knew is still there, not only what the step's post carried.
        case.refresh_from_db()
        assert case.act_on is not None
        expect(form.locator('input[name="act_on"]')).to_have_value(case.act_on.isoformat())
        if phone:
            fits_the_screen(page)
        desk.shot(page, "returned")

        form.locator('input[name="act_ended_on"]').fill("2025-03-01")
        form.locator('textarea[name="summary"]').fill(
            "涉嫌擅自设置大型户外广告设施，已补充终了日期"
        )
        within_reach(page, form.get_by_role("button", name="保存草稿"))
        form.get_by_role("button", name="保存草稿").click()
        expect(page.locator(".messages")).to_contain_text("已保存草稿")
        page.reload()
        form = page.locator("#act form.stepform")
        expect(page.locator(".draft-note")).to_be_visible()
        expect(form.locator('input[name="act_ended_on"]')).to_have_value("2025-03-01")
        expect(form.locator('textarea[name="summary"]')).to_have_value(
            "涉嫌擅自设置大型户外广告设施，已补充终了日期"
        )
        within_reach(page, form.get_by_role("button", name="提交"))
        form.get_by_role("button", name="提交").click()
        expect(page.locator(".messages")).to_contain_text("已办理“立案申请”")
        assert not StepDraft.objects.exists()
        desk.shot(page, "resubmitted")
    finally:
        desk.close()
