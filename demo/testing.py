"""A small org tree with one persona per role, built through the services.

Shared by the tests' `org` fixture and the benchmarks, so both run the same people and matters.
Not used by the running platform.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog.models import Matter
from catalog.services import hearing_threshold_set
from law.rules import HearingThresholds
from orgs.identity import enrol, totp_device
from orgs.models import Region, Unit, User
from orgs.services import certificate_issue, unit_upsert, user_upsert
from procedure.roles import Role


@dataclass
class Org:
    city: Unit
    justice: Unit
    cgj: Unit  # 聊城市城市管理局
    scjg: Unit  # 聊城市市场监督管理局
    county: Unit
    county_justice: Unit
    county_scjg: Unit
    handler: User
    co_handler: User
    chief: User
    legal: User
    director: User
    other_officer: User  # an officer of another agency of the same city
    county_officer: User
    supervisor: User  # 聊城市司法局: the whole city
    county_supervisor: User  # 东昌府区司法局: its county only
    sysadmin: User
    matter: Matter
    major_matter: Matter


def _region(code: str, name: str, parent: str, level: str) -> Region:
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "parent_code": parent, "level": level}
    )
    return region


def certified_person(
    username: str, unit: Unit, *roles: Role, password_hash: str, qualified: bool = False
) -> User:
    """A user of the unit with the roles and a 执法证 valid through 2024–2027."""
    user = user_upsert(
        username=username,
        full_name=username,
        unit=unit,
        roles=roles,
        password_hash=password_hash,
        legal_qualified=qualified,
    )
    certificate_issue(
        user=user,
        number=f"C-{username}",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2027, 12, 31),
        scope=unit.name,
    )
    return user


def build_test_org(password_hash: str) -> Org:
    """Build it through the services (idempotent for units and people)."""
    _region("370000", "山东省", "", "province")
    lc = _region("371500", "聊城市", "370000", "city")
    dcf = _region("371502", "东昌府区", "371500", "county")
    city = unit_upsert(
        code="371500-GOV", name="聊城市人民政府", kind="government", region=lc, parent=None
    )
    justice = unit_upsert(
        code="371500-SFJ", name="聊城市司法局", kind="justice", region=lc, parent=city
    )
    cgj = unit_upsert(
        code="371500-CGJ",
        name="聊城市城市管理局",
        kind="agency",
        region=lc,
        parent=city,
        short="聊城管",
    )
    scjg = unit_upsert(
        code="371500-SCJG",
        name="聊城市市场监督管理局",
        kind="agency",
        region=lc,
        parent=city,
        short="聊市监",
    )
    county = unit_upsert(
        code="371502-GOV", name="东昌府区人民政府", kind="government", region=dcf, parent=city
    )
    county_justice = unit_upsert(
        code="371502-SFJ", name="东昌府区司法局", kind="justice", region=dcf, parent=county
    )
    county_scjg = unit_upsert(
        code="371502-SCJG",
        name="东昌府区市场监督管理局",
        kind="agency",
        region=dcf,
        parent=county,
        short="东市监",
    )
    pw = password_hash

    def person(username: str, unit: Unit, *roles: Role, qualified: bool = False) -> User:
        return certified_person(username, unit, *roles, password_hash=pw, qualified=qualified)

    hearing_threshold_set(
        region_code="370000", thresholds=HearingThresholds.example(), source="测试"
    )
    matter = Matter.objects.create(
        code="CG-0001",
        name="擅自设置户外广告设施",
        domain="城管",
        basis_law="城市市容和环境卫生管理条例",
        basis_article="第三十六条",
        penalty_types=["warning", "fine"],
        legal_min=Decimal("0"),
        legal_max=Decimal("10000"),
        bands={
            "lighter": {"min": "0", "max": "3000"},
            "ordinary": {"min": "3000", "max": "7000"},
            "heavier": {"min": "7000", "max": "10000"},
        },
    )
    matter.implementing_units.set([cgj])
    major = Matter.objects.create(
        code="CG-0099",
        name="违法建设",
        domain="城管",
        basis_law="城乡规划法",
        basis_article="第六十四条",
        penalty_types=["fine", "close", "confiscate_property"],
        legal_min=Decimal("0"),
        legal_max=Decimal("500000"),
        major=True,
    )
    org = Org(
        city=city,
        justice=justice,
        cgj=cgj,
        scjg=scjg,
        county=county,
        county_justice=county_justice,
        county_scjg=county_scjg,
        handler=person("handler", cgj, Role.HANDLER, Role.CO_HANDLER),
        co_handler=person("cohandler", cgj, Role.HANDLER, Role.CO_HANDLER),
        chief=person("chief", cgj, Role.SECTION_CHIEF),
        legal=person("legal", cgj, Role.LEGAL_REVIEWER, qualified=True),
        director=person("director", cgj, Role.DEPUTY_DIRECTOR),
        other_officer=person("scjg-officer", scjg, Role.HANDLER, Role.SECTION_CHIEF),
        county_officer=person("county-officer", county_scjg, Role.HANDLER),
        supervisor=person("supervisor", justice, Role.SUPERVISOR),
        county_supervisor=person("county-supervisor", county_justice, Role.SUPERVISOR),
        sysadmin=user_upsert(
            username="sysadmin",
            full_name="系统管理员",
            unit=justice,
            roles=[Role.SYS_ADMIN],
            password_hash=pw,
        ),
        matter=matter,
        major_matter=major,
    )
    for user in (org.director, org.supervisor, org.county_supervisor, org.sysadmin):
        otp_enrol(user)
    return org


def otp_enrol(user: User) -> TOTPDevice:
    """The persona's authenticator (the roles of TWO_FACTOR_ROLES log in with a code)."""
    return totp_device(user) or enrol(user, secrets.token_hex(20))


def otp_code(user: User) -> str:
    """The persona's current code, as its authenticator shows it. django-otp takes each code once
    (replay protection); a test logs in many times within 30 seconds, so the device forgets the
    last code it took."""
    device = totp_device(user)
    assert device is not None, f"{user.username} has no authenticator"
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def otp_passed(client: Client, user: User) -> None:
    """A test client logged in with `login` or `force_login` (no form, no second factor) as if it
    had also given the right code: what the login form does then (django_otp.login)."""
    device = totp_device(user)
    if device is None:
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
