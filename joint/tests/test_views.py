from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD, move
from deadlines.services import run_timers_once
from joint import selectors, services
from joint.models import ParkingReport
from joint.tests.conftest import jpeg, photos
from ledger.models import Entry

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def shot(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


def filed(joint, plate="鲁P12345") -> ParkingReport:
    return services.parking_report_submit(
        actor=joint.officer, plate=plate, street="柳园路", place="路口", photos=photos(2)
    )


def test_the_phone_page_files_a_report_with_its_photos_and_location(joint):
    c = login("handler")
    page = c.get("/joint/").content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    r = c.post(
        "/joint/",
        {
            "plate": "鲁pd12345",
            "street": "东昌路",
            "place": "",
            "latitude": "36.45",
            "longitude": "115.98",
            "accuracy": "12",
            "photo1": shot("a.jpg"),
            "photo2": shot("b.jpg"),
        },
    )
    report = ParkingReport.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/joint/reports/{report.pk}/"
    assert (report.plate, report.plate_kind, report.photos.count()) == (
        "鲁PD12345",
        "new_energy",
        2,
    )
    # Located but not described: the street itself, never the coordinates in words.
    assert report.place == "东昌路" and not report.owner_found
    detail = c.get(r["Location"]).content.decode()
    assert "未查到车主手机号" in detail and "确认已驶离" in detail


def test_the_phone_page_shows_every_reason_it_refuses(joint):
    r = login("handler").post("/joint/", {"plate": "X1", "street": "", "photo1": shot("a.jpg")})
    text = r.content.decode()
    assert r.status_code == 422 and "车牌" in text and "至少拍摄2张" in text and "地点" in text
    assert not ParkingReport.objects.exists()


def test_a_report_is_seen_by_its_unit_and_its_reviewers_and_404_for_others(joint):
    report = filed(joint)
    url = f"/joint/reports/{report.pk}/"
    photo = f"/joint/photos/{report.photos.first().pk}/"
    for username in ("handler", "cohandler", "chief", "traffic-reviewer", "supervisor"):
        assert login(username).get(url).status_code == 200, username
    for username in ("scjg-officer", "other-reviewer", "county-supervisor", "county-officer"):
        c = login(username)
        assert c.get(url).status_code == 404, username
        assert c.get(photo).status_code == 404, username
        assert c.post(f"{url}review/", {"decision": "approve"}).status_code == 404, username
    assert Client().get(url).status_code == 302
    listing = login("handler").get("/joint/reports/").content.decode()
    assert report.plate in listing and "限时驶离" in listing
    assert report.plate not in login("scjg-officer").get("/joint/reports/").content.decode()


def test_the_reviewer_approves_from_the_queue(joint):
    report = filed(joint)
    move(minutes=11)
    run_timers_once()
    c = login("traffic-reviewer")
    assert report.plate in c.get("/joint/review/").content.decode()
    page = c.get(f"/joint/reports/{report.pk}/").content.decode()
    assert "首违警告" in page
    c.post(f"/joint/reports/{report.pk}/review/", {"decision": "approve"})
    report.refresh_from_db()
    assert report.outcome == "penalty" and report.reviewer == joint.reviewer


def test_the_team_lead_sees_the_day_per_street_and_officer(joint):
    gone = filed(joint)
    services.parking_report_submit(
        actor=joint.colleague, plate="鲁P12345", street="东昌路", place="x", photos=photos(2)
    )
    stays = filed(joint)
    services.parking_drive_away(
        report_id=gone.pk,
        actor=joint.officer,
        photo=services.PhotoIn(jpeg(), "g.jpg", "image/jpeg"),
    )
    move(minutes=11)
    run_timers_once()
    services.parking_review(report_id=stays.pk, actor=joint.reviewer, decision="approve")
    board = selectors.dashboard(joint.lead, gone.reported_on)
    assert board["total"]["reminders"] == 3
    assert (board["total"]["drive_aways"], board["total"]["penalties"]) == (1, 1)
    assert board["total"]["rate"] == "33.3%"
    streets = {s["street"]: s for s in board["streets"]}
    assert streets["柳园路"]["reminders"] == 2 and streets["东昌路"]["in_review"] == 1
    assert {o["officer__username"] for o in board["officers"]} == {"handler", "cohandler"}
    assert selectors.dashboard(joint.org.other_officer, gone.reported_on)["total"]["reminders"] == 0
    page = login("chief").get("/joint/dashboard/").content.decode()
    assert "33.3%" in page and "柳园路" in page


def test_the_dashboard_shows_messages_that_failed(joint):
    from outbox.services import outbox_send_due

    filed(joint)
    joint.sms.fail_next("refuse")
    outbox_send_due()
    page = login("chief").get("/joint/dashboard/").content.decode()
    assert "发送失败的消息" in page and "对方平台拒绝接收" in page


# --- printing the 《违法停车提示单》 is a POST (every print is in the record) ---------------------


def approved(joint) -> ParkingReport:
    """A report the reviewer approved: its notice is to be printed and posted."""
    report = filed(joint)
    move(minutes=11)
    run_timers_once()
    services.parking_review(report_id=report.pk, actor=joint.reviewer, decision="approve")
    report.refresh_from_db()
    assert report.step == "park_notice" and report.notice_no
    return report


def prints(report: ParkingReport) -> int:
    return Entry.objects.filter(stream=report.stream, action="notice_print").count()


def test_the_officer_prints_the_notice_by_a_post_that_records_the_print(joint):
    report = approved(joint)
    c = login("handler")
    page = c.get(f"/joint/reports/{report.pk}/").content.decode()
    print_url = f"/joint/reports/{report.pk}/notice/print/"
    assert f'action="{print_url}" target="_blank"' in page
    response = c.post(print_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response.content.startswith(b"%PDF") and report.notice_no in response["Content-Disposition"]
    )
    report.refresh_from_db()
    assert report.notice_printed_at is not None and prints(report) == 1
    entry = Entry.objects.get(stream=report.stream, action="notice_print")
    assert entry.actor_id == joint.officer.pk and entry.payload["first"] is True
    c.post(print_url)  # a reprint is an act too
    assert prints(report) == 2
    assert "已打印" in c.get(f"/joint/reports/{report.pk}/").content.decode()


def test_a_get_of_the_notice_prints_nothing(joint):
    report = approved(joint)
    c = login("handler")
    c.post(f"/joint/reports/{report.pk}/notice/print/")
    report.refresh_from_db()
    printed_at = report.notice_printed_at
    with CaptureQueriesContext(connection) as queries:
        assert c.get(f"/joint/reports/{report.pk}/").status_code == 200
        # The print is a POST only; the address that used to print by GET is gone.
        assert c.get(f"/joint/reports/{report.pk}/notice/print/").status_code == 405
        assert c.get(f"/joint/reports/{report.pk}/notice.pdf").status_code == 404
    assert queries.captured_queries
    sql = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert not [q for q in sql if q.startswith(("INSERT", "UPDATE", "DELETE"))]
    report.refresh_from_db()
    assert report.notice_printed_at == printed_at and prints(report) == 1


def test_the_reviewing_traffic_police_unit_may_print_the_notice_too(joint):
    report = approved(joint)
    c = login("traffic-reviewer")
    assert "notice/print/" in c.get(f"/joint/reports/{report.pk}/").content.decode()
    response = c.post(f"/joint/reports/{report.pk}/notice/print/")
    assert response["Content-Type"] == "application/pdf"
    entry = Entry.objects.get(stream=report.stream, action="notice_print")
    assert entry.actor_id == joint.reviewer.pk


def test_a_supervisor_who_reads_the_report_may_not_print_its_notice(joint):
    report = approved(joint)
    c = login("supervisor")
    page = c.get(f"/joint/reports/{report.pk}/").content.decode()
    assert report.notice_no in page and "notice/print/" not in page
    response = c.post(f"/joint/reports/{report.pk}/notice/print/")
    assert response.status_code == 302 and response["Location"] == f"/joint/reports/{report.pk}/"
    assert "只能打印本单位的提示单" in c.get(response["Location"]).content.decode()
    assert prints(report) == 0


@pytest.mark.parametrize(
    "username", ["scjg-officer", "other-reviewer", "county-supervisor", "county-officer"]
)
def test_an_outsider_posting_the_print_gets_404_and_nothing_is_recorded(joint, username):
    report = approved(joint)
    assert login(username).post(f"/joint/reports/{report.pk}/notice/print/").status_code == 404
    assert prints(report) == 0


def test_the_notice_cannot_be_printed_before_the_review_approves_it(joint):
    report = filed(joint)
    c = login("handler")
    response = c.post(f"/joint/reports/{report.pk}/notice/print/")
    assert response.status_code == 302
    assert "交警审核通过后才能打印" in c.get(response["Location"]).content.decode()
    assert prints(report) == 0


def test_the_print_needs_the_csrf_token(joint):
    report = approved(joint)
    c = Client(enforce_csrf_checks=True)
    assert c.login(username="handler", password=PASSWORD)
    assert c.post(f"/joint/reports/{report.pk}/notice/print/").status_code == 403
    assert prints(report) == 0
