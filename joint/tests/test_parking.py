from __future__ import annotations

import io
import re
import threading

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from pypdf import PdfReader

from cases import runner
from conftest import PASSWORD, move
from deadlines.models import Timer
from deadlines.services import run_timers_once
from demo.testing import certified_person
from joint import conf, selectors, services
from joint.models import ParkingReport
from joint.tests.conftest import OWNER_PHONE, jpeg, photos
from ledger.models import Entry
from ledger.services import ledger_verify
from outbox.models import Delivery, OutboxMessage
from outbox.services import outbox_claim, outbox_send_due
from procedure.roles import Role
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db


def report(joint, plate: str = "鲁P12345", n_photos: int = 2) -> ParkingReport:
    return services.parking_report_submit(
        actor=joint.officer,
        plate=plate,
        street="柳园路",
        place="柳园路与兴华路路口东50米",
        latitude="36.456789",
        longitude="115.985432",
        accuracy_m="8",
        photos=photos(n_photos),
    )


def departure() -> services.PhotoIn:
    return services.PhotoIn(jpeg("white"), "gone.jpg", "image/jpeg")


def expire(report_: ParkingReport) -> ParkingReport:
    move(minutes=10, seconds=1)
    run_timers_once()
    report_.refresh_from_db()
    return report_


def actions(r: ParkingReport) -> list[str]:
    return list(
        Entry.objects.filter(stream=r.stream).order_by("seq").values_list("action", flat=True)
    )


def test_a_report_texts_the_owner_and_starts_a_ten_minute_timer(joint):
    r = report(joint)
    assert r.step == "park_window" and r.owner_found and r.owner_phone_masked == "139****0001"
    timer = Timer.objects.get(subject=r.stream)
    assert timer.due_at - r.reported_at == conf.window()
    assert outbox_send_due() == {"sent": 1, "retried": 0, "dead": 0}
    sms = Delivery.objects.get(channel="sms")
    assert sms.recipient == OWNER_PHONE and "鲁P12345" in sms.body and "驶离" in sms.body
    assert actions(r) == ["park_report", "outbox_sent"]
    assert ledger_verify() == []


def test_a_report_needs_two_photos_a_valid_plate_and_a_place(joint):
    assert_refused(
        lambda: services.parking_report_submit(
            actor=joint.officer, plate="鲁P1234", street="", place="", photos=photos(1)
        ),
        "车牌",
        "至少拍摄2张",
        "街道",
    )
    assert not ParkingReport.objects.exists() and not OutboxMessage.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(joint):
    fake = services.PhotoIn(b"%PDF-1.4 not a photo", "x.jpg", "image/jpeg")
    refusal = assert_refused(
        lambda: services.parking_report_submit(
            actor=joint.officer,
            plate="鲁P12345",
            street="柳园路",
            place="x",
            photos=[fake, *photos(1)],
        ),
        "不是有效的图片",
    )
    assert "不是有效的图片" in refusal.errors[0]


def test_a_car_driven_away_inside_the_window_ends_with_no_penalty(joint):
    r = report(joint)
    move(minutes=9, seconds=50)
    services.parking_drive_away(report_id=r.pk, actor=joint.colleague, photo=departure())
    r = expire(r)
    assert r.step == "end" and r.outcome == "no_penalty" and r.drove_away_via == "officer"
    assert Timer.objects.get(subject=r.stream).status == Timer.Status.CANCELLED
    assert not OutboxMessage.objects.filter(channel="traffic").exists()
    assert actions(r) == ["park_report", "park_window"]


def test_driving_away_needs_a_photo_of_the_empty_place(joint):
    r = report(joint)
    refusal = assert_refused(
        lambda: services.parking_drive_away(report_id=r.pk, actor=joint.officer),
        "驶离后的现场照片",
    )
    assert "驶离后的现场照片" in refusal.errors[0]


def test_the_owners_confirmation_through_the_sms_link_is_a_claim_the_officer_confirms(joint):
    r = report(joint)
    outbox_send_due()
    link = re.search(r"/joint/c/[\w-]+/", Delivery.objects.get(channel="sms").body).group(0)
    page = Client().get(link)
    assert "我已驶离" in page.content.decode()
    move(minutes=3)
    answer = Client().post(link).content.decode()
    assert "执法人员核实后办结" in answer and "不予处罚" not in answer
    r.refresh_from_db()
    assert r.step == "park_window" and r.outcome == "" and r.owner_claim_pending
    assert Entry.objects.filter(stream=r.stream, role="owner").count() == 1
    services.parking_drive_away(report_id=r.pk, actor=joint.officer)
    r.refresh_from_db()
    assert r.outcome == "no_penalty" and r.drove_away_via == "owner"
    assert r.drove_away_at == r.owner_claimed_at
    last = Entry.objects.filter(stream=r.stream).order_by("-seq").first()
    assert last.actor_id == joint.officer.pk and last.payload["data"]["via"] == "owner"
    assert Client().get("/joint/c/not-a-token/").status_code == 404


def test_after_the_window_the_report_goes_to_the_traffic_reviewer(joint):
    r = expire(report(joint))
    assert r.step == "park_review" and r.outcome == ""
    assert list(selectors.review_queue(joint.reviewer)) == [r]
    entry = Entry.objects.filter(stream=r.stream, action="park_window").get()
    assert entry.payload["decision"] == "expire" and entry.actor_id is None
    refusal = assert_refused(
        lambda: services.parking_drive_away(report_id=r.pk, actor=joint.officer, photo=departure()),
        "不是“限时驶离”",
    )
    assert "不是“限时驶离”" in refusal.errors[0]


def test_a_late_drive_away_is_refused_even_before_the_worker_has_run(joint):
    r = report(joint)
    move(minutes=10, seconds=5)
    refusal = assert_refused(
        lambda: services.parking_drive_away(report_id=r.pk, actor=joint.officer, photo=departure()),
        "已超过限时驶离期限",
    )
    assert "已超过限时驶离期限" in refusal.errors[0]
    r.refresh_from_db()
    assert r.step == "park_window" and not r.photos.filter(kind="departure").exists()


def test_approved_evidence_is_uploaded_and_the_notice_printed_and_posted(joint, client):
    r = report(joint)
    # An earlier penalty of the same plate makes this a repeat offence: no warning possible.
    earlier = expire(report(joint))
    services.parking_review(report_id=earlier.pk, actor=joint.reviewer, decision="approve")
    r = expire(r)
    refusal = assert_refused(
        lambda: services.parking_review(report_id=r.pk, actor=joint.reviewer, decision="warn"),
        "不属于首次违法",
    )
    assert "不属于首次违法" in refusal.errors[0]
    services.parking_review(report_id=r.pk, actor=joint.reviewer, decision="approve")
    r.refresh_from_db()
    assert (r.step, r.outcome, r.upload_status, r.first_offence) == (
        "park_notice",
        "penalty",
        "pending",
        False,
    )
    outbox_send_due()
    r.refresh_from_db()
    upload = Delivery.objects.get(channel="traffic", idempotency_key=f"parking-upload:{r.pk}")
    assert upload.payload["plate"] == "鲁P12345" and len(upload.payload["photos"]) == 2
    assert r.upload_status == "sent" and r.upload_receipt
    client.login(username="handler", password=PASSWORD)
    assert_refused(
        lambda: services.parking_notice_posted(report_id=r.pk, actor=joint.officer),
        "请先打印《违法停车提示单》",
    )
    pdf = client.post(f"/joint/reports/{r.pk}/notice/print/")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "违法停车提示单" in text and "鲁P12345" in text and r.notice_no in text
    services.parking_notice_posted(report_id=r.pk, actor=joint.officer)
    r.refresh_from_db()
    assert r.step == "end" and r.notice_posted_at is not None
    assert actions(r)[-3:] == ["outbox_sent", "notice_print", "park_notice"]
    assert ledger_verify() == []


def test_a_first_offence_may_end_in_a_warning(joint):
    r = expire(report(joint))
    services.parking_review(report_id=r.pk, actor=joint.reviewer, decision="warn")
    r.refresh_from_db()
    assert (r.outcome, r.first_offence, r.step) == ("warning", True, "park_notice")
    # The warning counts: the next report of the plate is no longer a first offence.
    nxt = expire(report(joint))
    assert services.first_offence(nxt) is False


def test_a_penalty_outside_the_look_back_period_does_not_count(joint, settings):
    settings.JOINT_FIRST_OFFENCE_DAYS = 30
    old = expire(report(joint))
    services.parking_review(report_id=old.pk, actor=joint.reviewer, decision="approve")
    move(days=31)
    assert services.first_offence(expire(report(joint))) is True


def test_rejected_evidence_goes_back_to_the_officer_with_the_reason(joint):
    r = expire(report(joint))
    refusal = assert_refused(
        lambda: services.parking_review(report_id=r.pk, actor=joint.reviewer, decision="reject"),
        "请填写理由",
    )
    assert "理由" in refusal.errors[0]
    services.parking_review(
        report_id=r.pk, actor=joint.reviewer, decision="reject", reason="号牌被遮挡，看不清"
    )
    r.refresh_from_db()
    assert r.step == "park_correct" and r.reject_reason == "号牌被遮挡，看不清"
    assert_refused(  # only the officer who filed it corrects it
        lambda: services.parking_resubmit(report_id=r.pk, actor=joint.colleague, note="补拍"),
        "须由本案承办人办理",
    )
    services.parking_resubmit(
        report_id=r.pk, actor=joint.officer, note="补拍号牌特写", photos=photos(1)
    )
    r.refresh_from_db()
    assert r.step == "park_review" and r.photos.filter(kind="correction").count() == 1
    assert not OutboxMessage.objects.filter(channel="traffic").exists()


def test_only_the_reviewing_traffic_police_unit_reviews(joint):
    r = expire(report(joint))
    # Both hold the reviewer's role, so only the unit stands between them and the review: one
    # of another traffic-police unit, one of the joint team's own unit (the report's).
    own_unit = certified_person(
        "cgj-traffic", joint.org.cgj, Role.TRAFFIC_REVIEWER, password_hash=make_password(PASSWORD)
    )
    for who in (joint.other_reviewer, own_unit):
        refusal = assert_refused(
            lambda who=who: services.parking_review(report_id=r.pk, actor=who, decision="approve"),
            "只能办理本单位的案件",
        )
        assert refusal.errors == ["只能办理本单位的案件"], who.username
    r.refresh_from_db()
    assert r.step == "park_review"


def test_an_upload_is_retried_after_platform_failures_and_delivered_once(joint):
    r = expire(report(joint))
    outbox_send_due()  # the SMS
    services.parking_review(report_id=r.pk, actor=joint.reviewer, decision="approve")
    joint.traffic.fail_next("refuse", "timeout_after_delivery")
    assert outbox_send_due()["retried"] == 1
    m = OutboxMessage.objects.get(channel="traffic")
    assert m.status == "pending" and "拒绝" in m.last_error
    assert outbox_send_due()["sent"] == 0  # backing off: not due yet
    move(seconds=31)
    outbox_send_due()  # delivered, but the answer was lost
    m.refresh_from_db()
    assert m.status == "pending" and m.attempts == 2
    move(seconds=61)
    outbox_send_due()
    m.refresh_from_db()
    r.refresh_from_db()
    assert m.status == "sent" and m.attempts == 3 and r.upload_status == "sent"
    assert Delivery.objects.filter(channel="traffic").count() == 1
    assert actions(r).count("outbox_attempt_failed") == 2


def test_an_upload_given_up_on_is_shown_and_can_be_put_back(joint, client):
    from outbox.services import MAX_ATTEMPTS

    r = expire(report(joint))
    services.parking_review(report_id=r.pk, actor=joint.reviewer, decision="approve")
    joint.traffic.fail_next(*["timeout"] * MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        outbox_send_due()
        move(hours=1)
    r.refresh_from_db()
    assert r.upload_status == "failed"
    client.login(username="traffic-reviewer", password=PASSWORD)
    assert "上传交管平台失败" in client.get("/joint/review/").content.decode()
    services.parking_upload_retry(report_id=r.pk, actor=joint.reviewer)
    outbox_send_due()
    r.refresh_from_db()
    assert r.upload_status == "sent"


class WorkerDied(BaseException):
    """The process dies (SIGKILL, power cut): nothing after this point runs or commits."""


def test_a_worker_that_dies_while_moving_a_report_leaves_it_for_the_next_run(joint, monkeypatch):
    r = report(joint)
    move(minutes=11)

    def die(**kwargs):
        raise WorkerDied

    monkeypatch.setattr(runner, "ledger_append", die)  # the runner writes every step's entry
    with pytest.raises(WorkerDied):
        run_timers_once()
    monkeypatch.undo()
    r.refresh_from_db()
    assert r.step == "park_window"
    assert Timer.objects.get(subject=r.stream).status == Timer.Status.PENDING
    assert run_timers_once()["fired"] == 1
    assert run_timers_once()["fired"] == 0
    r.refresh_from_db()
    assert r.step == "park_review"
    assert actions(r).count("park_window") == 1


def test_a_message_claimed_by_a_worker_that_died_is_sent_once_by_the_next(joint):
    report(joint)
    claimed = outbox_claim()  # the worker claims the SMS, then dies before sending it
    assert len(claimed) == 1
    assert outbox_send_due()["sent"] == 0  # its lease still holds
    move(minutes=3)
    assert outbox_send_due()["sent"] == 1
    assert Delivery.objects.filter(channel="sms").count() == 1


def test_a_message_delivered_by_a_worker_that_died_before_recording_it_is_not_duplicated(joint):
    from outbox.gateways import Outgoing

    report(joint)
    m = outbox_claim()[0]
    joint.sms.send(Outgoing(m.channel, m.recipient, m.body, m.payload, m.idempotency_key))
    move(minutes=3)  # ... the worker died here, before recording the receipt
    assert outbox_send_due()["sent"] == 1
    assert Delivery.objects.filter(channel="sms").count() == 1
    assert OutboxMessage.objects.get().status == "sent"


@pytest.mark.django_db(transaction=True)
def test_several_workers_act_on_each_window_and_message_exactly_once(joint):
    reports = [report(joint) for _ in range(6)]
    move(minutes=11)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            run_timers_once(batch=2)
            outbox_send_due(batch=2)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for r in reports:
        r.refresh_from_db()
        assert r.step == "park_review"
        assert actions(r).count("park_window") == 1
    assert Delivery.objects.filter(channel="sms").count() == 6
    assert OutboxMessage.objects.filter(status="sent").count() == 6
    assert ledger_verify() == []


def test_a_window_timer_firing_after_the_car_left_changes_nothing(joint):
    # The timer was being fired by a worker when the officer recorded the departure, so the
    # drive-away skipped cancelling it (deadlines.services.timer_cancel): the handler must see
    # the report has moved on.
    r = report(joint)
    services.parking_drive_away(report_id=r.pk, actor=joint.officer, photo=departure())
    Timer.objects.filter(subject=r.stream).update(status=Timer.Status.PENDING)
    move(minutes=11)
    assert run_timers_once()["fired"] == 1
    r.refresh_from_db()
    assert (r.step, r.outcome) == ("end", "no_penalty")
    assert actions(r) == ["park_report", "park_window"]
