"""Demo data: the Liaocheng units of the seeds with invented people. Idempotent."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog.services import hearing_threshold_set, matters_load
from demo.disclosure import agency_profiles_load
from law.rules import HearingThresholds
from orgs.models import Region, Unit, User
from orgs.services import DATA_DIR, certificate_issue, regions_ensure, unit_upsert, user_upsert
from procedure.roles import TWO_FACTOR_ROLES, Role

DEMO_PASSWORD = "Zhifa@2026"
DEMO_DEVICE = "演示动态口令"

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


def demo_otp_key() -> str | None:
    """The demo's one TOTP secret (hex), if the demo has enrolled anyone yet."""
    device = TOTPDevice.objects.filter(name=DEMO_DEVICE, confirmed=True).order_by("pk").first()
    return str(device.key) if device is not None else None


def demo_otp_enrol() -> str:
    """Every demo user whose role requires the second factor (the supervisors, the directors, the
    三员) gets an authenticator, all with one secret made at random on this machine the first
    time, so a person trying the demo adds one entry to an authenticator app (or asks
    `manage.py demo --otp-code`). Real accounts enrol their own on the 两步验证 page."""
    key = demo_otp_key() or secrets.token_hex(20)
    with_device = set(TOTPDevice.objects.values_list("user_id", flat=True))
    for user in User.objects.filter(roles__role__in=list(TWO_FACTOR_ROLES)).distinct():
        if user.pk not in with_device:
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, key=key, confirmed=True)
    return key


def demo_otp_code() -> str:
    """The current code of the demo's secret (what the authenticator app shows now)."""
    key = demo_otp_key()
    if key is None:
        raise ValueError("演示数据尚未载入")
    return f"{TOTP(bytes.fromhex(key)).token():06d}"


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
    register_demo_load(by_code=by_code, password=password, today=today)
    field_demo_load(by_code=by_code, password=password, today=today)
    from demo.complaints import complaints_demo_load

    complaints_demo_load(by_code=by_code)

    from demo.random_draws import random_demo_load

    random_demo_load(today=today)
    agency_profiles_load()  # 事前公示 of the city's agencies
    demo_otp_enrol()
    return DemoSummary(units=len(by_code), users=User.objects.count(), matters=matters)


# --- the register of 执法证 -----------------------------------------------------------------------


def register_demo_load(*, by_code: dict[str, Unit], password: str, today: dt.date) -> None:
    """The 执法证管理员 of 市城管局 (its own unit) and of 市司法局 (every unit of the city), a
    contract 协管员 of 市城管局, shown as never enforcing (山东监督条例 Art. 10), and two officers
    of other agencies whose 执法证 runs out within the warning window (the supervisor's list)."""
    from law.certificates import Employment
    from orgs.models import Certificate

    others = sorted(
        code
        for code, unit in by_code.items()
        if unit.kind == Unit.Kind.AGENCY and code not in ("371500-CGJ", "371500-JTJ", "371581-JTJ")
    )
    for code, days in zip(others[:2], (20, 45), strict=False):
        Certificate.objects.filter(user__username=_login(by_code[code], "handler2")).update(
            valid_until=today + dt.timedelta(days=days)
        )

    for code, suffix, name in (
        ("371500-CGJ", "certadmin", "孔令军"),
        ("371500-SFJ", "certadmin", "潘晓燕"),
    ):
        user_upsert(
            username=_login(by_code[code], suffix),
            full_name=name,
            unit=by_code[code],
            roles=(Role.CERT_ADMIN,),
            password_hash=password,
        )
    user_upsert(
        username=_login(by_code["371500-CGJ"], "assistant"),
        full_name="马卫东",
        unit=by_code["371500-CGJ"],
        roles=(),
        password_hash=password,
        employment=Employment.CONTRACT.value,
    )


# --- 城警联动 and 非现场执法 (field enforcement) ---------------------------------------------

# Demo station keys are fixed so the demo can be driven with curl; production keys come from
# nonsite.services.station_create and are shown once.
DEMO_STATIONS = (
    ("LC-WIM-01", "G309临清西治超非现场执法站", "371581-JTJ", "G309线", "demo-wim-key-LC-WIM-01"),
    ("LC-WIM-02", "S254冀鲁界治超非现场执法站", "371500-JTJ", "S254线", "demo-wim-key-LC-WIM-02"),
)
# The station photos the demo's overloads carry (drawn once, kept beside this file).
DEMO_DATA = Path(__file__).resolve().parent / "data"
DEMO_WIM_DAYS = 30
DEMO_WIM_PER_DAY = 120


def field_demo_load(*, by_code: dict[str, Unit], password: str, today: dt.date) -> None:
    """The joint team (市城管局 + 交巡警支队 reviewing), a traffic reviewer, vehicles in the local
    registry, two weigh-in-motion stations with reviewed scales and a month of records whose
    overload rate falls from about 5% to about 1.5% (seed 004)."""
    import random
    from decimal import Decimal

    from joint.models import JointTeam, Vehicle
    from law.validators import make_credit_code, make_id_card
    from nonsite.models import Device, Station
    from nonsite.services import (
        PhotoIn,
        device_review_record,
        key_hash,
        nonsite_rule_set,
        wim_ingest,
    )
    from zhifa import clock

    cgj, police = by_code["371500-CGJ"], by_code["371500-JXJ"]
    JointTeam.objects.update_or_create(unit=cgj, defaults={"review_unit": police})
    reviewer = user_upsert(
        username=_login(police, "reviewer"),
        full_name="于金飞",
        unit=police,
        roles=(Role.TRAFFIC_REVIEWER,),
        password_hash=password,
    )
    certificate_issue(
        user=reviewer,
        number=f"{police.region_id}T{reviewer.pk:06d}",
        valid_from=dt.date(today.year - 2, 1, 1),
        valid_until=dt.date(today.year + 3, 12, 31),
        scope=police.name,
    )
    for i, (plate, kind) in enumerate(
        [
            ("鲁P12345", "person"),
            ("鲁PD23456", "person"),
            ("鲁P5678A", "person"),
            ("冀E12345", "organisation"),
            ("豫J66888", "organisation"),
            ("鲁P88990D", "organisation"),
        ]
    ):
        number = (
            make_id_card(f"3715021985{i + 1:02d}0101{i}")
            if kind == "person"
            else make_credit_code(f"91371500MA000{i:04d}")
        )
        Vehicle.objects.update_or_create(
            plate=plate,
            defaults={
                "vehicle_type": "小型轿车" if kind == "person" else "重型半挂牵引车",
                "owner_kind": kind,
                "owner_name": _name(100 + i) if kind == "person" else f"聊城市演示物流有限公司{i}",
                "owner_id_number": number,
                "owner_phone": f"1390000{i:04d}",
                "owner_address": "聊城市东昌府区",
            },
        )
    nonsite_rule_set(
        region_code="370000",
        tolerance_pct=Decimal("5"),
        red_pct=Decimal("30"),
        duplicate_minutes=5,
        source="演示数据：示例数值，并非山东省的正式标准，上线前须按本地规定配置",
    )
    rng = random.Random(2022)
    now = clock.now()
    for code, name, unit_code, road, key in DEMO_STATIONS:
        unit = by_code[unit_code]
        station, _ = Station.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "road": road,
                "lanes": 2,
                "key_hash": key_hash(key),
            },
        )
        scale, _ = Device.objects.update_or_create(
            serial=f"{code}-SCALE",
            defaults={
                "station": station,
                "kind": Device.Kind.SCALE,
                "model": "动态称重系统",
                "calibrated_until": today + dt.timedelta(days=200),
            },
        )
        if not scale.reviews.exists():
            legal = User.objects.get(username=_login(unit, "legal"))
            device_review_record(
                device_id=scale.pk,
                actor=legal,
                reviewed_on=today - dt.timedelta(days=DEMO_WIM_DAYS + 10),
                valid_until=today + dt.timedelta(days=300),
                legal_ok=True,
                technical_ok=True,
                opinion="设置依据合法，地点已向社会公布并设置明显标识；计量检定合格，记录真实清晰完整",
            )
        if station.records.exists():
            continue
        photos = [
            PhotoIn((DEMO_DATA / f"wim-{name}.jpg").read_bytes(), label)
            for name, label in (("plate", "车牌"), ("side", "侧面"))
        ]
        for day in range(DEMO_WIM_DAYS, 0, -1):
            share = 0.015 + 0.035 * (day / DEMO_WIM_DAYS)  # ~5% falling to ~1.5%
            batch = []
            for n in range(DEMO_WIM_PER_DAY):
                over = rng.random() < share
                gross = rng.randint(52_000, 68_000) if over else rng.randint(18_000, 48_500)
                batch.append(
                    {
                        "record_no": f"{code}-{day:03d}-{n:04d}",
                        "lane": 1 + n % 2,
                        "passed_at": now - dt.timedelta(days=day, minutes=n * 11),
                        "plate": "冀E12345"
                        if over and n % 7 == 0
                        else f"鲁P{rng.randint(10000, 99999)}",
                        "vehicle_type": "combination",
                        "axles": 6,
                        "gross_kg": gross,
                        "speed_kmh": Decimal(rng.randint(40, 80)),
                        "images": [f"img://{code}/{day:03d}/{n:04d}.jpg"],
                        # The overloads carry the station's photos (the review shows them).
                        "photos": photos if over else [],
                    }
                )
            wim_ingest(station=station, records=batch)
