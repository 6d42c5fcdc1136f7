"""Fixtures of 非现场执法: a transport bureau, its officers, a station with a reviewed scale."""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password

from catalog.models import Matter
from conftest import PASSWORD, Org
from demo.testing import certified_person
from joint.models import Vehicle
from law.validators import make_credit_code
from nonsite.models import Device, Station
from nonsite.services import device_register, device_review_record, station_create
from orgs.models import Unit, User
from orgs.services import unit_upsert
from outbox.gateways import LocalGateway, gateway_set
from procedure.roles import Role

TRUCK_PLATE = "冀E12345"
OWNER_PHONE = "13900000002"


@dataclass
class Wim:
    org: Org
    jtj: Unit
    officer: User
    legal: User
    station: Station
    key: str
    scale: Device
    other_station: Station  # of another county's bureau
    other_key: str
    sms: LocalGateway


@pytest.fixture
def wim(org) -> Wim:
    pw = make_password(PASSWORD)
    jtj = unit_upsert(
        code="371500-JTJ",
        name="聊城市交通运输局",
        kind="agency",
        region=org.city.region,
        parent=org.city,
        short="聊交",
    )
    county_jtj = unit_upsert(
        code="371502-JTJ",
        name="东昌府区交通运输局",
        kind="agency",
        region=org.county.region,
        parent=org.county,
    )

    def person(username: str, unit: Unit, *roles: Role) -> User:
        return certified_person(
            username, unit, *roles, password_hash=pw, qualified=Role.LEGAL_REVIEWER in roles
        )

    officer = person("jtj-officer", jtj, Role.HANDLER, Role.CO_HANDLER)
    legal = person("jtj-legal", jtj, Role.LEGAL_REVIEWER)
    person("county-jtj-officer", county_jtj, Role.HANDLER)
    station, key = station_create(
        code="LC-WIM-01", name="G309临清西治超站", unit=jtj, road="G309", lanes=2
    )
    other, other_key = station_create(code="DC-WIM-01", name="东昌府区治超站", unit=county_jtj)
    scale = device_register(
        station=station,
        kind="scale",
        serial="WIM-0001",
        model="DWS-8",
        calibrated_until=dt.date(2025, 12, 31),
    )
    device_review_record(
        device_id=scale.pk,
        actor=legal,
        reviewed_on=dt.date(2025, 1, 10),
        valid_until=dt.date(2026, 1, 9),
        legal_ok=True,
        technical_ok=True,
        opinion="设置依据充分，地点已公布，计量检定合格，记录清晰完整",
    )
    matter = Matter.objects.create(
        code="JT-0001",
        name="车辆违法超限运输（车货总质量超限）",
        domain="交通运输",
        basis_law="超限运输车辆行驶公路管理规定",
        basis_article="第四十三条",
        penalty_types=["warning", "fine"],
        legal_min=Decimal("0"),
        legal_max=Decimal("30000"),
    )
    matter.implementing_units.set([jtj])
    Vehicle.objects.create(
        plate=TRUCK_PLATE,
        vehicle_type="重型半挂牵引车",
        owner_kind="organisation",
        owner_name="某某物流有限公司",
        owner_id_number=make_credit_code("91130500MA0000001"),
        owner_phone=OWNER_PHONE,
        owner_address="河北省邢台市",
    )
    sms = LocalGateway("sms", deque())
    gateway_set("sms", sms)
    return Wim(org, jtj, officer, legal, station, key, scale, other, other_key, sms)


@pytest.fixture(autouse=True)
def _fresh_rule_cache():
    """Each test's database starts without settings; so must the per-process cache."""
    from nonsite import services

    services._rule_cache.clear()
    yield
    services._rule_cache.clear()
