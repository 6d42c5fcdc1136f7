"""The phone page in Chromium's mobile emulation: camera inputs, location, plate check, submit.

Screenshots go to var/screenshots/joint-*.png.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, SHOTS
from joint.models import ParkingReport
from joint.tests.conftest import jpeg

# An iPhone-sized screen; the fixed position is 聊城 古楼 (lat, lng).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    ),
}
POSITION = {"latitude": 36.456321, "longitude": 115.985123, "accuracy": 9}


def phone(browser: Browser, base: str, *, located: bool) -> Page:
    ctx = browser.new_context(
        **PHONE,
        geolocation=POSITION if located else None,
        permissions=["geolocation"] if located else [],
    )
    page = ctx.new_page()
    page.goto(f"{base}/login/")
    page.fill('input[name="username"]', "handler")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/joint/")
    return page


def photo(name: str, colour: str) -> dict[str, object]:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg(colour, (640, 480))}


def test_an_officer_files_a_report_from_a_phone_with_two_photos_and_gps(
    joint, transactional_db, live_server, browser
):
    page = phone(browser, live_server.url, located=True)
    expect(page.locator("#geo-status")).to_contain_text("已定位 36.45632, 115.98512")
    assert page.locator("#photo1").get_attribute("capture") == "environment"
    page.fill("#plate", "鲁P1234")
    expect(page.locator("#plate-hint")).to_contain_text("格式不正确")
    page.fill("#plate", "鲁pd12345")
    expect(page.locator("#plate-hint")).to_contain_text("新能源号牌")
    page.fill("#street", "柳园路")
    page.set_input_files("#photo1", photo("car.jpg", "firebrick"))
    page.set_input_files("#photo2", photo("place.jpg", "steelblue"))
    expect(page.locator("#preview2")).to_be_visible()
    page.screenshot(path=str(SHOTS / "joint-01-phone-form.png"), full_page=True)
    page.click("#submit")
    page.wait_for_url(f"{live_server.url}/joint/reports/*/")
    expect(page.locator("#countdown")).to_contain_text("剩余")
    page.screenshot(path=str(SHOTS / "joint-02-phone-submitted.png"), full_page=True)
    report = ParkingReport.objects.get()
    assert (report.plate, report.plate_kind, report.step) == (
        "鲁PD12345",
        "new_energy",
        "park_window",
    )
    assert (float(report.latitude), float(report.longitude), report.accuracy_m) == (
        36.456321,
        115.985123,
        9,
    )
    assert report.photos.count() == 2
    # The car leaves: the officer photographs the empty place on the same page.
    page.set_input_files('input[name="photo"]', photo("gone.jpg", "white"))
    page.click("text=确认已驶离（不予处罚）")
    expect(page.locator(".badge.ok")).to_contain_text("限时驶离，不予处罚")
    page.screenshot(path=str(SHOTS / "joint-03-phone-drove-away.png"), full_page=True)
    report.refresh_from_db()
    assert report.outcome == "no_penalty"


def test_without_location_the_officer_types_the_place(
    joint, transactional_db, live_server, browser
):
    page = phone(browser, live_server.url, located=False)
    expect(page.locator("#geo-status")).to_contain_text("无法定位，请填写交叉道路或地点描述")
    page.fill("#plate", "鲁P12345")
    page.fill("#street", "东昌路")
    page.fill("#place", "东昌路百货大楼北门")
    page.set_input_files("#photo1", photo("a.jpg", "olive"))
    page.set_input_files("#photo2", photo("b.jpg", "navy"))
    page.screenshot(path=str(SHOTS / "joint-04-phone-manual-place.png"), full_page=True)
    page.click("#submit")
    page.wait_for_url(f"{live_server.url}/joint/reports/*/")
    expect(page.locator("body")).to_contain_text("已短信提醒 139****0001")
    report = ParkingReport.objects.get()
    assert report.latitude is None and report.place == "东昌路百货大楼北门"


def test_the_owners_drive_away_is_checked_by_the_officer_before_the_report_ends(
    joint, transactional_db, live_server, browser
):
    import re

    from outbox.models import Delivery
    from outbox.services import outbox_send_due

    page = phone(browser, live_server.url, located=True)
    page.fill("#plate", "鲁P12345")
    page.fill("#street", "柳园路")
    page.fill("#cross_street", "兴华路")
    page.set_input_files("#photo1", photo("car.jpg", "firebrick"))
    page.set_input_files("#photo2", photo("place.jpg", "steelblue"))
    page.click("#submit")
    page.wait_for_url(f"{live_server.url}/joint/reports/*/")
    outbox_send_due()
    body = Delivery.objects.get(channel="sms").body
    assert "停放在柳园路与兴华路路口，" in body
    link = re.search(r"/joint/c/[\w-]+/", body).group(0)
    owner = browser.new_context(**PHONE).new_page()  # the owner's own phone, no login
    owner.goto(f"{live_server.url}{link}")
    expect(owner.locator("body")).to_contain_text("您的车辆停放在柳园路与兴华路路口")
    owner.get_by_role("button", name="我已驶离").click()
    expect(owner.locator("#claimed")).to_contain_text("执法人员核实后办结")
    owner.screenshot(path=str(SHOTS / "joint-06-owner-claimed.png"), full_page=True)
    report = ParkingReport.objects.get()
    assert report.step == "park_window" and report.outcome == ""
    page.reload()
    expect(page.locator("#claim-pending")).to_have_text("待核实")
    page.screenshot(path=str(SHOTS / "joint-07-officer-claim.png"), full_page=True)
    page.get_by_role("button", name="核实已驶离（不予处罚）").click()
    expect(page.locator("h1 .badge.ok")).to_contain_text("限时驶离，不予处罚")
    expect(page.locator("body")).to_contain_text("车主确认，执法人员核实")
    page.screenshot(path=str(SHOTS / "joint-08-officer-confirmed.png"), full_page=True)
    report.refresh_from_db()
    assert (report.outcome, report.drove_away_via) == ("no_penalty", "owner")
