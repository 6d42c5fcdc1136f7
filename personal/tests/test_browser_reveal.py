"""The 科长 on a phone: the party's numbers masked on the case page, 显示完整 with a reason shows
them once, and the reveal is on the 审计管理员's record."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.tests.flow import PERSON_ID, register
from ledger.models import Entry
from web.tests.test_browser import Desk, fits_the_screen
from zhifa import crypto

MASKED = PERSON_ID[:3] + "*" * 11 + PERSON_ID[-4:]


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path):
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "sm4.key"
    crypto.forget()
    yield
    crypto.forget()


def test_the_chief_reveals_a_party_s_numbers_on_a_phone_with_a_reason(
    org, transactional_db, live_server, browser
):
    case = register(
        org,
        parties=[
            {"kind": "person", "name": "李某", "id_number": PERSON_ID, "phone": "13963501234"}
        ],
    )
    desk = Desk(browser, live_server.url, "reveal")
    try:
        page = desk.page(org.chief, phone=True)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        box = page.locator(".party-box").first
        expect(box).to_contain_text(MASKED)
        expect(box).to_contain_text("139****1234")
        expect(box).not_to_contain_text(PERSON_ID)
        fits_the_screen(page)
        box.locator("summary", has_text="显示完整").click()
        box.locator('input[name="reason"]').fill("送达前核对当事人身份")
        desk.shot(page, "reason")
        box.locator('button[type="submit"]').click()
        box = page.locator(".party-box").first
        expect(box).to_contain_text(PERSON_ID)
        expect(box).to_contain_text("13963501234")
        expect(box).to_contain_text("查看已记入个人信息访问日志")
        fits_the_screen(page)
        desk.shot(page, "revealed")
        (entry,) = Entry.objects.filter(stream="pii:access")
        assert entry.actor_id == org.chief.pk
        assert entry.payload["reason"] == "送达前核对当事人身份"
        page.goto(f"{desk.base}/cases/{case.pk}/")
        expect(page.locator(".party-box").first).not_to_contain_text(PERSON_ID)
    finally:
        desk.close()
