"""The owner's "已驶离" through the SMS link is recorded as a claim; only an officer's check
ends the report without a penalty, and a rejected claim leaves the report where the law puts
it (still in its window, or at the traffic police once the window has passed)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import PASSWORD, move
from deadlines.services import run_timers_once
from joint import services
from joint.models import ParkingReport
from joint.tests.test_parking import actions, report
from ledger.services import ledger_verify
from outbox.models import Delivery
from outbox.services import outbox_send_due
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db


def claim(r: ParkingReport) -> str:
    """The owner follows the link in the SMS and says the car has gone; returns the page."""
    outbox_send_due()
    link = re.search(r"/joint/c/[\w-]+/", Delivery.objects.get(channel="sms").body).group(0)
    return Client().post(link).content.decode()


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_a_claim_waiting_for_the_officer_keeps_the_report_from_the_traffic_police(joint):
    r = report(joint)
    move(minutes=9)
    claim(r)
    move(minutes=5)  # the window has passed while the claim waits
    run_timers_once()
    r.refresh_from_db()
    assert r.step == "park_window" and r.owner_claim_pending
    services.parking_drive_away(report_id=r.pk, actor=joint.officer)
    r.refresh_from_db()
    assert (r.step, r.outcome, r.drove_away_via) == ("end", "no_penalty", "owner")
    assert actions(r) == ["park_report", "outbox_sent", "park_window", "park_window"]
    assert ledger_verify() == []


def test_a_claim_rejected_within_the_window_leaves_the_window_running(joint):
    r = report(joint)
    move(minutes=2)
    claim(r)
    assert_refused(
        lambda: services.parking_claim_reject(report_id=r.pk, actor=joint.officer, reason=" "),
        "理由",
    )
    services.parking_claim_reject(
        report_id=r.pk, actor=joint.officer, reason="到场核实，车辆仍停在原处"
    )
    r.refresh_from_db()
    assert r.step == "park_window" and not r.owner_claim_pending and r.outcome == ""
    # With no claim waiting, the officer cannot end it on the owner's word.
    assert_refused(
        lambda: services.parking_drive_away(report_id=r.pk, actor=joint.officer),
        "请拍摄车辆驶离后的现场照片",
    )
    move(minutes=8, seconds=1)
    run_timers_once()
    r.refresh_from_db()
    assert r.step == "park_review"


def test_a_claim_rejected_after_the_window_sends_the_report_to_the_traffic_police_at_once(joint):
    r = report(joint)
    move(minutes=9)
    claim(r)
    move(minutes=5)
    run_timers_once()
    services.parking_claim_reject(report_id=r.pk, actor=joint.officer, reason="车辆未驶离")
    r.refresh_from_db()
    assert r.step == "park_review" and r.outcome == ""
    assert actions(r) == ["park_report", "outbox_sent", *["park_window"] * 3]
    assert ledger_verify() == []


def test_a_claim_on_the_last_second_is_taken_and_one_after_is_refused(joint):
    r = report(joint)
    move(minutes=10)  # the window's last second
    assert "执法人员核实后办结" in claim(r)
    other = report(joint, plate="鲁P12346")
    move(minutes=10, seconds=1)
    refusal = assert_refused(
        lambda: services.parking_owner_claim(report_id=other.pk, owner_token="wrong"),
        "确认链接无效",
    )
    assert refusal.errors == ["确认链接无效"]


def test_the_owner_claim_after_the_window_is_refused_by_its_reason(joint):
    r = report(joint)
    move(minutes=10, seconds=1)
    page = claim(r)
    assert "限时驶离期限已届满" in page
    r.refresh_from_db()
    assert r.owner_claimed_at is None


def test_the_officer_confirms_or_rejects_on_the_report_page_and_others_get_404(joint):
    r = report(joint)
    claim(r)
    officer = login("handler")
    page = officer.get(f"/joint/reports/{r.pk}/").content.decode()
    assert 'id="claim-pending"' in page and "核实已驶离（不予处罚）" in page
    for username in ("scjg-officer", "county-officer"):  # another unit's colleague, outsiders
        resp = login(username).post(f"/joint/reports/{r.pk}/claim-reject/", {"reason": "x"})
        assert resp.status_code == 404
    officer.post(f"/joint/reports/{r.pk}/claim-reject/", {"reason": "车辆仍在"})
    r.refresh_from_db()
    assert r.owner_claim_rejected_at is not None and r.step == "park_window"


def test_the_api_rejects_a_claim_by_field_and_in_scope_only(joint):
    r = report(joint)
    claim(r)
    officer = login("handler")
    url = f"/api/joint/reports/{r.pk}/claim-reject"
    resp = officer.post(url, {"reason": "\x00"}, content_type="application/json")
    assert resp.status_code == 422
    assert (
        login("scjg-officer")
        .post(url, {"reason": "x"}, content_type="application/json")
        .status_code
        == 404
    )
    ok = officer.post(url, {"reason": "车辆仍在"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["owner_claim_pending"] is False
