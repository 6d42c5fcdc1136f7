"""批量审核 over POST /api/joint/reviews/batch, as the queue's batch form: each ticked report
through its own service, one refused named with its reasons and left unchanged, a return without
a reason refused by field with nothing done, another unit's reviewer acting on none."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from joint.models import ParkingReport
from joint.tests.test_api import token
from joint.tests.test_parking import expire, report

pytestmark = pytest.mark.django_db
URL = "/api/joint/reviews/batch"


def post(username: str, body: dict[str, Any]) -> Any:
    return Client(headers=token(username)).post(
        URL, json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def waiting(joint: Any) -> list[ParkingReport]:
    first = report(joint, plate="鲁P11111")
    second = report(joint, plate="鲁P22222")
    expire(first)
    second.refresh_from_db()
    assert {first.step, second.step} == {"park_review"}
    return [first, second]


def steps() -> set[str]:
    return set(ParkingReport.objects.values_list("step", flat=True))


def test_a_batch_approval_uploads_each_ticked_report(joint: Any, waiting: Any) -> None:
    ids = [r.pk for r in waiting]
    r = post("traffic-reviewer", {"ids": ids, "decision": "approve"})
    assert r.status_code == 200 and r.json() == {"done": ids, "refused": []}
    for row in ParkingReport.objects.filter(pk__in=ids):
        assert row.step == "park_notice" and row.reviewer_id == joint.reviewer.pk


def test_a_return_without_a_reason_or_a_bad_selection_is_refused_and_changes_nothing(
    joint: Any, waiting: Any
) -> None:
    ids = [r.pk for r in waiting]
    r = post("traffic-reviewer", {"ids": ids, "decision": "reject", "reason": " "})
    assert r.status_code == 422 and r.json()["fields"] == {"reason": ["批量退回须填写退回理由"]}
    assert post("traffic-reviewer", {"ids": [], "decision": "approve"}).status_code == 422
    r = post("traffic-reviewer", {"ids": list(range(1, 102)), "decision": "approve"})
    assert r.status_code == 422 and "ids" in r.json()["fields"]
    assert steps() == {"park_review"}


def test_a_repeat_offenders_warning_is_refused_by_its_reason_and_the_rest_done(
    joint: Any, waiting: Any
) -> None:
    first, second = waiting
    post("traffic-reviewer", {"ids": [first.pk], "decision": "approve"})
    again = report(joint, plate="鲁P11111")
    expire(again)
    r = post("traffic-reviewer", {"ids": [again.pk, second.pk], "decision": "warn"})
    assert r.json()["done"] == [second.pk]
    assert [x["id"] for x in r.json()["refused"]] == [again.pk]
    again.refresh_from_db()
    assert again.step == "park_review"


def test_another_units_reviewer_acts_on_none_and_an_outsider_gets_401(
    joint: Any, waiting: Any
) -> None:
    ids = [r.pk for r in waiting]
    r = post("other-reviewer", {"ids": ids, "decision": "approve"})
    assert r.json()["done"] == []
    assert {x["id"] for x in r.json()["refused"]} == set(ids)
    assert "不在您的办理范围内" in r.json()["refused"][0]["errors"][0]
    body = {"ids": ids, "decision": "approve"}
    assert Client().post(URL, body, content_type="application/json").status_code == 401
    assert steps() == {"park_review"}
