"""The officers' 非现场 pages over the API: the review queue, a record with its images and its
device's state, the record's review (confirm → a case, or dismiss) and a device's review, through
the same services and access functions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cases.models import Case
from conftest import PASSWORD
from ledger.models import Entry
from nonsite.models import DeviceReview, WimRecord
from nonsite.tests.test_ingest import post, rec
from zhifa import clock

pytestmark = pytest.mark.django_db


def api(username: str) -> Client:
    r = Client().post(
        "/api/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    return Client(headers={"authorization": f"Bearer {r.json()['token']}"})


def queued(wim: Any) -> WimRecord:
    post(wim, rec(60_000, images=["https://wim.example/plate.jpg", "img://LC-WIM-01/side.jpg"]))
    record = WimRecord.objects.get()
    assert record.status == WimRecord.Status.QUEUED
    return record


def snapshot(record: WimRecord) -> tuple[Any, ...]:
    row = WimRecord.objects.filter(pk=record.pk).values().get()
    return row, Entry.objects.count(), Case.objects.count()


def test_the_officer_reads_the_queue_and_a_record_with_its_images_and_device(wim):
    record = queued(wim)
    c = api("jtj-officer")
    page = c.get("/api/nonsite/queue").json()
    assert (page["count"], [r["id"] for r in page["items"]]) == (1, [record.pk])
    assert page["items"][0]["status_name"] == "待审核"
    body = c.get(f"/api/nonsite/records/{record.pk}").json()
    assert body["images"] == [
        {"ref": "https://wim.example/plate.jpg", "url": "https://wim.example/plate.jpg"},
        {"ref": "img://LC-WIM-01/side.jpg", "url": None},
    ]
    assert body["device_serial"] == "WIM-0001" and body["device_problems"] == []
    assert body["limit_kg"] == 49_000 and "第三条" in body["citation"]
    assert c.get("/api/nonsite/queue", {"page": 10_001}).status_code == 422


def test_the_officer_confirms_an_overload_and_gets_the_new_case(wim):
    record = queued(wim)
    r = api("jtj-officer").post(
        f"/api/nonsite/records/{record.pk}/review",
        {"decision": "confirm"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    case = Case.objects.get()
    assert (body["status"], body["case_id"], body["lead_no"]) == (
        "confirmed",
        case.pk,
        case.lead_no,
    )
    assert body["reviewed_by"]
    assert api("jtj-officer").get("/api/nonsite/queue").json()["count"] == 0


def test_dismissing_without_a_reason_is_refused_for_that_reason_and_changes_nothing(wim):
    record = queued(wim)
    before = snapshot(record)
    c = api("jtj-officer")
    url = f"/api/nonsite/records/{record.pk}/review"
    r = c.post(url, {"decision": "dismiss", "reason": " "}, content_type="application/json")
    assert r.status_code == 422
    assert any("请填写理由" in e for e in r.json()["errors"])
    assert snapshot(record) == before
    done = c.post(
        url,
        {"decision": "dismiss", "reason": "称重设备故障，数据异常"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    assert done.json()["reason"] == "称重设备故障，数据异常"


def test_a_record_already_reviewed_is_refused_and_changes_nothing(wim):
    record = queued(wim)
    c = api("jtj-officer")
    url = f"/api/nonsite/records/{record.pk}/review"
    c.post(url, {"decision": "dismiss", "reason": "误检"}, content_type="application/json")
    record.refresh_from_db()
    before = snapshot(record)
    r = c.post(url, {"decision": "confirm"}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"] == ["该记录状态为“已排除”，不在待审核队列中"]
    assert snapshot(record) == before


def test_a_record_is_404_for_another_unit_and_401_without_a_token(wim):
    record = queued(wim)
    before = snapshot(record)
    url = f"/api/nonsite/records/{record.pk}"
    supervisor = Client()  # the supervisor signs in with a one-time code: a session here
    supervisor.force_login(wim.org.supervisor)
    assert supervisor.get(url).status_code == 200
    county_supervisor = Client()
    county_supervisor.force_login(wim.org.county_supervisor)
    outsiders = {"county-supervisor": county_supervisor}
    outsiders |= {name: api(name) for name in ("county-jtj-officer", "handler")}
    for outsider, c in outsiders.items():
        assert c.get(url).status_code == 404, outsider
        r = c.post(f"{url}/review", {"decision": "confirm"}, content_type="application/json")
        assert r.status_code == 404 and r.json()["errors"] == ["检测记录不存在"], outsider
        assert c.get("/api/nonsite/queue").json()["count"] == 0, outsider
    assert Client().get(url).status_code == 401
    assert Client().post(f"{url}/review", {"decision": "confirm"}).status_code == 401
    assert snapshot(record) == before


def review_body(**changes: Any) -> dict[str, Any]:
    today = clock.today()
    return {
        "reviewed_on": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=365)).isoformat(),
        "legal_ok": True,
        "technical_ok": True,
        "opinion": "设置地点已公布，检定合格",
        **changes,
    }


def test_the_legal_reviewer_records_a_device_review(wim):
    r = api("jtj-legal").post(
        f"/api/nonsite/devices/{wim.scale.pk}/review",
        review_body(),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["serial"], body["passed"], body["device_problems"]) == ("WIM-0001", True, [])
    assert DeviceReview.objects.filter(device=wim.scale).count() == 2
    assert Entry.objects.filter(stream=f"device:{wim.scale.pk}").count() == 2


def test_a_device_review_by_an_officer_is_refused_for_that_reason_and_changes_nothing(wim):
    c = api("jtj-officer")
    r = c.post(
        f"/api/nonsite/devices/{wim.scale.pk}/review",
        review_body(),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"] == ["设备的法制和技术审核须由站点所属执法机关的法制审核人员办理"]
    assert DeviceReview.objects.filter(device=wim.scale).count() == 1


def test_a_device_review_valid_until_its_own_day_is_refused_for_that_reason(wim):
    today = clock.today().isoformat()
    r = api("jtj-legal").post(
        f"/api/nonsite/devices/{wim.scale.pk}/review",
        review_body(valid_until=today),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["errors"] == ["审核有效期须晚于审核日期"]
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    late = api("jtj-legal").post(
        f"/api/nonsite/devices/{wim.scale.pk}/review",
        review_body(reviewed_on=tomorrow, valid_until="2099-01-01"),
        content_type="application/json",
    )
    assert late.status_code == 422 and late.json()["errors"] == ["审核日期不能晚于今天"]
    assert DeviceReview.objects.filter(device=wim.scale).count() == 1


def test_a_device_of_another_unit_is_404_and_401_without_a_token(wim):
    url = f"/api/nonsite/devices/{wim.scale.pk}/review"
    for outsider in ("county-jtj-officer", "handler"):
        r = api(outsider).post(url, review_body(), content_type="application/json")
        assert r.status_code == 404 and r.json()["errors"] == ["设备不存在"], outsider
    assert Client().post(url, review_body(), content_type="application/json").status_code == 401
    assert DeviceReview.objects.filter(device=wim.scale).count() == 1


def test_the_station_gives_its_figures_rule_and_devices_with_their_reviews(wim):
    post(wim, rec(40_000, plate="冀E10001"), rec(60_000))
    c = api("jtj-legal")
    assert [s["code"] for s in c.get("/api/nonsite/stations").json()] == ["LC-WIM-01"]
    body = c.get(f"/api/nonsite/stations/{wim.station.pk}").json()
    assert (body["total"], body["rate"]) == (2, "50.00%")
    assert body["series"] == [{"day": "2025-03-03", "total": 2, "over": 1, "rate": 50.0}]
    (scale,) = body["devices"]
    assert (scale["id"], scale["serial"], scale["problems"]) == (wim.scale.pk, "WIM-0001", [])
    assert scale["reviews"][0]["legal_ok"] is True
    assert body["rule"]["duplicate_minutes"] == 5


def test_a_station_of_another_unit_is_404_and_not_listed(wim):
    c = api("county-jtj-officer")
    assert c.get(f"/api/nonsite/stations/{wim.station.pk}").status_code == 404
    assert [s["code"] for s in c.get("/api/nonsite/stations").json()] == ["DC-WIM-01"]
    assert api("handler").get("/api/nonsite/stations").json() == []
    assert Client().get(f"/api/nonsite/stations/{wim.station.pk}").status_code == 401


def test_the_openapi_document_lists_the_officers_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, method in [
        ("/api/nonsite/queue", "get"),
        ("/api/nonsite/stations", "get"),
        ("/api/nonsite/stations/{station_id}", "get"),
        ("/api/nonsite/records/{record_id}", "get"),
        ("/api/nonsite/records/{record_id}/review", "post"),
        ("/api/nonsite/devices/{device_id}/review", "post"),
    ]:
        op = paths[path][method]
        assert op["summary"] and not op["summary"].isascii(), path
        assert {"401", "404"} <= set(op["responses"]), path
        if method == "post":
            assert "422" in op["responses"], path
