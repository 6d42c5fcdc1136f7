"""非现场执法 on its edges: the station chart's daily figures, and the review's refusals of a
record that is not an overload or is a repeat of one passage, each by its own reason."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from nonsite import selectors, services
from nonsite.models import WimRecord
from nonsite.tests.test_ingest import post, rec
from procedure.engine import Act, CaseFacts, evaluate
from procedure.nonsite import NONSITE_REVIEW
from procedure.roles import Role
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db

DAY = 24 * 60  # minutes
NOT_FLAGGED = "该记录未超过限定标准（含允许误差），不能确认为超限"
DUPLICATE = "该记录是同一车辆同一次通行的重复记录，请审核首条记录"


# --- the station chart ------------------------------------------------------------------------


@pytest.fixture
def two_days(wim: Any) -> Any:
    # 2 March: 3 under the limit, 1 over → 25 %.
    post(wim, *[rec(40_000, plate=f"冀E2{i:04d}", minutes=-DAY) for i in range(3)])
    post(wim, rec(60_000, plate="冀E29999", minutes=-DAY))
    # 3 March: 19 under, 1 over, and the same overload recorded again (not counted) → 5 %.
    post(wim, *[rec(40_000, plate=f"冀E3{i:04d}") for i in range(19)], rec(60_000))
    post(wim, rec(60_100, minutes=1))
    return wim


def test_the_station_series_gives_each_days_passages_overloads_and_rate(two_days):
    assert selectors.station_series(two_days.station) == [
        {"day": dt.date(2025, 3, 2), "total": 4, "over": 1, "rate": 25.0},
        {"day": dt.date(2025, 3, 3), "total": 20, "over": 1, "rate": 5.0},
    ]


def test_the_station_chart_plots_each_days_overload_rate(two_days):
    c = Client()
    c.login(username="jtj-officer", password=PASSWORD)
    r = c.get(f"/nonsite/stations/{two_days.station.pk}/")
    chart = json.loads(r.context["chart"])
    assert chart == {"labels": ["2025-03-02", "2025-03-03"], "total": [4, 20], "rate": [25.0, 5.0]}
    assert 'id="overall-rate">8.33%' in r.content.decode()  # 2 of 24


# --- the review: only a flagged first record of a passage is confirmed -------------------------


def queued(wim: Any) -> WimRecord:
    post(wim, rec(60_000))
    r = WimRecord.objects.get()
    assert r.status == WimRecord.Status.QUEUED and r.flag
    return r


def confirm_refusals(wim: Any, record: WimRecord, reason: str) -> list[str]:
    return assert_refused(
        lambda: services.wim_record_confirm(record_id=record.pk, actor=wim.officer), reason
    ).errors


def test_a_queued_record_without_an_overload_flag_is_refused_for_that_reason_alone(wim):
    r = queued(wim)
    # The record's verdict cleared behind the queue's back (e.g. corrected in the database).
    WimRecord.objects.filter(pk=r.pk).update(flag="")
    assert confirm_refusals(wim, r, NOT_FLAGGED) == [NOT_FLAGGED]
    assert WimRecord.objects.get(pk=r.pk).case is None


def test_a_queued_record_marked_as_a_repeat_of_another_is_refused_for_that_reason_alone(wim):
    first = queued(wim)
    post(wim, rec(61_000, plate="冀E44444", minutes=2))
    second = WimRecord.objects.exclude(pk=first.pk).get()
    WimRecord.objects.filter(pk=second.pk).update(duplicate_of=first)
    assert confirm_refusals(wim, second, DUPLICATE) == [DUPLICATE]
    assert WimRecord.objects.get(pk=second.pk).case is None


def review_facts(**extra: Any) -> CaseFacts:
    return CaseFacts(
        procedure=NONSITE_REVIEW.code,
        step=NONSITE_REVIEW.first,
        unit_id=1,
        handler_id=None,
        co_handler_id=None,
        certified=frozenset({7}),
        qualified_reviewers=frozenset(),
        evidence_count=2,
        matter=None,
        parties=(),
        complex=False,
        today=dt.date(2025, 3, 3),
        act_on=dt.date(2025, 3, 3),
        discovered_on=dt.date(2025, 3, 3),
        filed_on=None,
        decision_due=None,
        response_window_end=None,
        extra={
            "device_usable": True,
            "device_problems": [],
            "flagged": True,
            "duplicate": False,
            "plate_valid": True,
            **extra,
        },
    )


CONFIRM = Act(7, 1, frozenset({Role.HANDLER}), "confirm", {})


@pytest.mark.parametrize(
    ("extra", "reason"),
    [({"flagged": False}, NOT_FLAGGED), ({"duplicate": True}, DUPLICATE)],
    ids=["not-flagged", "duplicate"],
)
def test_the_review_table_refuses_an_unflagged_or_repeated_record_by_its_reason(extra, reason):
    assert evaluate(NONSITE_REVIEW, review_facts(), CONFIRM).case_outcome == "confirmed"
    refusal = assert_refused(
        lambda: evaluate(NONSITE_REVIEW, review_facts(**extra), CONFIRM), reason
    )
    assert refusal.errors == [reason]
