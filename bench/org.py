"""A small org built through the services, the way conftest.py builds its `org` fixture."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from catalog.models import Matter
from catalog.services import hearing_threshold_set
from law.rules import HearingThresholds
from orgs.models import Region, Unit, User
from orgs.roles import Role
from orgs.services import certificate_issue, unit_upsert, user_upsert

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in 2025, a year chinesecalendar covers: every working-day limit can be computed.
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)


@dataclass
class Org:
    cgj: Unit  # 聊城市城市管理局, the agency whose cases are timed
    handler: User
    co_handler: User
    chief: User
    legal: User
    director: User
    matter: Matter


def _region(code: str, name: str, parent: str, level: str) -> Region:
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "parent_code": parent, "level": level}
    )
    return region


def build_org() -> Org:
    _region("370000", "山东省", "", "province")
    lc = _region("371500", "聊城市", "370000", "city")
    city = unit_upsert(
        code="371500-GOV", name="聊城市人民政府", kind="government", region=lc, parent=None
    )
    unit_upsert(code="371500-SFJ", name="聊城市司法局", kind="justice", region=lc, parent=city)
    cgj = unit_upsert(
        code="371500-CGJ",
        name="聊城市城市管理局",
        kind="agency",
        region=lc,
        parent=city,
        short="聊城管",
    )
    pw = make_password(None)  # unusable: nobody logs in, and no PBKDF2 cost at set-up

    def person(username: str, *roles: Role, qualified: bool = False) -> User:
        user = user_upsert(
            username=username,
            full_name=username,
            unit=cgj,
            roles=roles,
            password_hash=pw,
            legal_qualified=qualified,
        )
        certificate_issue(
            user=user,
            number=f"C-{username}",
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2027, 12, 31),
            scope=cgj.name,
        )
        return user

    hearing_threshold_set(
        region_code="370000", thresholds=HearingThresholds.example(), source="基准测试"
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
    return Org(
        cgj=cgj,
        handler=person("handler", Role.HANDLER, Role.CO_HANDLER),
        co_handler=person("cohandler", Role.HANDLER, Role.CO_HANDLER),
        chief=person("chief", Role.SECTION_CHIEF),
        legal=person("legal", Role.LEGAL_REVIEWER, qualified=True),
        director=person("director", Role.DEPUTY_DIRECTOR),
        matter=matter,
    )
