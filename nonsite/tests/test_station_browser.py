"""The station page, the review queue and the team lead's dashboard in Chromium (desktop and
phone widths). Screenshots go to var/screenshots/nonsite-*.png and joint-05-*.png."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, SHANGHAI, SHOTS
from nonsite.models import WimRecord
from nonsite.services import wim_ingest


def login(browser: Browser, base: str, username: str, width: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{base}/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(f"{base}/")
    return page


def test_the_station_page_charts_throughput_and_overload_rate(
    wim, transactional_db, live_server, browser
):
    start = dt.datetime(2025, 2, 1, 8, 0, tzinfo=SHANGHAI)
    overs = []
    for day in range(30):
        share = 5 - 3.5 * day / 29  # 5% falling to 1.5%
        over = round(200 * share / 100)
        overs.append(over)
        wim_ingest(
            station=wim.station,
            records=[
                {
                    "record_no": f"{day}-{n}",
                    "lane": 1 + n % 2,
                    "passed_at": start + dt.timedelta(days=day, minutes=n * 3),
                    "plate": f"冀E{10000 + day * 300 + n}",
                    "vehicle_type": "combination",
                    "axles": 6,
                    "gross_kg": 60_000 if n < over else 40_000,
                    "speed_kmh": 60,
                    "images": [],
                }
                for n in range(200)
            ],
        )
    page = login(browser, live_server.url, "jtj-officer", 1280)
    page.goto(f"{live_server.url}/nonsite/stations/{wim.station.pk}/")
    expect(page.locator("#overall-rate")).to_have_text(f"{100 * sum(overs) / 6000:.2f}%")
    page.wait_for_function("document.getElementById('station-chart').width > 0")
    # The chart drawn carries each day's figures: 200 passages (bars) and its rate (line).
    drawn = page.evaluate(
        "() => { const c = Chart.getChart('station-chart');"
        " return {labels: c.data.labels, total: c.data.datasets[0].data,"
        " rate: c.data.datasets[1].data}; }"
    )
    assert drawn["labels"] == [
        (start + dt.timedelta(days=day)).date().isoformat() for day in range(30)
    ]
    assert drawn["total"] == [200] * 30
    assert drawn["rate"] == [round(100 * over / 200, 2) for over in overs]
    assert drawn["rate"][0] == 5.0 and drawn["rate"][-1] == 1.5
    page.screenshot(path=str(SHOTS / "nonsite-01-station.png"), full_page=True)
    page.goto(f"{live_server.url}/nonsite/queue/")
    expect(page.locator("table")).to_contain_text("冀E")
    page.screenshot(path=str(SHOTS / "nonsite-02-queue.png"), full_page=True)
    rec = WimRecord.objects.filter(status="queued").order_by("passed_at").first()
    phone = login(browser, live_server.url, "jtj-officer", 390)
    phone.goto(f"{live_server.url}/nonsite/records/{rec.pk}/")
    phone.screenshot(path=str(SHOTS / "nonsite-03-record-phone.png"), full_page=True)
