"""The traffic reviewer's queue: filters, pages, and batch 审核 through the report's own service,
each report on its own, within the reviewer's unit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joint.models import ParkingReport
from joint.tests.test_parking import expire, report

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def waiting(joint: Any) -> list[ParkingReport]:
    first = report(joint, plate="鲁P11111")
    second = report(joint, plate="鲁P22222")
    expire(first)
    second.refresh_from_db()
    assert {first.step, second.step} == {"park_review"}
    return [first, second]


def test_the_queue_filters_by_plate(joint: Any, waiting: list[ParkingReport]) -> None:
    html = _client(joint.reviewer).get("/joint/review/?plate=22222").content.decode()
    assert "鲁P22222" in html and "鲁P11111" not in html
    assert _client(joint.reviewer).get("/joint/review/?since=2x&page=-1").status_code == 200


def test_a_batch_return_needs_a_reason_and_changes_nothing_without_one(
    joint: Any, waiting: list[ParkingReport]
) -> None:
    ids = [r.pk for r in waiting]
    response = _client(joint.reviewer).post(
        "/joint/review/batch/", {"ids": ids, "decision": "reject", "reason": ""}, follow=True
    )
    assert "批量退回须填写退回理由" in response.content.decode()
    assert set(ParkingReport.objects.values_list("step", flat=True)) == {"park_review"}


def test_a_batch_approval_uploads_each_ticked_report(
    joint: Any, waiting: list[ParkingReport]
) -> None:
    ids = [r.pk for r in waiting]
    response = _client(joint.reviewer).post(
        "/joint/review/batch/", {"ids": ids, "decision": "approve"}, follow=True
    )
    assert "已审核通过2条" in response.content.decode()
    for r in ParkingReport.objects.filter(pk__in=ids):
        assert r.step == "park_notice" and r.notice_no and r.reviewer_id == joint.reviewer.pk


def test_a_warning_for_a_repeat_offender_is_refused_by_its_reason_and_the_rest_done(
    joint: Any, waiting: list[ParkingReport]
) -> None:
    first, second = waiting
    _client(joint.reviewer).post(
        "/joint/review/batch/", {"ids": [first.pk], "decision": "approve"}, follow=True
    )
    again = report(joint, plate="鲁P11111")
    expire(again)
    response = _client(joint.reviewer).post(
        "/joint/review/batch/", {"ids": [again.pk, second.pk], "decision": "warn"}, follow=True
    )
    html = response.content.decode()
    assert "已警告1条" in html and f"鲁P11111（{again.pk}）" in html
    again.refresh_from_db()
    assert again.step == "park_review"


def test_another_units_reviewer_cannot_review_by_batch(
    joint: Any, waiting: list[ParkingReport]
) -> None:
    ids = [r.pk for r in waiting]
    response = _client(joint.other_reviewer).post(
        "/joint/review/batch/", {"ids": ids, "decision": "approve"}, follow=True
    )
    assert "已审核通过0条" in response.content.decode()
    assert set(ParkingReport.objects.values_list("step", flat=True)) == {"park_review"}


def test_the_reports_to_review_are_one_line_of_the_reviewers_todo_with_their_count(
    joint: Any, waiting: list[ParkingReport]
) -> None:
    html = _client(joint.reviewer).get("/").content.decode()
    assert 'data-kind="joint"' in html and "违停审核 2" in html and 'href="/joint/review/"' in html
    assert 'data-kind="joint"' not in _client(joint.other_reviewer).get("/").content.decode()
    assert 'data-kind="joint"' not in _client(joint.officer).get("/").content.decode()
