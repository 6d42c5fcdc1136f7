"""Two walks of 强制执行 on the case page, with the 文书 issued and read back from their PDFs:

- a fine through 催告 → 送达 → 陈述申辩 → 复核 → the application to the court (drafted once ten
  working days passed after the 催告's service, signed by the head, accepted, ruled on);
- a structure to be removed (责令限期拆除, a non-monetary obligation) through 代履行, carried out
  on the third working day after its 催告 and refused the day before.

The clock (zhifa.clock) moves across the limits. Screenshots go to var/screenshots/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from cases.models import Case
from cases.tests.flow import act, advance, register
from documents.models import Document
from documents.tests.helpers import pdf_text
from enforcement.models import EnforcementRecord
from enforcement.tests.test_services import at, decided
from web.tests.test_browser import Desk

PARTY = "聊城市某某商贸有限公司"


def structure_decided(org: Any) -> Case:
    """A case whose decision orders the party to remove a billboard within ten days (no money),
    served on 2025-03-03, under a matter whose law grants the agency the power to enforce."""
    org.matter.own_enforcement_power = True
    org.matter.enforcement_power_scope = "performance"
    org.matter.enforcement_power_basis = "《中华人民共和国城乡规划法》第六十八条"
    org.matter.penalty_types = [*org.matter.penalty_types, "other"]
    org.matter.save()
    order = [{"type": "other", "description": "责令限期拆除违法设置的户外广告牌"}]
    case = advance(org, register(org), "investigation_report")
    proposals = [{"party": 0, "outcome": "penalty", "penalties": order, "circumstance": "ordinary"}]
    case = act(org, case, "investigation_report", proposals=proposals)
    case = advance(org, case, "decision_issue")
    decisions = [
        {
            "party": 0,
            "outcome": "penalty",
            "penalties": order,
            "facts": "经查，当事人擅自设置大型户外广告设施",
            "basis": "条例第三十六条",
            "performance": "自收到本决定书之日起十日内自行拆除",
        }
    ]
    case = act(org, case, "decision_issue", decisions=decisions)
    return advance(org, case, "execution")


def take(page: Page, label: str, fill: dict[str, str] | None = None, **checks: bool) -> None:
    """Open the action's form in the section, fill it and submit it (htmx swaps the section)."""
    section = page.locator("#enforcement")
    section.locator("summary", has_text=label).first.click()
    form = section.locator("details[open] form").first
    for name, value in (fill or {}).items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for name, on in checks.items():
        if on:
            form.locator(f'input[name="{name}"]').check()
    form.get_by_role("button", name=label).click()


def issue_and_read(desk: Desk, page: Page, record: int, kind: str, title: str) -> str:
    """出具 the record's document from the case page, then fetch its PDF and return its text."""
    docs = page.locator(f'#enforcement [data-enforcement-docs="{record}"] li[data-kind="{kind}"]')
    expect(docs).to_contain_text(title)
    docs.get_by_role("button", name="出具").click()
    expect(page.locator(".messages")).to_contain_text(f"已出具《{title}》")
    # The page reloads; with nothing left waiting for the handler the section comes folded.
    fold = page.locator("details#fold-enforcement")
    if fold.get_attribute("open") is None:
        fold.locator("> summary").click()
    docs = page.locator(f'#enforcement [data-enforcement-docs="{record}"] li[data-kind="{kind}"]')
    link = docs.get_by_role("link", name="PDF")
    expect(link).to_be_visible()
    response = page.request.get(f"{desk.base}{link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    return pdf_text(response.body())


def step_of(record: EnforcementRecord) -> str:
    return EnforcementRecord.objects.get(pk=record.pk).step


def test_a_fine_goes_from_the_notice_to_the_courts_ruling_with_its_documents(
    org, transactional_db, live_server, browser
):
    case = decided(org)  # 罚款 5,000 元, served 2025-03-03
    at(dt.date(2025, 9, 29))
    desk = Desk(browser, live_server.url, "enforcement-court")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        section = page.locator("#enforcement")
        section.locator("summary", has_text="开始强制执行").click()
        form = section.locator('form[data-decision="issue"]')
        form.locator('input[name="term_ends"]').fill("2025-09-30")
        form.locator('select[name="obligation"]').select_option("money")
        form.locator('input[name="manner"]').fill("到指定银行缴纳罚款")
        form.locator('input[name="amount"]').fill("5000.00")
        form.locator('input[name="rights_told"]').check()
        form.get_by_role("button", name="制作催告书（第三十五条）").click()
        expect(page.locator("#enforcement .enforcement")).to_contain_text("催告书送达")
        record = EnforcementRecord.objects.get()

        text = issue_and_read(desk, page, record.pk, "enforcement_notice", "催告书")
        notice = Document.objects.get(kind="enforcement_notice")
        for fragment in (PARTY, "人民币伍仟元整", "第三十五条", notice.number, "2025年9月30日"):
            assert fragment in text, fragment

        take(page, "已送达", {"served_on": "2025-09-29"})
        expect(page.locator("#enforcement .enforcement")).to_contain_text("陈述申辩")
        take(page, "记录陈述申辩", no_statement=True)
        expect(page.locator("#enforcement .enforcement")).to_contain_text("陈述申辩复核")
        assert step_of(record) == "en_review"

        chief = desk.page(org.chief)
        chief.goto(f"{desk.base}/cases/{case.pk}/")
        take(chief, "理由不成立，继续执行", {"opinion": "当事人未提出陈述申辩，继续执行"})
        expect(chief.locator("#enforcement .enforcement")).to_contain_text("选择执行途径")

        # The ninth working day after service (国庆 2025-10-01..08 in between): refused.
        at(dt.date(2025, 10, 20))
        page.goto(f"{desk.base}/cases/{case.pk}/")
        take(page, "申请人民法院强制执行")
        expect(page.locator("#enforcement .enforcement")).to_contain_text("申请人民法院强制执行")
        court = {"court": "聊城市东昌府区人民法院"}
        take(page, "报请负责人签发", court, materials_complete=True)
        expect(page.locator("#enforcement .refused")).to_contain_text("第五十四条")
        assert step_of(record) == "en_court_apply"
        desk.shot(page, "too-early")

        # The tenth working day has passed: in time.
        at(dt.date(2025, 10, 21))
        page.goto(f"{desk.base}/cases/{case.pk}/")
        take(page, "报请负责人签发", court, materials_complete=True)
        expect(page.locator("#enforcement .enforcement")).to_contain_text("负责人签发申请")

        head = desk.page(org.director)
        head.goto(f"{desk.base}/cases/{case.pk}/")
        take(head, "签名并加盖印章", signed=True)
        expect(head.locator("#enforcement .enforcement")).to_contain_text("法院受理")

        page.goto(f"{desk.base}/cases/{case.pk}/")
        text = issue_and_read(desk, page, record.pk, "court_application", "强制执行申请书")
        application = Document.objects.get(kind="court_application")
        for fragment in (
            PARTY,
            "人民币伍仟元整",
            "第五十五条",
            application.number,
            notice.number,
            "聊城市东昌府区人民法院",
            str(org.director),
        ):
            assert fragment in text, fragment

        take(page, "已受理", {"on": "2025-10-21"})
        expect(page.locator("#enforcement .enforcement")).to_contain_text("法院裁定")
        take(page, "裁定准予执行", {"on": "2025-10-21"})
        expect(page.locator("#enforcement .enforcement")).to_contain_text("人民法院裁定准予执行")
        desk.shot(page, "ruled")
        assert step_of(record) == "en_done"
    finally:
        desk.close()


def test_a_billboard_is_removed_by_substitute_performance_three_working_days_after_its_notice(
    org, transactional_db, live_server, browser
):
    case = structure_decided(org)
    at(dt.date(2025, 9, 29))
    desk = Desk(browser, live_server.url, "enforcement-substitute")
    try:
        page = desk.page(org.handler)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        section = page.locator("#enforcement")
        section.locator("summary", has_text="开始强制执行").click()
        form = section.locator('form[data-decision="issue"]')
        form.locator('input[name="term_ends"]').fill("2025-09-30")
        form.locator('select[name="obligation"]').select_option("performance")
        form.locator('input[name="manner"]').fill("自行拆除违法设置的户外广告牌")
        form.locator('input[name="act"]').fill("拆除违法设置的户外广告牌")
        form.locator('input[name="rights_told"]').check()
        form.get_by_role("button", name="制作催告书（第三十五条）").click()
        expect(page.locator("#enforcement .enforcement")).to_contain_text("催告书送达")
        record = EnforcementRecord.objects.get()
        text = issue_and_read(desk, page, record.pk, "enforcement_notice", "催告书")
        for fragment in (PARTY, "自行拆除违法设置的户外广告牌", "不涉及金钱给付", "第三十五条"):
            assert fragment in text, fragment

        take(page, "已送达", {"served_on": "2025-09-29"})
        expect(page.locator("#enforcement .enforcement")).to_contain_text("陈述申辩")
        take(page, "记录陈述申辩", no_statement=True)
        chief = desk.page(org.chief)
        chief.goto(f"{desk.base}/cases/{case.pk}/")
        take(chief, "理由不成立，继续执行", {"opinion": "继续执行"})
        expect(chief.locator("#enforcement .enforcement")).to_contain_text("选择执行途径")

        at(dt.date(2025, 10, 9))
        page.goto(f"{desk.base}/cases/{case.pk}/")
        take(page, "代履行")
        expect(page.locator("#enforcement .enforcement")).to_contain_text("代履行决定")
        take(
            page,
            "作出代履行决定",
            {
                "reason": "当事人逾期未拆除违法设置的户外广告牌",
                "manner": "委托第三人拆除",
                "object": "东昌府区柳园路户外广告牌一块",
                "performer": "聊城市某某拆除工程有限公司",
                "budget": "3000",
                "planned_on": "2025-10-14",
            },
        )
        expect(page.locator("#enforcement .enforcement")).to_contain_text("代履行催告")

        page.goto(f"{desk.base}/cases/{case.pk}/")
        text = issue_and_read(desk, page, record.pk, "substitute_decision", "代履行决定书")
        decision = Document.objects.get(kind="substitute_decision")
        for fragment in (
            PARTY,
            "聊城市某某拆除工程有限公司",
            "人民币叁仟元整",
            "第五十一条",
            decision.number,
        ):
            assert fragment in text, fragment
        text = issue_and_read(desk, page, record.pk, "substitute_notice", "代履行催告书")
        # Three working days before 2025-10-14 (the 11th a working Saturday): served by the 10th.
        for fragment in (PARTY, decision.number, "不迟于2025年10月10日", "第五十一条第一款第二项"):
            assert fragment in text, fragment

        at(dt.date(2025, 10, 10))
        page.goto(f"{desk.base}/cases/{case.pk}/")
        take(page, "代履行前催告已送达", {"served_on": "2025-10-10"})
        expect(page.locator("#enforcement .enforcement")).to_contain_text("实施代履行")

        # 2025-10-13 is only the second working day after the 催告 (served 10-10; 10-11 a
        # working Saturday): refused. 2025-10-14, the third: lawful.
        at(dt.date(2025, 10, 13), hour=10)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        carry = {"carried_out_at": "2025-10-13T09:00"}
        take(page, "实施代履行", carry, officer_present=True, signed=True)
        expect(page.locator("#enforcement .refused")).to_contain_text("第五十一条")
        assert step_of(record) == "en_sub_carry_out"
        desk.shot(page, "too-early")

        at(dt.date(2025, 10, 14), hour=10)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        carry = {"carried_out_at": "2025-10-14T09:00"}
        take(page, "实施代履行", carry, officer_present=True, signed=True)
        expect(page.locator("#enforcement .enforcement")).to_contain_text("代履行费用")
        # A cost to pay needs the term the party is given (第五十一条第二款).
        take(page, "确定代履行费用", {"cost": "2800"})
        expect(page.locator("#enforcement .refused")).to_contain_text("缴纳代履行费用的期限")
        assert step_of(record) == "en_sub_cost"
        # The refused form stays open with what was sent: the term is added to it.
        form = page.locator('#enforcement details[open] form[data-decision="charge"]')
        expect(form.locator('[name="cost"]')).to_have_value("2800")
        form.locator('[name="term_ends"]').fill("2025-10-28")
        form.get_by_role("button", name="确定代履行费用").click()
        expect(page.locator("#enforcement .enforcement")).to_contain_text("已代履行")
        desk.shot(page, "substituted")
        assert step_of(record) == "en_done"
        page.goto(f"{desk.base}/cases/{case.pk}/")
        kind, title = "substitute_cost_notice", "代履行费用缴纳通知书"
        text = issue_and_read(desk, page, record.pk, kind, title)
        for fragment in (PARTY, "人民币贰仟捌佰元整", "2025年10月28日前", "第五十一条第二款"):
            assert fragment in text, fragment
    finally:
        desk.close()


def test_the_handler_records_an_instalment_paid_on_the_phone_after_a_sum_too_large(
    org, transactional_db, live_server, browser
):
    from enforcement.tests.test_services import planned

    case = decided(org)  # 罚款 5,000 元 in two instalments: 2,000 and 3,000
    first = planned(org, case)
    at(first)
    desk = Desk(browser, live_server.url, "enforcement-instalment")
    try:
        page = desk.page(org.handler, phone=True)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        plan = page.locator("#enforcement .deferral")
        expect(plan).to_contain_text("延期（分期）缴纳罚款")
        plan.locator("summary", has_text="登记分期缴款").click()
        form = plan.locator('form[data-decision="instalment"]')
        expect(form.locator('[name="amount"]')).to_have_value("2000.00")
        form.locator('[name="amount"]').fill("2500")
        form.locator('[name="paid_on"]').fill(first.isoformat())
        form.get_by_role("button", name="登记缴款").click()
        expect(page.locator("#enforcement")).to_contain_text("不能超过第1期应缴的2000.00元")
        desk.shot(page, "instalment-refused")
        form = page.locator('#enforcement details[open] form[data-decision="instalment"]')
        form.locator('[name="amount"]').fill("2000.00")
        form.get_by_role("button", name="登记缴款").click()
        expect(page.locator("#enforcement .deferral")).to_contain_text(f"{first.isoformat()}已缴纳")
        desk.shot(page, "instalment-paid")
    finally:
        desk.close()
