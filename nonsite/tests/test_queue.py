"""The 超限 review queue: filters, pages, and batch 确认 / 排除 through the record's own services,
each record on its own (one refused leaves the others done), within the officer's scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nonsite.models import WimRecord
from nonsite.tests.conftest import TRUCK_PLATE
from nonsite.tests.test_ingest import post, rec

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def three(wim: Any) -> Any:
    post(
        wim,
        rec(60_000),  # TRUCK_PLATE, whose owner the vehicle registry knows
        rec(61_000, minutes=-180),
        rec(62_000, plate="鲁P20003", minutes=-60),
    )
    assert WimRecord.objects.filter(status=WimRecord.Status.QUEUED).count() == 3
    return wim


def test_the_queue_filters_by_plate_and_pages(three: Any) -> None:
    client = _client(three.officer)
    html = client.get("/nonsite/queue/?plate=鲁P").content.decode()
    assert "鲁P20003" in html and TRUCK_PLATE not in html
    html = client.get("/nonsite/queue/?since=2025-03-04").content.decode()
    assert "没有待审核记录" in html
    odd = client.get("/nonsite/queue/?since=9999-99-99&station=99999999999999999999&page=x")
    assert odd.status_code == 200


def test_a_batch_dismissal_needs_a_reason_and_changes_nothing_without_one(three: Any) -> None:
    ids = list(WimRecord.objects.values_list("pk", flat=True))
    response = _client(three.officer).post(
        "/nonsite/queue/batch/", {"ids": ids, "decision": "dismiss", "reason": " "}, follow=True
    )
    assert "批量排除须填写排除理由" in response.content.decode()
    assert WimRecord.objects.filter(status=WimRecord.Status.QUEUED).count() == 3


def test_a_batch_dismisses_every_ticked_record_with_the_reason(three: Any) -> None:
    ids = list(WimRecord.objects.filter(plate=TRUCK_PLATE).values_list("pk", flat=True))
    response = _client(three.officer).post(
        "/nonsite/queue/batch/",
        {"ids": ids, "decision": "dismiss", "reason": "车牌识别错误"},
        follow=True,
    )
    assert "已排除2条" in response.content.decode()
    dismissed = WimRecord.objects.filter(status=WimRecord.Status.DISMISSED)
    assert set(dismissed.values_list("pk", flat=True)) == set(ids)
    assert set(dismissed.values_list("reason", flat=True)) == {"车牌识别错误"}
    assert WimRecord.objects.get(plate="鲁P20003").status == WimRecord.Status.QUEUED


def test_a_record_reviewed_meanwhile_is_named_and_the_rest_are_done(three: Any) -> None:
    first, second, third = WimRecord.objects.order_by("pk")
    WimRecord.objects.filter(pk=first.pk).update(status=WimRecord.Status.DISMISSED)
    response = _client(three.officer).post(
        "/nonsite/queue/batch/",
        {"ids": [first.pk, second.pk, third.pk], "decision": "dismiss", "reason": "重复称重"},
        follow=True,
    )
    html = response.content.decode()
    assert "已排除2条" in html and f"{first.plate}（{first.pk}）" in html
    assert WimRecord.objects.filter(status=WimRecord.Status.DISMISSED).count() == 3


def test_a_batch_confirmation_registers_one_lead_per_record_and_names_the_refused(
    three: Any,
) -> None:
    trucks = list(WimRecord.objects.filter(plate=TRUCK_PLATE).values_list("pk", flat=True))
    unknown = WimRecord.objects.get(plate="鲁P20003")
    response = _client(three.officer).post(
        "/nonsite/queue/batch/", {"ids": [*trucks, unknown.pk], "decision": "confirm"}, follow=True
    )
    html = response.content.decode()
    assert "已确认立案2条" in html
    assert f"鲁P20003（{unknown.pk}）：车辆登记信息中查不到鲁P20003的所有人" in html
    confirmed = WimRecord.objects.filter(pk__in=trucks)
    assert len({r.case_id for r in confirmed}) == 2 and None not in {r.case_id for r in confirmed}
    unknown.refresh_from_db()
    assert unknown.status == WimRecord.Status.QUEUED and unknown.case_id is None


def test_another_countys_officer_cannot_act_on_the_records_by_batch(three: Any) -> None:
    from orgs.models import User

    outsider = User.objects.get(username="county-jtj-officer")
    ids = list(WimRecord.objects.values_list("pk", flat=True))
    response = _client(outsider).post(
        "/nonsite/queue/batch/", {"ids": ids, "decision": "dismiss", "reason": "x"}, follow=True
    )
    assert "已排除0条" in response.content.decode()
    assert "不在您的办理范围内" in response.content.decode()
    assert WimRecord.objects.filter(status=WimRecord.Status.QUEUED).count() == 3
    assert TRUCK_PLATE not in _client(outsider).get("/nonsite/queue/").content.decode()


def test_a_malformed_selection_is_refused_and_changes_nothing(three: Any) -> None:
    response = _client(three.officer).post(
        "/nonsite/queue/batch/",
        {"ids": ["1; DROP", "2"], "decision": "dismiss", "reason": "x"},
        follow=True,
    )
    assert "请勾选要办理的记录" in response.content.decode()
    assert WimRecord.objects.filter(status=WimRecord.Status.QUEUED).count() == 3
