"""Every action of the 城警联动 pages over the API, as the phone app and the traffic client use it:
the same services and access function as the pages, refusals 422 by reason with nothing changed,
and reports out of scope 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import move
from deadlines.services import run_timers_once
from joint import services
from joint.models import ParkingPhoto, ParkingReport
from joint.tests.conftest import jpeg, photos
from joint.tests.test_api import token
from ledger.models import Entry

pytestmark = pytest.mark.django_db


def api(username: str) -> Client:
    return Client(headers=token(username))


def filed(joint: Any) -> ParkingReport:
    return services.parking_report_submit(
        actor=joint.officer, plate="鲁P12345", street="柳园路", place="路口", photos=photos(2)
    )


def expired(joint: Any) -> ParkingReport:
    report = filed(joint)
    move(minutes=11)
    run_timers_once()
    report.refresh_from_db()
    assert report.step == "park_review"
    return report


def returned(joint: Any) -> ParkingReport:
    report = expired(joint)
    services.parking_review(
        report_id=report.pk, actor=joint.reviewer, decision="reject", reason="号牌照片不清晰"
    )
    report.refresh_from_db()
    assert report.step == "park_correct"
    return report


def approved(joint: Any) -> ParkingReport:
    report = expired(joint)
    services.parking_review(report_id=report.pk, actor=joint.reviewer, decision="approve")
    report.refresh_from_db()
    assert report.step == "park_notice"
    return report


def snapshot(report: ParkingReport) -> tuple[Any, ...]:
    """What an action would change: the report's row, its photos and its record."""
    row = ParkingReport.objects.filter(pk=report.pk).values().get()
    entries = Entry.objects.filter(stream=report.stream).count()
    return row, ParkingPhoto.objects.filter(report=report).count(), entries


def shot(name: str = "gone.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg("white"), "image/jpeg")


def test_the_app_confirms_a_drive_away_with_a_photo_and_gets_the_photo_back(joint):
    report = filed(joint)
    c = api("handler")
    r = c.post(f"/api/joint/reports/{report.pk}/drive-away", {"photo": shot()})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["step"], body["outcome"], body["step_name"]) == ("end", "no_penalty", "已办结")
    kinds = [p["kind"] for p in body["photos"]]
    assert kinds == ["scene", "scene", "departure"]
    departure = body["photos"][-1]
    got = c.get(departure["url"])
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    assert got.getvalue() == jpeg("white")
    assert any("驶离" in t["label"] for t in body["timeline"])


def test_a_drive_away_without_a_photo_is_refused_for_that_reason_and_changes_nothing(joint):
    report = filed(joint)
    before = snapshot(report)
    r = api("handler").post(f"/api/joint/reports/{report.pk}/drive-away")
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == ["请拍摄车辆驶离后的现场照片"]
    assert snapshot(report) == before


def test_a_drive_away_after_the_window_is_refused_for_that_reason_and_changes_nothing(joint):
    report = expired(joint)
    before = snapshot(report)
    r = api("handler").post(f"/api/joint/reports/{report.pk}/drive-away", {"photo": shot()})
    assert r.status_code == 422
    assert "不是“限时驶离”" in r.json()["errors"][0]
    assert snapshot(report) == before


def test_the_officer_resubmits_a_returned_report_with_a_note_and_a_new_photo(joint):
    report = returned(joint)
    r = api("handler").post(
        f"/api/joint/reports/{report.pk}/resubmit",
        {"note": "补拍号牌", "photos": [shot("plate.jpg")]},
    )
    assert r.status_code == 200, r.content
    assert r.json()["step"] == "park_review"
    assert [p["kind"] for p in r.json()["photos"]][-1] == "correction"


def test_a_resubmit_without_a_note_is_refused_for_that_reason_and_changes_nothing(joint):
    report = returned(joint)
    before = snapshot(report)
    r = api("handler").post(f"/api/joint/reports/{report.pk}/resubmit", {"photos": [shot()]})
    assert r.status_code == 422
    assert r.json()["errors"] == ["请说明补正的内容"]
    assert snapshot(report) == before


def test_a_resubmit_note_over_500_characters_is_refused_by_field_and_changes_nothing(joint):
    report = returned(joint)
    before = snapshot(report)
    url = f"/api/joint/reports/{report.pk}/resubmit"
    r = api("handler").post(url, {"note": "补" * 501})
    assert r.status_code == 422 and list(r.json()["fields"]) == ["note"]
    assert snapshot(report) == before
    assert api("handler").post(url, {"note": "补" * 500}).status_code == 200


def test_the_officer_withdraws_a_returned_report_only_with_a_reason(joint):
    report = returned(joint)
    before = snapshot(report)
    c = api("handler")
    url = f"/api/joint/reports/{report.pk}/withdraw"
    refused = c.post(url, {"reason": "  "}, content_type="application/json")
    assert refused.status_code == 422 and "理由" in refused.json()["errors"][0]
    assert snapshot(report) == before
    done = c.post(url, {"reason": "车辆号牌无法辨认"}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert (done.json()["step"], done.json()["outcome"]) == ("end", "withdrawn")


def test_the_notice_is_printed_as_a_recorded_pdf_then_posted(joint):
    report = approved(joint)
    c = api("handler")
    printed = c.post(f"/api/joint/reports/{report.pk}/notice/print")
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert (
        printed.content.startswith(b"%PDF") and report.notice_no in printed["Content-Disposition"]
    )
    assert Entry.objects.filter(stream=report.stream, action="notice_print").count() == 1
    posted = c.post(f"/api/joint/reports/{report.pk}/posted")
    assert posted.status_code == 200, posted.content
    assert posted.json()["step"] == "end" and posted.json()["outcome"] == "penalty"


def test_posting_a_notice_never_printed_is_refused_for_that_reason_and_changes_nothing(joint):
    report = approved(joint)
    before = snapshot(report)
    r = api("handler").post(f"/api/joint/reports/{report.pk}/posted")
    assert r.status_code == 422
    assert r.json()["errors"] == ["请先打印《违法停车提示单》再确认张贴"]
    assert snapshot(report) == before


def test_printing_before_the_review_is_refused_for_that_reason_and_records_nothing(joint):
    report = expired(joint)
    before = snapshot(report)
    r = api("traffic-reviewer").post(f"/api/joint/reports/{report.pk}/notice/print")
    assert r.status_code == 422
    assert r.json()["errors"] == ["交警审核通过后才能打印《违法停车提示单》"]
    assert snapshot(report) == before


def give_up_upload(joint: Any) -> ParkingReport:
    from outbox.services import MAX_ATTEMPTS, outbox_send_due

    report = approved(joint)
    joint.traffic.fail_next(*["timeout"] * MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        outbox_send_due()
        move(hours=1)
    report.refresh_from_db()
    assert report.upload_status == "failed"
    return report


def test_the_reviewer_lists_failed_uploads_and_puts_one_back(joint):
    report = give_up_upload(joint)
    c = api("traffic-reviewer")
    assert [r["id"] for r in c.get("/api/joint/failed-uploads").json()] == [report.pk]
    r = c.post(f"/api/joint/reports/{report.pk}/upload-retry")
    assert r.status_code == 200, r.content
    assert r.json()["upload_status"] == "pending"
    assert c.get("/api/joint/failed-uploads").json() == []


def test_an_officer_cannot_retry_an_upload_and_nothing_changes(joint):
    report = give_up_upload(joint)
    before = snapshot(report)
    r = api("handler").post(f"/api/joint/reports/{report.pk}/upload-retry")
    assert r.status_code == 422
    assert r.json()["errors"] == ["只有审核单位的交警审核员可以重新上传"]
    assert snapshot(report) == before


def test_the_list_pages_and_filters_by_step(joint):
    waiting, done = filed(joint), filed(joint)
    services.parking_drive_away(
        report_id=done.pk,
        actor=joint.officer,
        photo=services.PhotoIn(jpeg(), "g.jpg", "image/jpeg"),
    )
    c = api("handler")
    everything = c.get("/api/joint/reports").json()
    assert (everything["count"], everything["page"]) == (2, 1)
    only = c.get("/api/joint/reports", {"step": "park_window"}).json()
    assert [r["id"] for r in only["items"]] == [waiting.pk]
    assert c.get("/api/joint/reports", {"page": 2}).json()["items"] == []
    assert c.get("/api/joint/reports", {"page": 10_001}).status_code == 422
    assert c.get("/api/joint/reports", {"step": "nonsense"}).status_code == 422
    assert api("scjg-officer").get("/api/joint/reports").json()["count"] == 0


def test_the_team_lead_reads_the_days_figures_per_street_and_officer(joint):
    gone, stays = filed(joint), filed(joint)
    services.parking_drive_away(
        report_id=gone.pk,
        actor=joint.officer,
        photo=services.PhotoIn(jpeg(), "g.jpg", "image/jpeg"),
    )
    move(minutes=11)
    run_timers_once()
    services.parking_review(report_id=stays.pk, actor=joint.reviewer, decision="approve")
    board = api("chief").get("/api/joint/dashboard", {"day": gone.reported_on.isoformat()}).json()
    assert board["total"]["reminders"] == 2 and board["total"]["rate"] == "50.0%"
    assert board["streets"][0]["street"] == "柳园路"
    assert board["officers"][0]["officer_username"] == "handler"
    other_day = api("chief").get("/api/joint/dashboard", {"day": "2000-01-01"}).json()
    assert other_day["total"]["reminders"] == 0
    assert api("chief").get("/api/joint/dashboard", {"day": "2025-02-30"}).status_code == 422


ACTIONS = [
    ("drive-away", {}),
    ("resubmit", {"note": "补正"}),
    ("withdraw", {"reason": "撤回"}),
    ("posted", {}),
    ("upload-retry", {}),
    ("notice/print", {}),
    ("review", {"decision": "approve"}),
]


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_every_action_is_404_for_another_unit_and_401_without_a_token(joint, action, data):
    report = filed(joint)
    before = snapshot(report)
    url = f"/api/joint/reports/{report.pk}/{action}"
    for outsider in ("scjg-officer", "other-reviewer", "county-officer"):
        r = api(outsider).post(url, data, content_type="application/json")
        assert r.status_code == 404, (outsider, r.content)
        assert r.json()["errors"] == ["违停记录不存在"]
    assert Client().post(url, data, content_type="application/json").status_code == 401
    assert snapshot(report) == before


def test_a_report_and_its_photos_are_read_by_its_unit_and_reviewers_only(joint):
    report = filed(joint)
    photo = report.photos.first()
    assert photo is not None
    for insider in ("handler", "cohandler", "chief", "traffic-reviewer"):
        c = api(insider)
        detail = c.get(f"/api/joint/reports/{report.pk}")
        assert detail.status_code == 200 and len(detail.json()["photos"]) == 2, insider
        assert c.get(f"/api/joint/photos/{photo.pk}").status_code == 200, insider
    for outsider in ("scjg-officer", "other-reviewer", "county-officer"):
        c = api(outsider)
        assert c.get(f"/api/joint/photos/{photo.pk}").status_code == 404, outsider
        assert c.get(f"/api/joint/reports/{report.pk}").status_code == 404, outsider
    assert Client().get(f"/api/joint/photos/{photo.pk}").status_code == 401
    assert api("handler").get("/api/joint/photos/999999").status_code == 404


def test_the_openapi_document_lists_every_action_of_the_pages(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, method in [
        ("/api/joint/reports", "get"),
        ("/api/joint/reports/{report_id}", "get"),
        ("/api/joint/photos/{photo_id}", "get"),
        ("/api/joint/reports/{report_id}/drive-away", "post"),
        ("/api/joint/reports/{report_id}/resubmit", "post"),
        ("/api/joint/reports/{report_id}/withdraw", "post"),
        ("/api/joint/reports/{report_id}/posted", "post"),
        ("/api/joint/reports/{report_id}/upload-retry", "post"),
        ("/api/joint/reports/{report_id}/notice/print", "post"),
        ("/api/joint/failed-uploads", "get"),
        ("/api/joint/dashboard", "get"),
    ]:
        op = paths[path][method]
        assert op["summary"] and not op["summary"].isascii(), path
        assert {"401", "404"} <= set(op["responses"]), path
        if method == "post":
            assert "422" in op["responses"], path
    printed = paths["/api/joint/reports/{report_id}/notice/print"]["post"]["responses"]["200"]
    assert "application/pdf" in printed["content"]
