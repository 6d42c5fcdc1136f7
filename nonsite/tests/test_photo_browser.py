"""The officer's walk in Chromium, on a phone and on a desktop: the 超限 queue shows each record's
photo, the record opens with its photos, and the ticked records are confirmed in one batch.
Screenshots go to var/screenshots/nonsite-{phone,desktop}-1*.png."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Browser, expect

from conftest import SHANGHAI, SHOTS
from joint.models import Vehicle
from law.validators import make_credit_code
from nonsite.models import WimRecord
from nonsite.services import PhotoIn, wim_ingest
from nonsite.tests.test_photos import picture
from web.tests.test_browser import BOTH_SCREENS, Desk, fits_the_screen, within_reach


@BOTH_SCREENS
def test_an_overload_shows_its_photo_and_is_confirmed_in_a_batch(
    wim, transactional_db, live_server, browser: Browser, phone: bool
):
    start = dt.datetime(2025, 3, 3, 8, 0, tzinfo=SHANGHAI)
    plates = ["冀E12345", "冀E20001", "冀E20002"]
    for plate in plates[1:]:
        Vehicle.objects.create(
            plate=plate,
            owner_kind="organisation",
            owner_name=f"{plate}运输有限公司",
            owner_id_number=make_credit_code("91130500MA0000003"),
            owner_phone="13900000003",
        )
    wim_ingest(
        station=wim.station,
        records=[
            {
                "record_no": f"B{n}",
                "lane": 1,
                "passed_at": start + dt.timedelta(minutes=10 * n),
                "plate": plate,
                "vehicle_type": "combination",
                "axles": 6,
                "gross_kg": 60_000 + n * 1000,
                "speed_kmh": 60,
                "photos": [PhotoIn(picture("JPEG", colour, (320, 240)), "车牌")],
            }
            for n, (plate, colour) in enumerate(
                zip(plates, ["orange", "teal", "purple"], strict=True)
            )
        ],
    )
    base = live_server.url
    screen = "phone" if phone else "desktop"
    desk = Desk(browser, base, f"nonsite-{screen}")
    try:
        page = desk.page(wim.officer, phone=phone)
        page.goto(f"{base}/nonsite/queue/")
        thumbs = page.locator("img.thumb")
        expect(thumbs).to_have_count(3)
        # The photos are drawn, not broken: the browser decoded each one.
        # The thumbnails load lazily, so the page's "load" does not wait for them: wait
        # until each one has been fetched and decoded, then read what the browser drew.
        page.wait_for_function(
            "() => [...document.querySelectorAll('img.thumb')]"
            ".every(i => i.complete && i.naturalWidth > 0)"
        )
        widths = thumbs.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth)")
        assert widths == [320, 320, 320]
        if phone:
            fits_the_screen(page)
        # What the officer decides on is seen on each record's line: its photo, plate and 超限率.
        for plate in plates:
            line = page.locator("tr", has=page.get_by_label(f"选择 {plate}"))
            for cell in ("img.thumb", "td.plate a", "td.over"):
                within_reach(page, line.locator(cell))
        page.screenshot(path=str(SHOTS / f"nonsite-{screen}-10-queue-photos.png"), full_page=True)
        first = WimRecord.objects.get(record_no="B0")
        record = page.get_by_role("link", name=plates[0], exact=True)
        within_reach(page, record)
        record.click()
        page.wait_for_url(f"{base}/nonsite/records/{first.pk}/")
        photo = page.locator(".photos img").first
        expect(photo).to_be_visible()
        page.wait_for_load_state("load")
        assert photo.evaluate("i => i.naturalWidth") == 320
        expect(page.locator(".photos figcaption").first).to_contain_text("车牌")
        within_reach(page, photo)
        if phone:
            fits_the_screen(page)
        page.screenshot(path=str(SHOTS / f"nonsite-{screen}-11-record-photo.png"), full_page=True)
        page.go_back()
        for plate in plates:
            tick = page.get_by_label(f"选择 {plate}")
            within_reach(page, tick)
            tick.check()
        page.get_by_label("确认超限并登记案源（逐条告知当事人）").check()
        submit = page.get_by_role("button", name="办理")
        within_reach(page, submit)
        submit.click()
        expect(page.locator("body")).to_contain_text("已确认立案3条")
        expect(page.locator("img.thumb")).to_have_count(0)
        page.screenshot(path=str(SHOTS / f"nonsite-{screen}-12-batch-done.png"), full_page=True)
    finally:
        desk.close()
    done = WimRecord.objects.filter(record_no__in=["B0", "B1", "B2"])
    assert {r.status for r in done} == {"confirmed"}
    assert all(r.case.evidence.filter(kind="photo").count() == 1 for r in done)
