"""A phone-sized browser files a complaint on the public site and reads its status by the code.

Screenshots go to var/screenshots/complaints-*.png.
"""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from complaints.models import Complaint
from complaints.services import complaint_accept
from complaints.tests.conftest import jpeg
from conftest import SHOTS

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}


def test_a_phone_files_a_complaint_and_reads_its_status(
    org, transactional_db, live_server, browser: Browser
):
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/gs/")
    page.click("text=投诉举报")
    page.wait_for_url(f"{live_server.url}/gs/tousu/")
    page.fill('textarea[name="facts"]', "小区门口烧烤摊占道经营，油烟扰民")
    page.fill('input[name="place"]', "东昌府区柳园路88号")
    page.fill('input[name="happened_on"]', "2025-03-02")
    page.select_option('select[name="unit"]', label=org.cgj.name)
    page.fill('input[name="contact_name"]', "王小明")
    page.fill('input[name="contact_phone"]', "13912345678")
    page.set_input_files(
        'input[name="photos"]', {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    page.screenshot(path=str(SHOTS / "complaints-01-form.png"), full_page=True)
    page.click("text=提交投诉举报")
    expect(page.locator("h1")).to_contain_text("投诉举报已提交")
    code = page.locator("#tracking-code").inner_text()
    c = Complaint.objects.get()
    assert code == c.code and c.unit == org.cgj and c.photos.count() == 1
    page.screenshot(path=str(SHOTS / "complaints-02-filed.png"), full_page=True)

    complaint_accept(complaint_id=c.pk, actor=org.chief)
    page.click("a.button:has-text('查询办理情况')")
    expect(page.locator("#status-label")).to_have_text("受理")
    body = page.locator("body").inner_text()
    assert "139****5678" in body and "13912345678" not in body
    assert str(org.chief) not in body
    # Typed by hand later, in lower case with a space.
    page.goto(f"{live_server.url}/gs/tousu/chaxun/")
    page.fill('input[name="code"]', f"{code[:6].lower()} {code[6:]}")
    page.click("button:has-text('查询')")
    expect(page.locator("#status-label")).to_have_text("受理")
    page.screenshot(path=str(SHOTS / "complaints-03-status.png"), full_page=True)
