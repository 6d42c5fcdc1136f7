"""批量确认/排除 over POST /api/nonsite/queue/batch, as the queue's batch form: each ticked
record through its own services, a dismissal without a reason refused by field with nothing
done, another county's officer acting on none."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from nonsite.models import WimRecord
from nonsite.tests.test_api_officers import api
from nonsite.tests.test_ingest import post, rec

pytestmark = pytest.mark.django_db
URL = "/api/nonsite/queue/batch"


@pytest.fixture
def three(wim: Any) -> Any:
    post(
        wim,
        rec(60_000),
        rec(61_000, minutes=-180),
        rec(62_000, plate="鲁P20003", minutes=-60),
    )
    assert WimRecord.objects.filter(status=WimRecord.Status.QUEUED).count() == 3
    return wim


def batch(username: str, body: dict[str, Any]) -> Any:
    return api(username).post(URL, json.dumps(body), content_type="application/json")


def queued() -> int:
    return WimRecord.objects.filter(status=WimRecord.Status.QUEUED).count()


def test_a_batch_dismisses_every_ticked_record_with_the_reason(three: Any) -> None:
    ids = list(WimRecord.objects.order_by("pk").values_list("pk", flat=True))
    r = batch(three.officer.username, {"ids": ids, "decision": "dismiss", "reason": "称重异常"})
    assert r.status_code == 200 and r.json() == {"done": ids, "refused": []}
    assert queued() == 0
    again = batch(three.officer.username, {"ids": ids[:1], "decision": "dismiss", "reason": "x"})
    assert again.json()["done"] == [] and again.json()["refused"][0]["id"] == ids[0]


def test_a_dismissal_without_a_reason_is_refused_by_field_and_changes_nothing(three: Any) -> None:
    ids = list(WimRecord.objects.values_list("pk", flat=True))
    r = batch(three.officer.username, {"ids": ids, "decision": "dismiss"})
    assert r.status_code == 422 and r.json()["fields"] == {"reason": ["批量排除须填写排除理由"]}
    r = batch(three.officer.username, {"ids": ["1; DROP"], "decision": "dismiss", "reason": "x"})
    assert r.status_code == 422
    assert queued() == 3


def test_another_countys_officer_acts_on_none_and_an_outsider_gets_401(three: Any) -> None:
    ids = list(WimRecord.objects.values_list("pk", flat=True))
    r = batch("county-jtj-officer", {"ids": ids, "decision": "dismiss", "reason": "x"})
    assert r.json()["done"] == [] and len(r.json()["refused"]) == 3
    body = {"ids": ids, "decision": "dismiss", "reason": "x"}
    assert Client().post(URL, body, content_type="application/json").status_code == 401
    assert queued() == 3
