"""Fixtures of the joint module: a traffic-police unit with its reviewer, the joint team, the
local vehicle registry and the local gateways reset for every test."""

from __future__ import annotations

import io
from collections import deque
from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import make_password
from PIL import Image

from conftest import PASSWORD, Org
from demo.testing import certified_person
from joint.models import JointTeam, Vehicle
from joint.services import PhotoIn
from law.validators import make_id_card
from orgs.models import Unit, User
from orgs.services import unit_upsert
from outbox.gateways import LocalGateway, gateway_set
from procedure.roles import Role

OWNER_PHONE = "13900000001"


def jpeg(colour: str = "gray", size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG")
    return buf.getvalue()


def photos(n: int = 2) -> list[PhotoIn]:
    colours = ["red", "green", "blue", "gray"]
    return [PhotoIn(jpeg(colours[i % 4]), f"p{i}.jpg", "image/jpeg") for i in range(n)]


@dataclass
class Joint:
    org: Org
    police: Unit
    reviewer: User
    other_reviewer: User  # a reviewer of another traffic-police unit
    officer: User
    colleague: User
    lead: User
    sms: LocalGateway
    traffic: LocalGateway


@pytest.fixture
def joint(org) -> Joint:
    pw = make_password(PASSWORD)
    police = unit_upsert(
        code="371500-JXJ",
        name="聊城市公安局交通巡逻警察支队",
        kind="agency",
        region=org.city.region,
        parent=org.city,
        short="聊公交巡",
    )
    other_police = unit_upsert(
        code="371502-JXJ",
        name="东昌府区交警大队",
        kind="agency",
        region=org.county.region,
        parent=org.county,
    )

    def person(username: str, unit: Unit, *roles: Role) -> User:
        return certified_person(username, unit, *roles, password_hash=pw)

    JointTeam.objects.create(unit=org.cgj, review_unit=police)
    Vehicle.objects.create(
        plate="鲁P12345",
        vehicle_type="小型轿车",
        owner_kind="person",
        owner_name="车主甲",
        owner_id_number=make_id_card("37150219800101001"),
        owner_phone=OWNER_PHONE,
        owner_address="聊城市东昌府区",
    )
    sms, traffic = LocalGateway("sms", deque()), LocalGateway("traffic", deque())
    gateway_set("sms", sms)
    gateway_set("traffic", traffic)
    return Joint(
        org=org,
        police=police,
        reviewer=person("traffic-reviewer", police, Role.TRAFFIC_REVIEWER),
        other_reviewer=person("other-reviewer", other_police, Role.TRAFFIC_REVIEWER),
        officer=org.handler,
        colleague=org.co_handler,
        lead=org.chief,
        sms=sms,
        traffic=traffic,
    )
