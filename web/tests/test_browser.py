"""Browser tests: Debian's chromium driven by Playwright against the live server.

One general-procedure case goes through all 18 steps with five logged-in users, and an
on-the-spot 简易程序 case is decided, collected and filed; the inbox and a step form are used at
a phone's viewport too. Screenshots go to var/screenshots/.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from cases.models import Case
from cases.tests.flow import ORG_CODE, PERSON_ID, advance, register
from conftest import PASSWORD, SHOTS
from demo.testing import otp_code
from ledger.services import ledger_verify
from orgs.identity import totp_device

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# A walk that must work on both screens takes `phone` (True, then False) from this mark.
BOTH_SCREENS = pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])


class Desk:
    """One logged-in browser context per user (desktop or phone)."""

    def __init__(self, browser: Browser, base: str, prefix: str) -> None:
        self.browser, self.base, self.prefix = browser, base, prefix
        self.contexts: dict[tuple[str, bool], BrowserContext] = {}
        self.n = 0

    def page(self, user: Any, phone: bool = False) -> Page:
        key = (user.username, phone)
        if key not in self.contexts:
            ctx = self.browser.new_context(
                viewport=PHONE if phone else DESKTOP,
                locale="zh-CN",
                is_mobile=phone,
                has_touch=phone,
                device_scale_factor=2 if phone else 1,
            )
            page = ctx.new_page()
            page.goto(f"{self.base}/login/")
            page.fill('input[name="username"]', user.username)
            page.fill('input[name="password"]', PASSWORD)
            if totp_device(user) is not None:  # the supervisor, the director: the second factor
                page.fill('input[name="otp_token"]', otp_code(user))
            page.click('button[type="submit"]')
            page.wait_for_url(f"{self.base}/**")
            self.contexts[key] = ctx
        return self.contexts[key].pages[0]

    def shot(self, page: Page, name: str) -> None:
        self.n += 1
        page.screenshot(path=str(SHOTS / f"{self.prefix}-{self.n:02d}-{name}.png"), full_page=True)

    def close(self) -> None:
        for ctx in self.contexts.values():
            ctx.close()


def fits_the_screen(page: Page) -> None:
    """Nothing wider than the phone's screen: no sideways scrolling."""
    width, culprits = page.evaluate(
        """(w) => [document.documentElement.scrollWidth,
        [...document.querySelectorAll('body *')]
          .filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
                        || el.getBoundingClientRect().right > w + 1)
          .slice(-5).map(el => el.tagName + '.' + el.className)]""",
        PHONE["width"],
    )
    assert width <= PHONE["width"], culprits


def within_reach(page: Page, target: Locator) -> None:
    """What the walk clicks or reads is on the screen once scrolled down to: visible, not cut off
    at either side, and not hidden in a box that must be scrolled sideways (a table column or a
    button past the phone's edge fails here, though the page itself does not scroll sideways)."""
    expect(target).to_be_visible()
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    width = page.viewport_size["width"] if page.viewport_size else PHONE["width"]
    assert box is not None and box["width"] > 0 and box["height"] > 0, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (box, width)
    sideways = target.evaluate(
        """el => { const moved = [];
          for (let a = el; a; a = a.parentElement)
            if (a.scrollLeft > 0) moved.push(a.tagName + '.' + a.className);
          if (window.scrollX > 0) moved.push('window');
          return moved; }"""
    )
    assert sideways == [], f"reached only by scrolling sideways: {sideways}"


def png(width: int = 160, height: int = 120) -> bytes:
    """A real PNG (a red-brown rectangle), so the preview shows a picture."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x9b\x1b\x1b" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def open_from_inbox(desk: Desk, user: Any, case: Case, step_name: str, phone: bool = False) -> Page:
    """The user finds the case in its 待办 with the step's name, and opens it."""
    page = desk.page(user, phone)
    page.goto(f"{desk.base}/")
    row = page.locator(f'table.inbox tr:has(a[href="/cases/{case.pk}/"])')
    expect(row).to_contain_text(step_name)
    if phone:
        fits_the_screen(page)
    row.get_by_role("link").first.click()
    expect(page.locator("#act h2")).to_contain_text(step_name)
    if phone:
        fits_the_screen(page)
    return page


def decide(desk: Desk, page: Page, label: str, shot: str) -> None:
    desk.shot(page, shot)
    page.locator("#act .decisions").get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已办理")


def approve(desk: Desk, user: Any, case: Case, step: str, label: str, opinion: str) -> None:
    page = open_from_inbox(desk, user, case, step)
    page.fill('textarea[name="opinion"]', opinion)
    decide(desk, page, label, step)


def test_a_case_goes_through_the_18_steps_in_the_browser_with_five_users(
    org, transactional_db, live_server, browser
):
    desk = Desk(browser, live_server.url, "general")
    try:
        # 1 案源登记 (handler)
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/new/")
        page.select_option('select[name="source"]', "patrol")
        page.fill('textarea[name="clue"]', "巡查发现某商贸公司在建筑物外墙擅自设置大型户外广告牌")
        page.fill('input[name="act_on"]', "2025-02-21")
        page.fill('input[name="place"]', "东昌府区柳园路")
        page.select_option('select[name="parties.0.kind"]', "organisation")
        page.fill('input[name="parties.0.name"]', "聊城市某某商贸有限公司")
        page.fill('input[name="parties.0.id_number"]', ORG_CODE)
        page.fill('input[name="parties.0.address"]', "聊城市东昌府区柳园路1号")
        page.fill('input[name="parties.0.legal_rep"]', "张某")
        desk.shot(page, "lead_register")
        page.get_by_role("button", name="登记并提交审批").click()
        expect(page.locator(".messages")).to_contain_text("已登记")
        case = Case.objects.get()

        # 2 案源处置审批 (chief), at a phone's viewport: the inbox, then the form
        page = open_from_inbox(desk, org.chief, case, "案源处置审批", phone=True)
        desk.shot(page, "phone-lead_approve")
        page.fill('textarea[name="opinion"]', "线索属实，建议立案")
        decide(desk, page, "立案", "phone-lead_approve-filled")
        page.goto(f"{desk.base}/")
        desk.shot(page, "phone-inbox-empty")

        # 3 立案申请 (handler): a missing co-handler is shown next to its field first
        page = open_from_inbox(desk, org.handler, case, "立案申请")
        page.select_option('select[name="matter_code"]', org.matter.code)
        page.fill('textarea[name="summary"]', "涉嫌擅自设置大型户外广告设施")
        page.locator("#act .decisions").get_by_role("button", name="提交").click()
        expect(page.locator("#act")).to_contain_text("此项必填")
        desk.shot(page, "filing_request-error")
        page.select_option('select[name="co_handler"]', org.co_handler.username)
        decide(desk, page, "提交", "filing_request")

        # 4-5 立案审核 (chief), 立案审批 (director)
        approve(desk, org.chief, case, "立案审核", "同意", "同意立案")
        approve(desk, org.director, case, "立案审批", "批准立案", "批准立案")

        # 6 调查取证 (co-handler): evidence upload, then the two records with both officers
        page = desk.page(org.co_handler)
        page.goto(f"{desk.base}/")
        expect(page.locator("table.inbox")).to_contain_text("调查取证")
        page.goto(f"{desk.base}/cases/{case.pk}/")
        page.select_option('select[name="kind"]', "photo")
        page.fill('input[name="title"]', "广告牌现场照片")
        page.set_input_files(
            'input[name="file"]',
            files=[{"name": "photo.png", "mimeType": "image/png", "buffer": png()}],
        )
        page.get_by_role("button", name="上传证据").click()
        expect(page.locator("#evidence")).to_contain_text("SM3")
        page.fill('textarea[name="records.0.content"]', "现场发现广告牌一块，未经批准设置")
        page.fill('textarea[name="records.1.content"]', "当事人承认未经批准设置")
        decide(desk, page, "调查完毕", "investigation")

        # 7 调查终结报告 (handler, at a phone's viewport): an amount outside the band is
        # refused with the reason, then the ordinary band passes
        page = open_from_inbox(desk, org.handler, case, "调查终结报告", phone=True)
        page.fill('textarea[name="facts"]', "当事人未经批准擅自设置大型户外广告设施")
        page.select_option('select[name="proposals.0.outcome"]', "penalty")
        page.select_option('select[name="proposals.0.penalties.0.type"]', "fine")
        page.fill('input[name="proposals.0.penalties.0.amount"]', "9500")
        page.locator("#act .decisions").get_by_role("button", name="提交").click()
        expect(page.locator(".refused")).to_contain_text("未办理")
        fits_the_screen(page)
        desk.shot(page, "phone-investigation_report-refused")
        page.fill('input[name="proposals.0.penalties.0.amount"]', "5000")
        decide(desk, page, "提交", "phone-investigation_report")

        # 8-10 审核, 法制审核 (legal), 拟处罚审批 (director)
        approve(desk, org.chief, case, "调查终结审核", "同意", "事实清楚，证据确凿")
        approve(desk, org.legal, case, "法制审核", "同意", "主体合法，事实清楚，适用依据正确")
        approve(desk, org.director, case, "拟处罚审批", "同意", "同意")

        # 11-12 事先告知, 陈述申辩 (handler)
        page = open_from_inbox(desk, org.handler, case, "事先告知")
        decide(desk, page, "送达告知书", "notice_issue")
        page = open_from_inbox(desk, org.handler, case, "陈述申辩/听证")
        page.select_option('select[name="responses.0.kind"]', "statement")
        page.fill('textarea[name="responses.0.statement"]', "请求从轻处罚")
        decide(desk, page, "提交", "notice_response")

        # 13-14 复核 (chief), 处罚决定审批 (director)
        approve(desk, org.chief, case, "复核", "不予采纳", "陈述理由不成立，不予采纳")
        approve(desk, org.director, case, "处罚决定审批", "批准", "同意")

        # 15-17 决定书, 送达, 执行 (handler): the forms start from what the case knows
        page = open_from_inbox(desk, org.handler, case, "制作决定书")
        expect(page.locator('input[name="decisions.0.penalties.0.amount"]')).to_have_value("5000")
        decide(desk, page, "签发", "decision_issue")
        page = open_from_inbox(desk, org.handler, case, "送达")
        page.fill('input[name="deliveries.0.receiver"]', "张某")
        decide(desk, page, "送达完毕", "delivery")
        page = open_from_inbox(desk, org.handler, case, "执行")
        decide(desk, page, "执行完毕", "execution")

        # 18 结案审批 (chief)
        approve(desk, org.chief, case, "结案审批", "同意结案", "同意结案")

        page = desk.page(org.chief)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        expect(page.locator(".casehead")).to_contain_text("已结案")
        expect(page.locator("#record")).to_contain_text("完整性已校验")
        # Reading issues nothing: the chief issues the 立案审批表 (a POST), then its links show.
        expect(page.locator("#documents")).not_to_contain_text("PDF")
        filing = page.locator("#documents li", has_text="立案审批表")
        filing.get_by_role("button", name="出具", exact=True).click()
        expect(page.locator("#documents")).to_contain_text("PDF")
        desk.shot(page, "closed-case")
        case.refresh_from_db()
        assert (case.status, case.step) == ("closed", "end")
        actions = list(case.decisions.values_list("items__type", "items__amount", "executed_on"))
        assert actions and actions[0][0] == "fine"
        assert not ledger_verify(stream=case.stream)
        record = page.locator("#record ol.timeline > li")
        expect(record).to_have_count(case_entries(case))

        # The city's supervisor finds it by the party's name and reads it, without a form.
        page = desk.page(org.supervisor)
        page.goto(f"{desk.base}/cases/")
        page.fill('input[name="q"]', "某某商贸")
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#case-rows")).to_contain_text(case.case_no)
        desk.shot(page, "supervisor-case-list")
        page.locator("#case-rows").get_by_role("link", name=case.case_no).click()
        expect(page.locator("#record")).to_contain_text("完整性已校验")
        expect(page.locator("#act")).to_have_count(0)
    finally:
        desk.close()


def case_entries(case: Case) -> int:
    from ledger.models import Entry

    return Entry.objects.filter(stream=case.stream).count()


def test_an_officer_decides_an_on_the_spot_case_on_a_phone_and_the_chief_files_it(
    org, transactional_db, live_server, browser
):
    desk = Desk(browser, live_server.url, "simple")
    try:
        page = desk.page(org.handler, phone=True)
        page.goto(f"{desk.base}/")
        page.get_by_role("link", name="当场处罚").click()
        page.select_option('select[name="matter_code"]', org.matter.code)
        page.fill('input[name="place"]', "柳园路")
        page.fill('textarea[name="clue"]', "店外乱设广告牌")
        page.select_option('select[name="parties.0.kind"]', "person")
        page.fill('input[name="parties.0.name"]', "李某")
        page.fill('input[name="parties.0.id_number"]', PERSON_ID)
        page.fill('input[name="parties.0.address"]', "聊城市东昌府区")
        desk.shot(page, "phone-register")
        page.get_by_role("button", name="开始当场处罚").click()
        expect(page.locator("#act h2")).to_contain_text("当场处罚决定")
        case = Case.objects.get()

        # Over the Art. 51 limit for a citizen: refused with the article, nothing changed.
        page.select_option('select[name="penalties.0.type"]', "fine")
        page.fill('input[name="penalties.0.amount"]', "500")
        page.check('input[name="certificate_shown"][type="checkbox"]')
        page.locator("#act .decisions").get_by_role("button", name="当场作出并交付").click()
        expect(page.locator(".refused")).to_contain_text("第五十一条")
        desk.shot(page, "phone-refused")
        case.refresh_from_db()
        assert case.step == "simple_decide"

        page.fill('input[name="penalties.0.amount"]', "50")
        decide(desk, page, "当场作出并交付", "phone-decided")
        page.select_option('select[name="kind"]', "on_spot")
        page.fill('input[name="amount"]', "50")
        page.fill('input[name="receipt_no"]', "SD-0001")
        decide(desk, page, "执行完毕", "phone-collected")

        page = open_from_inbox(desk, org.chief, case, "报所属机关备案", phone=True)
        decide(desk, page, "备案", "phone-filed")
        case.refresh_from_db()
        assert (case.procedure, case.status) == ("simple", "closed")
    finally:
        desk.close()


def test_the_legal_reviewer_files_and_concludes_a_reconsideration_on_the_case_page(
    org, transactional_db, live_server, browser
):
    case = advance(org, register(org), until="execution")
    desk = Desk(browser, live_server.url, "reviews")
    try:
        page = desk.page(org.legal)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        # No review filed yet: nothing waits, the section is folded; its summary opens it.
        fold = page.locator("details#fold-reviews")
        expect(fold).not_to_have_attribute("open", "")
        fold.locator("> summary").click()
        section = page.locator("#reviews")
        form = section.locator("form.review-form.file")
        form.locator('select[name="kind"]').select_option("reconsideration")
        form.locator('input[name="filed_on"]').fill("2025-03-03")
        form.get_by_role("button", name="登记申请（起诉）").click()
        # Refused through htmx: the section comes back with the error by its field.
        expect(section.locator("form.review-form.file .errorlist")).to_contain_text("此项必填")
        form = section.locator("form.review-form.file")
        form.locator('input[name="organ"]').fill("聊城市人民政府")
        form.get_by_role("button", name="登记申请（起诉）").click()
        expect(page.locator(".messages")).to_contain_text("已登记复议诉讼申请")
        expect(page.locator("#reviews .review-item")).to_contain_text("办理中")

        conclude = page.locator("#reviews form.review-form.conclude")
        conclude.locator('select[name="ending"]').select_option("revoked")
        conclude.get_by_role("button", name="登记结果").click()
        expect(page.locator(".messages")).to_contain_text("已登记复议诉讼结果")
        expect(page.locator("#reviews .review-item")).to_contain_text("纠错")
        expect(page.locator("#record")).to_contain_text("登记复议诉讼结果")
        desk.shot(page, "concluded")
        assert case.decisions.get().reviews.get().result == "corrected"
        assert ledger_verify(stream=case.stream) == []
    finally:
        desk.close()
