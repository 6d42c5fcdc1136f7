from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD, SHANGHAI, move
from ledger.models import Entry
from ledger.services import ledger_verify
from nonsite import services
from nonsite.models import NonsiteRule, WimRecord
from nonsite.tests.conftest import OWNER_PHONE, TRUCK_PLATE
from outbox.models import Delivery
from outbox.services import outbox_send_due
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db
_no = itertools.count(1)


def rec(
    gross: int, *, plate: str = TRUCK_PLATE, minutes: float = 0, lane: int = 1, **kw: Any
) -> dict[str, Any]:
    at = dt.datetime(2025, 3, 3, 8, 0, tzinfo=SHANGHAI) + dt.timedelta(minutes=minutes)
    return {
        "record_no": kw.pop("record_no", f"R{next(_no)}"),
        "lane": lane,
        "passed_at": at.isoformat(),
        "plate": plate,
        "vehicle_type": kw.pop("vehicle_type", "combination"),
        "axles": kw.pop("axles", 6),
        "gross_kg": gross,
        "speed_kmh": "62.5",
        "images": ["img://LC-WIM-01/plate.jpg", "img://LC-WIM-01/side.jpg"],
        **kw,
    }


def post(wim: Any, *records: dict[str, Any], key: str | None = None) -> Any:
    return Client().post(
        "/api/nonsite/records",
        {"records": list(records)},
        content_type="application/json",
        headers={"X-Station-Key": key or wim.key},
    )


def with_tolerance(wim, pct: str) -> None:
    services.nonsite_rule_set(
        region_code="371500",
        tolerance_pct=Decimal(pct),
        red_pct=Decimal("30"),
        duplicate_minutes=5,
        source="测试",
    )


def test_a_station_posts_records_with_its_key_and_gets_each_verdict(wim):
    r = post(wim, rec(49_000), rec(55_000, plate="冀E22222"), rec(70_000, plate="冀E33333"))
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["accepted"], body["flagged"]) == (3, 2)
    assert [x["flag"] for x in body["records"]] == ["", "yellow", "red"]
    assert [x["status"] for x in body["records"]] == ["passed", "queued", "queued"]


def test_a_wrong_missing_or_other_stations_key_is_refused(wim):
    assert post(wim, rec(40_000), key="wim_nope").status_code == 401
    assert (
        Client()
        .post("/api/nonsite/records", {"records": [rec(1)]}, content_type="application/json")
        .status_code
        == 401
    )
    post(wim, rec(40_000, record_no="X1"), key=wim.other_key)
    assert WimRecord.objects.get(record_no="X1").station == wim.other_station
    assert wim.key not in str(list(WimRecord.objects.values()))  # only hashes are stored


def test_an_invalid_batch_is_refused_whole_with_every_reason(wim):
    r = post(
        wim, rec(40_000), rec(40_000, lane=9), rec(40_000, axles=2, vehicle_type="combination")
    )
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert any("车道9" in e for e in errors) and any("二轴汽车列车" in e for e in errors)
    assert not WimRecord.objects.exists()


@pytest.mark.parametrize(("gross", "flag"), [(51_449, ""), (51_450, ""), (51_451, "yellow")])
def test_an_overload_just_under_at_and_just_over_the_limit_with_its_tolerance(wim, gross, flag):
    with_tolerance(wim, "5")  # 49,000 kg × 1.05 = 51,450 kg
    post(wim, rec(gross))
    r = WimRecord.objects.get()
    assert (r.flag, r.limit_kg, r.allowed_kg, r.over_kg) == (flag, 49_000, 51_450, gross - 49_000)


def test_without_a_configured_tolerance_the_statutory_figure_applies(wim):
    post(wim, rec(49_000), rec(49_001, plate="冀E22222"))
    assert list(WimRecord.objects.order_by("gross_kg").values_list("flag", flat=True)) == [
        "",
        "yellow",
    ]


def test_the_same_passage_recorded_twice_is_a_duplicate_and_never_queued(wim):
    post(wim, rec(60_000, minutes=0), rec(60_400, minutes=2, lane=2))
    post(wim, rec(59_000, minutes=4))
    post(wim, rec(60_000, minutes=20))  # a later trip: a new passage
    rows = list(WimRecord.objects.order_by("passed_at"))
    assert [r.status for r in rows] == ["queued", "duplicate", "duplicate", "queued"]
    assert rows[1].duplicate_of == rows[0] and rows[2].duplicate_of == rows[0]


def test_a_batch_resent_after_a_lost_answer_is_not_stored_twice(wim):
    batch = [rec(60_000, record_no="A1"), rec(30_000, plate="冀E22222", record_no="A2")]
    post(wim, *batch)
    again = post(wim, *batch).json()
    assert (again["accepted"], again["repeated"]) == (0, 2)
    assert WimRecord.objects.count() == 2


def test_records_of_a_device_without_a_valid_review_are_not_evidence(wim):
    wim.scale.reviews.all().delete()
    post(wim, rec(60_000))
    r = WimRecord.objects.get()
    assert r.status == "unusable"
    refusal = assert_refused(
        lambda: services.wim_record_confirm(record_id=r.pk, actor=wim.officer),
        "未经法制和技术审核",
        "第四十一条",
    )
    assert "未经法制和技术审核" in refusal.errors[0] and "第四十一条" in refusal.errors[0]
    services.wim_record_dismiss(record_id=r.pk, actor=wim.officer, reason="设备未经审核")
    assert WimRecord.objects.get().status == "dismissed"


def test_a_device_out_of_calibration_makes_its_records_unusable(wim):
    wim.scale.calibrated_until = dt.date(2025, 3, 1)
    wim.scale.save()
    post(wim, rec(60_000))
    assert WimRecord.objects.get().status == "unusable"


def test_a_confirmed_overload_becomes_a_case_with_the_article_41_notice(wim):
    post(wim, rec(60_000))
    r = WimRecord.objects.get()
    case = services.wim_record_confirm(record_id=r.pk, actor=wim.officer)
    assert (case.source, case.procedure, case.step) == ("monitoring", "general", "lead_approve")
    assert case.handler == wim.officer and case.unit == wim.jtj and case.matter.code == "JT-0001"
    assert case.parties.get().name == "某某物流有限公司"
    actions = list(
        Entry.objects.filter(stream=case.stream).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["lead_register", "monitoring_evidence", "monitoring_notice"]
    evidence = Entry.objects.get(stream=case.stream, action="monitoring_evidence").payload
    assert evidence["device"]["serial"] == "WIM-0001" and evidence["device"]["legal_ok"] is True
    assert evidence["limit_kg"] == 49_000 and "第三条" in evidence["citation"]
    outbox_send_due()
    sms = Delivery.objects.get(channel="sms")
    assert sms.recipient == OWNER_PHONE and "陈述、申辩" in sms.body
    link = sms.body[sms.body.index("/nonsite/q/") :]
    page = Client().get(link).content.decode()
    assert "60000" in page and "WIM-0001" in page and "法制和技术审核" in page
    move(hours=2)
    Client().post(link, {"statement": "当日地磅显示未超限，申请复核"})
    said = Entry.objects.get(stream=case.stream, action="party_statement")
    assert said.role == "party" and said.payload["statement"] == "当日地磅显示未超限，申请复核"
    assert "申请复核" in Client().get(link).content.decode()
    assert Client().get("/nonsite/q/nope/").status_code == 404
    assert_refused(
        lambda: services.wim_record_confirm(record_id=r.pk, actor=wim.officer),
        "“已确认立案”，不在待审核队列中",
    )
    assert ledger_verify() == []


def test_a_record_under_the_limit_or_a_duplicate_cannot_be_confirmed(wim):
    post(wim, rec(40_000))
    assert_refused(
        lambda: services.wim_record_confirm(
            record_id=WimRecord.objects.get().pk, actor=wim.officer
        ),
        "该记录状态为“未超限”，不在待审核队列中",
    )
    # The same overloaded passage recorded twice: only the first is reviewed.
    post(wim, rec(60_000, plate="冀E55555", minutes=30, record_no="D1"))
    post(wim, rec(60_100, plate="冀E55555", minutes=31, record_no="D2"))
    first, repeat = WimRecord.objects.get(record_no="D1"), WimRecord.objects.get(record_no="D2")
    assert repeat.duplicate_of == first
    assert_refused(
        lambda: services.wim_record_confirm(record_id=repeat.pk, actor=wim.officer),
        "该记录状态为“重复记录”，不在待审核队列中",
    )
    assert WimRecord.objects.get(pk=repeat.pk).case is None


def test_dismissing_needs_a_reason(wim):
    post(wim, rec(60_000))
    r = WimRecord.objects.get()
    refusal = assert_refused(
        lambda: services.wim_record_dismiss(record_id=r.pk, actor=wim.officer, reason=" "),
        "请填写理由",
    )
    assert "理由" in refusal.errors[0]


def test_records_and_stations_are_404_outside_the_unit(wim):
    post(wim, rec(60_000))
    r = WimRecord.objects.get()
    urls = [
        f"/nonsite/records/{r.pk}/",
        f"/nonsite/stations/{wim.station.pk}/",
    ]
    for username in ("jtj-officer", "supervisor"):
        c = Client()
        c.login(username=username, password=PASSWORD)
        for url in urls:
            assert c.get(url).status_code == 200, (username, url)
    for username in ("county-jtj-officer", "handler", "county-supervisor"):
        c = Client()
        c.login(username=username, password=PASSWORD)
        for url in urls:
            assert c.get(url).status_code == 404, (username, url)
        resp = c.post(f"/nonsite/records/{r.pk}/review/", {"decision": "confirm"})
        assert resp.status_code == 404
    assert Client().get(urls[0]).status_code == 302
    other = Client()
    other.login(username="county-jtj-officer", password=PASSWORD)
    from orgs.models import User

    assert_refused(  # and the service refuses too
        lambda: services.wim_record_confirm(
            record_id=r.pk, actor=User.objects.get(username="county-jtj-officer")
        ),
        "只能办理本单位的案件",
    )


def test_the_officer_confirms_from_the_queue_page(wim):
    post(wim, rec(60_000))
    r = WimRecord.objects.get()
    c = Client()
    c.login(username="jtj-officer", password=PASSWORD)
    assert TRUCK_PLATE in c.get("/nonsite/queue/").content.decode()
    c.post(f"/nonsite/records/{r.pk}/review/", {"decision": "confirm"})
    r.refresh_from_db()
    assert r.status == "confirmed" and r.case is not None


def test_the_station_page_shows_throughput_and_overload_rate(wim):
    post(wim, *[rec(40_000, plate=f"冀E{10000 + i}") for i in range(19)], rec(60_000))
    post(wim, rec(60_100, minutes=1))  # a duplicate passage: not counted
    c = Client()
    c.login(username="jtj-officer", password=PASSWORD)
    r = c.get(f"/nonsite/stations/{wim.station.pk}/")
    page = r.content.decode()
    assert r.context["total"] == 20  # throughput: the 20 passages, the duplicate left out
    assert '<div class="kpi">20</div>' in page
    assert 'id="overall-rate">5.00%' in page and "station-chart" in page
    assert "<td>20</td><td>1</td><td>5.0%</td>" in page  # the day's row: passages, over, rate


def test_the_device_review_is_recorded_only_by_a_legal_reviewer_of_the_unit(wim):
    assert_refused(
        lambda: services.device_review_record(
            device_id=wim.scale.pk,
            actor=wim.officer,
            reviewed_on=dt.date(2025, 3, 1),
            valid_until=dt.date(2026, 3, 1),
            legal_ok=True,
            technical_ok=True,
            opinion="x",
        ),
        "设备的法制和技术审核须由站点所属执法机关的法制审核人员办理",
    )
    assert NonsiteRule.objects.count() == 0
    assert Entry.objects.filter(stream=f"device:{wim.scale.pk}").count() == 1
