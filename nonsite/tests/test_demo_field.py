"""The demo's field-enforcement data: a working station key, the falling overload rate, the joint
team and its reviewer."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from joint.models import JointTeam
from nonsite.models import Station, WimRecord
from nonsite.selectors import station_series
from orgs.models import User
from procedure.roles import Role

pytestmark = pytest.mark.django_db


def test_the_demo_loads_stations_whose_overload_rate_falls_and_the_joint_team(frozen):
    call_command("demo", "--no-history", stdout=StringIO())
    call_command("demo", "--no-history", stdout=StringIO())  # idempotent
    station = Station.objects.get(code="LC-WIM-01")
    series = station_series(station)
    first = sum(r["over"] for r in series[:7]) / sum(r["total"] for r in series[:7])
    last = sum(r["over"] for r in series[-7:]) / sum(r["total"] for r in series[-7:])
    assert first > 0.03 and last < 0.03
    assert WimRecord.objects.filter(station=station).count() == 30 * 120
    team = JointTeam.objects.get(unit__code="371500-CGJ")
    assert team.review_unit.code == "371500-JXJ"
    reviewer = User.objects.get(username="371500-jxj-reviewer")
    assert reviewer.has_role(Role.TRAFFIC_REVIEWER)
    record = {
        "record_no": "demo-check",
        "lane": 1,
        "passed_at": dt.datetime(2025, 3, 3, 0, 30, tzinfo=dt.UTC).isoformat(),
        "plate": "冀E12345",
        "vehicle_type": "combination",
        "axles": 6,
        "gross_kg": 40000,
        "speed_kmh": "60",
    }
    r = Client().post(
        "/api/nonsite/records",
        {"records": [record]},
        content_type="application/json",
        headers={"X-Station-Key": "demo-wim-key-LC-WIM-01"},
    )
    assert r.status_code == 200 and r.json()["accepted"] == 1


def test_the_demos_overloads_carry_the_station_photos(frozen):
    call_command("demo", "--no-history", stdout=StringIO())
    queued = WimRecord.objects.filter(station__code="LC-WIM-01").exclude(flag="")
    assert queued.exists()
    assert all(r.photos.count() == 2 for r in queued[:20])
    assert not WimRecord.objects.filter(flag="", photos__isnull=False).exists()
