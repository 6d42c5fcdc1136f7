"""Demo data: the Liaocheng units of the seeds with invented people. Idempotent."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from catalog.services import hearing_threshold_set, matters_load
from law.rules import HearingThresholds
from orgs.models import Region, Unit, User
from orgs.roles import Role
from orgs.services import DATA_DIR, certificate_issue, regions_ensure, unit_upsert, user_upsert

DEMO_PASSWORD = "Zhifa@2026"

# Invented names: common surnames and given names combined; no one from the seeds.
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建国",
    "海燕",
    "志强",
    "秀英",
    "文博",
    "丽娟",
    "晓东",
    "春梅",
    "振华",
    "雪松",
    "立新",
    "红霞",
    "国庆",
    "玉兰",
    "明远",
    "静怡",
    "永刚",
    "桂芳",
    "子健",
    "欣然",
    "德胜",
    "美玲",
    "宏伟",
    "慧敏",
]

# The five case roles of one agency, plus a second handler so cases can be shared out.
AGENCY_STAFF: tuple[tuple[str, tuple[Role, ...]], ...] = (
    ("handler1", (Role.HANDLER, Role.CO_HANDLER)),
    ("handler2", (Role.HANDLER, Role.CO_HANDLER)),
    ("chief", (Role.SECTION_CHIEF,)),
    ("legal", (Role.LEGAL_REVIEWER,)),
    ("director", (Role.DEPUTY_DIRECTOR,)),
)


@dataclass
class DemoSummary:
    units: int
    users: int
    matters: int


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7 + i // len(SURNAMES)) % len(GIVEN)]


def _login(unit: Unit, suffix: str) -> str:
    return f"{unit.code.lower()}-{suffix}"


@transaction.atomic
def demo_load(*, today: dt.date) -> DemoSummary:
    regions_ensure()
    regions = {r.code: r for r in Region.objects.all()}
    rows = json.loads((DATA_DIR / "units.json").read_text(encoding="utf-8"))
    by_code: dict[str, Unit] = {}
    pending = list(rows)
    while pending:  # parents first, whatever the file order
        progressed = False
        for r in list(pending):
            parent_code = r.get("parent")
            if parent_code and parent_code not in by_code:
                continue
            by_code[r["code"]] = unit_upsert(
                code=r["code"],
                name=r["name"],
                kind=r["kind"],
                region=regions[r["region"]],
                parent=by_code.get(parent_code) if parent_code else None,
                short=r.get("short", ""),
            )
            pending.remove(r)
            progressed = True
        if not progressed:
            raise ValueError(f"单位的上级不存在：{[r['code'] for r in pending]}")
    matters = matters_load()
    hearing_threshold_set(
        region_code="370000",
        thresholds=HearingThresholds.example(),
        source="演示数据：示例数值，并非山东省的正式标准，上线前须按省级规定配置",
    )
    password = make_password(DEMO_PASSWORD)
    n = 0
    valid_from, valid_until = dt.date(today.year - 2, 1, 1), dt.date(today.year + 3, 12, 31)
    for unit in by_code.values():
        staff: tuple[tuple[str, tuple[Role, ...]], ...] = ()
        if unit.kind in (Unit.Kind.AGENCY, Unit.Kind.TOWNSHIP):
            staff = AGENCY_STAFF
        elif unit.kind == Unit.Kind.JUSTICE:
            staff = (("supervisor", (Role.SUPERVISOR,)),)
            if unit.parent is not None and unit.parent.parent is None:  # the city bureau
                staff += (
                    ("sysadmin", (Role.SYS_ADMIN,)),
                    ("secadmin", (Role.SECURITY_ADMIN,)),
                    ("auditadmin", (Role.AUDIT_ADMIN,)),
                )
        for suffix, roles in staff:
            n += 1
            user = user_upsert(
                username=_login(unit, suffix),
                full_name=_name(n),
                unit=unit,
                roles=roles,
                password_hash=password,
                legal_qualified=Role.LEGAL_REVIEWER in roles,
            )
            if set(roles) & {
                Role.HANDLER,
                Role.SECTION_CHIEF,
                Role.LEGAL_REVIEWER,
                Role.DEPUTY_DIRECTOR,
                Role.SUPERVISOR,
            }:
                certificate_issue(
                    user=user,
                    number=f"{unit.region_id}{user.pk:07d}",
                    valid_from=valid_from,
                    valid_until=valid_until,
                    scope=unit.name,
                )
    return DemoSummary(units=len(by_code), users=User.objects.count(), matters=matters)
