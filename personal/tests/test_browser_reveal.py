"""On a phone: the party's numbers masked on the case page for everyone; the 承办人 shows them
whole with one click, the 科长 with a reason; each reveal shows them once and is on the
审计管理员's record."""

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
        if page.locator("#fold-parties").get_attribute("open") is None:
            page.locator("#fold-parties > summary").click()
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


def test_the_handler_reveals_a_party_s_numbers_on_a_phone_with_one_click(
    org, transactional_db, live_server, browser
):
    case = register(
        org,
        parties=[
            {"kind": "person", "name": "李某", "id_number": PERSON_ID, "phone": "13963501234"}
        ],
    )
    desk = Desk(browser, live_server.url, "reveal-own")
    try:
        page = desk.page(org.handler, phone=True)
        page.goto(f"{desk.base}/cases/{case.pk}/")
        if page.locator("#fold-parties").get_attribute("open") is None:
            page.locator("#fold-parties > summary").click()
        box = page.locator(".party-box").first
        expect(box).to_contain_text(MASKED)
        expect(box).to_contain_text("139****1234")
        expect(box).not_to_contain_text(PERSON_ID)
        expect(box.locator('input[name="reason"]')).to_have_count(0)
        assert not Entry.objects.filter(stream="pii:access").exists()
        fits_the_screen(page)
        desk.shot(page, "masked")
        box.get_by_role("button", name="显示完整（记入访问日志）").click()
        box = page.locator(".party-box").first
        expect(box).to_contain_text(PERSON_ID)
        expect(box).to_contain_text("13963501234")
        expect(box).to_contain_text("查看已记入个人信息访问日志")
        fits_the_screen(page)
        desk.shot(page, "revealed")
        (entry,) = Entry.objects.filter(stream="pii:access")
        assert entry.actor_id == org.handler.pk and entry.payload["reason"] == "承办"
        page.goto(f"{desk.base}/cases/{case.pk}/")
        expect(page.locator(".party-box").first).not_to_contain_text(PERSON_ID)
    finally:
        desk.close()
