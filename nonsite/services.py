"""Writes of 非现场执法: stations and their keys, device reviews, ingest, the officer's review,
the case a confirmed overload becomes, and the party's query and statement
(行政处罚法第四十一条)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import runner
from cases.models import Case, Evidence
from cases.runner import Ask, Result, Table
from cases.services.evidence import sniffed_type
from cases.services.steps import case_register, party_as_recorded, party_errors
from catalog.models import Matter
from joint import conf as joint_conf
from joint.plates import normalize_plate, plate_kind
from joint.vehicles import Owner, registry
from law.complaints import mobile_errors
from ledger.services import ledger_append
from nonsite import limits
from nonsite.models import (
    DEFAULT_DUPLICATE_MINUTES,
    DEFAULT_RED_PCT,
    DEFAULT_TOLERANCE_PCT,
    Device,
    DeviceReview,
    NonsiteRule,
    Station,
    WimPhoto,
    WimRecord,
)
from orgs.models import Region, Unit, User
from orgs.selectors import certified_on
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue
from procedure.engine import CaseFacts, Outcome, Refused
from procedure.nonsite import NONSITE_REVIEW
from procedure.roles import Role
from zhifa import clock

OVERLOAD_MATTER = "JT-0001"  # 车辆违法超限运输（车货总质量超限）
MAX_BATCH = 500
CLOCK_SKEW = dt.timedelta(minutes=5)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# --- stations, devices, reviews -------------------------------------------------------------------


def station_create(
    *, code: str, name: str, unit: Unit, road: str = "", lanes: int = 2
) -> tuple[Station, str]:
    """Register a station; returns it with its key, shown once (only the hash is stored)."""
    key = f"wim_{secrets.token_urlsafe(24)}"
    station = Station.objects.create(
        code=code, name=name, unit=unit, road=road, lanes=lanes, key_hash=key_hash(key)
    )
    return station, key


def device_register(
    *, station: Station, kind: str, serial: str, model: str = "", calibrated_until: dt.date | None
) -> Device:
    return Device.objects.create(
        station=station, kind=kind, serial=serial, model=model, calibrated_until=calibrated_until
    )


def device_problems(
    device: Device | None, on: dt.date, reviews: Sequence[DeviceReview]
) -> list[str]:
    """Why the device's records on `on` are not evidence (empty when they are). `reviews` are the
    device's reviews, newest first."""
    if device is None:
        return ["站点没有登记动态称重设备"]
    problems = []
    if device.calibrated_until is None or device.calibrated_until < on:
        problems.append(f"设备{device.serial}不在计量检定有效期内")
    current = next((r for r in reviews if r.reviewed_on <= on), None)
    if current is None:
        problems.append(f"设备{device.serial}未经法制和技术审核")
    elif not current.passed:
        problems.append(f"设备{device.serial}的法制和技术审核未通过")
    elif current.valid_until < on:
        problems.append(f"设备{device.serial}的法制和技术审核已于{current.valid_until}过期")
    return problems


@transaction.atomic
def device_review_record(
    *,
    device_id: int,
    actor: User,
    reviewed_on: dt.date,
    valid_until: dt.date,
    legal_ok: bool,
    technical_ok: bool,
    opinion: str,
) -> DeviceReview:
    """法制和技术审核 of a device (行政处罚法第四十一条) by a legal reviewer of its unit."""
    device = Device.objects.select_related("station").get(pk=device_id)
    errors = []
    if actor.unit_id != device.station.unit_id or not actor.has_role(Role.LEGAL_REVIEWER):
        errors.append("设备的法制和技术审核须由站点所属执法机关的法制审核人员办理")
    if valid_until <= reviewed_on:
        errors.append("审核有效期须晚于审核日期")
    if reviewed_on > clock.today():
        errors.append("审核日期不能晚于今天")
    if not opinion.strip():
        errors.append("请填写审核意见")
    if errors:
        raise Refused(errors)
    review = DeviceReview.objects.create(
        device=device,
        reviewed_on=reviewed_on,
        valid_until=valid_until,
        legal_ok=legal_ok,
        technical_ok=technical_ok,
        opinion=opinion.strip(),
        reviewer=actor,
        created_at=clock.now(),
    )
    ledger_append(
        stream=f"device:{device.pk}",
        action="device_review",
        payload={
            "review": review.pk,
            "serial": device.serial,
            "station": device.station.code,
            "reviewed_on": reviewed_on,
            "valid_until": valid_until,
            "legal_ok": legal_ok,
            "technical_ok": technical_ok,
            "opinion": review.opinion,
            "calibrated_until": device.calibrated_until,
        },
        actor_id=actor.pk,
        actor_name=str(actor),
        role=Role.LEGAL_REVIEWER.value,
    )
    return review


@dataclass(frozen=True)
class Rule:
    tolerance_pct: Decimal
    red_pct: Decimal
    duplicate_minutes: int
    source: str


RULE_CACHE_SECONDS = 30.0
_rule_cache: dict[str, tuple[float, Rule]] = {}


def rule_for(unit: Unit) -> Rule:
    """The jurisdiction's settings: the unit's region, then the regions above it. Cached per
    process for RULE_CACHE_SECONDS (ingest reads it on every request); a change of the settings
    applies to records received after that."""
    now = time.monotonic()
    hit = _rule_cache.get(unit.region_id)
    if hit is not None and now - hit[0] < RULE_CACHE_SECONDS:
        return hit[1]
    rule = _rule_lookup(unit)
    _rule_cache[unit.region_id] = (now, rule)
    return rule


def _rule_lookup(unit: Unit) -> Rule:
    codes = []
    code: str | None = unit.region_id
    while code:
        codes.append(code)
        code = Region.objects.filter(code=code).values_list("parent_code", flat=True).first()
    found = {r.region_code: r for r in NonsiteRule.objects.filter(region_code__in=codes)}
    for c in codes:
        if c in found:
            r = found[c]
            return Rule(r.tolerance_pct, r.red_pct, r.duplicate_minutes, r.source)
    return Rule(
        DEFAULT_TOLERANCE_PCT,
        DEFAULT_RED_PCT,
        DEFAULT_DUPLICATE_MINUTES,
        "未配置：按法定限值，不计误差",
    )


def nonsite_rule_set(
    *,
    region_code: str,
    tolerance_pct: Decimal,
    red_pct: Decimal,
    duplicate_minutes: int,
    source: str,
) -> NonsiteRule:
    if not (Decimal(0) <= tolerance_pct < Decimal(20)) or not (Decimal(0) < red_pct <= 100):
        raise Refused(["允许误差应在0%至20%之间，红色预警超限率应在0%至100%之间"])
    _rule_cache.clear()
    rule, _ = NonsiteRule.objects.update_or_create(
        region_code=region_code,
        defaults={
            "tolerance_pct": tolerance_pct,
            "red_pct": red_pct,
            "duplicate_minutes": duplicate_minutes,
            "source": source,
        },
    )
    return rule


# --- ingest ------------------------------------------------------------------------------------


@dataclass
class IngestResult:
    accepted: int = 0
    repeated: int = 0  # already received (same record number): not stored again
    flagged: int = 0
    duplicates: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)


def _record_errors(n: int, r: Mapping[str, Any], station: Station, now: dt.datetime) -> list[str]:
    label = f"第{n}条记录"
    errors = []
    if not str(r.get("record_no", "")).strip():
        errors.append(f"{label}缺少设备记录号")
    if not 1 <= int(r["lane"]) <= station.lanes:
        errors.append(f"{label}车道{r['lane']}不存在（本站{station.lanes}个车道）")
    passed_at: dt.datetime = r["passed_at"]
    if timezone.is_naive(passed_at):
        errors.append(f"{label}通行时间须带时区")
    elif passed_at > now + CLOCK_SKEW:
        errors.append(f"{label}通行时间晚于当前时间")
    try:
        limits.gross_limit_kg(int(r["axles"]), limits.VehicleType(r["vehicle_type"]))
    except ValueError as exc:
        errors.append(f"{label}：{exc}")
    if not 2 <= int(r["axles"]) <= 12:
        errors.append(f"{label}轴数应在2至12之间")
    if not 500 <= int(r["gross_kg"]) <= 300_000:
        errors.append(f"{label}车货总质量{r['gross_kg']}千克不在检测范围内")
    if not Decimal(0) <= Decimal(str(r["speed_kmh"])) <= Decimal(200):
        errors.append(f"{label}车速无效")
    return errors


def wim_ingest(*, station: Station, records: Sequence[Mapping[str, Any]]) -> IngestResult:
    """Store a station's records: the verdict against the limit, duplicates of one passage, and
    whether the device's records are usable as evidence. One transaction per batch; a batch with
    any invalid record is refused whole. Records already received (same record number) are not
    stored again, so a station may resend a batch after a lost answer.

    Duplicates: a record of the same (readable) plate at the same station, in any lane, within the
    jurisdiction's `duplicate_minutes` of a record already kept is the same passage; it is stored
    (for the audit trail) with `duplicate_of` the kept one and never queued or counted.
    """
    now = clock.now()
    if not records:
        raise Refused(["没有记录"])
    if len(records) > MAX_BATCH:
        raise Refused([f"每批最多{MAX_BATCH}条记录"])
    errors = [e for n, r in enumerate(records, start=1) for e in _record_errors(n, r, station, now)]
    errors += [
        f"第{n}条记录{e}"
        for n, r in enumerate(records, start=1)
        for e in photo_errors(r.get("photos") or [])
    ]
    if errors:
        raise Refused(errors)
    rule = rule_for(station.unit)
    window = dt.timedelta(minutes=rule.duplicate_minutes)
    result = IngestResult()
    with transaction.atomic():
        # One batch of a station at a time, so duplicates across concurrent batches are seen.
        Station.objects.select_for_update().filter(pk=station.pk).first()
        nos = [str(r["record_no"]) for r in records]
        known = dict(
            WimRecord.objects.filter(station=station, record_no__in=nos).values_list(
                "record_no", "pk"
            )
        )
        device = station.devices.filter(kind=Device.Kind.SCALE).order_by("-id").first()
        reviews = list(device.reviews.all()) if device else []
        usable: dict[dt.date, list[str]] = {}
        fresh = [r for r in records if str(r["record_no"]) not in known]
        plates = {normalize_plate(str(r["plate"])) for r in fresh}
        times = [r["passed_at"] for r in fresh]
        kept: dict[str, list[tuple[dt.datetime, WimRecord]]] = {}
        if fresh:
            for rec in WimRecord.objects.filter(
                station=station,
                plate__in=plates,
                plate_valid=True,
                duplicate_of__isnull=True,
                passed_at__gte=min(times) - window,
                passed_at__lte=max(times) + window,
            ).only("pk", "plate", "passed_at"):
                kept.setdefault(rec.plate, []).append((rec.passed_at, rec))
        firsts: list[WimRecord] = []
        dupes: list[tuple[WimRecord, WimRecord]] = []
        for r in sorted(fresh, key=lambda r: r["passed_at"]):
            plate = normalize_plate(str(r["plate"]))
            valid = plate_kind(plate) is not None
            vtype = limits.VehicleType(r["vehicle_type"])
            single = bool(r.get("single_drive_axle", False))
            limit = limits.gross_limit_kg(int(r["axles"]), vtype, single)
            verdict = limits.classify(
                gross_kg=int(r["gross_kg"]),
                limit_kg=limit,
                tolerance_pct=rule.tolerance_pct,
                red_pct=rule.red_pct,
            )
            day = timezone.localdate(r["passed_at"])
            if day not in usable:
                usable[day] = device_problems(device, day, reviews)
            rec = WimRecord(
                station=station,
                record_no=str(r["record_no"]),
                lane=int(r["lane"]),
                passed_at=r["passed_at"],
                passed_on=day,
                plate=plate if valid else plate[:10],
                plate_valid=valid,
                vehicle_type=vtype.value,
                axles=int(r["axles"]),
                single_drive_axle=single,
                gross_kg=int(r["gross_kg"]),
                speed_kmh=Decimal(str(r["speed_kmh"])).quantize(Decimal("0.1")),
                images=[str(i)[:300] for i in r.get("images", [])][:10],
                limit_kg=verdict.limit_kg,
                allowed_kg=verdict.allowed_kg,
                over_kg=verdict.over_kg,
                over_pct=verdict.over_pct,
                flag=verdict.flag.value,
                device=device,
                received_at=now,
            )
            first = None
            if valid:
                first = next(
                    (k for t, k in kept.get(plate, []) if abs(t - rec.passed_at) <= window), None
                )
            if first is not None:
                rec.status = WimRecord.Status.DUPLICATE
                dupes.append((rec, first))
                continue
            if not verdict.flag:
                rec.status = WimRecord.Status.PASSED
            elif usable[day]:
                rec.status = WimRecord.Status.UNUSABLE
            else:
                rec.status = WimRecord.Status.QUEUED
            if valid:
                kept.setdefault(plate, []).append((rec.passed_at, rec))
            firsts.append(rec)
        WimRecord.objects.bulk_create(firsts)
        for rec, first in dupes:
            rec.duplicate_of = first
        WimRecord.objects.bulk_create([d for d, _ in dupes])
        sent = {str(r["record_no"]): r.get("photos") or [] for r in fresh}
        for rec in [*firsts, *(d for d, _ in dupes)]:
            _photos_save(rec, sent.get(rec.record_no, []), now)
    by_no = {rec.record_no: rec for rec in firsts} | {d.record_no: d for d, _ in dupes}
    for r in records:
        no = str(r["record_no"])
        if no in known:
            result.repeated += 1
            result.records.append({"record_no": no, "id": known[no], "status": "repeated"})
            continue
        rec = by_no[no]
        result.accepted += 1
        result.flagged += bool(rec.flag) and rec.status != WimRecord.Status.DUPLICATE
        result.duplicates += rec.status == WimRecord.Status.DUPLICATE
        result.records.append(
            {
                "record_no": no,
                "id": rec.pk,
                "status": rec.status,
                "flag": rec.flag,
                "duplicate_of": rec.duplicate_of.pk if rec.duplicate_of else None,
            }
        )
    return result


# --- the station's photos ---------------------------------------------------------------------

MAX_PHOTOS = 4
MAX_PHOTO_BYTES = 1024 * 1024
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


@dataclass(frozen=True)
class PhotoIn:
    content: bytes
    name: str = ""


def photo_errors(photos: Sequence[PhotoIn], *, already: int = 0) -> list[str]:
    """Why a station's photos cannot be kept (empty when they can): at most MAX_PHOTOS a record,
    each at most MAX_PHOTO_BYTES and a JPEG or PNG by its content (never by its name)."""
    errors = []
    if already + len(photos) > MAX_PHOTOS:
        errors.append(f"每条记录最多{MAX_PHOTOS}张图像")
    for n, p in enumerate(photos, start=1):
        if not p.content:
            errors.append(f"第{n}张图像为空")
        elif len(p.content) > MAX_PHOTO_BYTES:
            errors.append(f"第{n}张图像超过{MAX_PHOTO_BYTES // 1024}KB")
        elif sniffed_type(p.content, PHOTO_TYPES) is None:
            errors.append(f"第{n}张图像的内容不是JPEG或PNG图片")
        if "\x00" in p.name or len(p.name) > 60:
            errors.append(f"第{n}张图像的名称无效（不超过60个字符）")
    return errors


def _photos_save(rec: WimRecord, photos: Sequence[PhotoIn], now: dt.datetime) -> list[WimPhoto]:
    """Keep the photos as evidence files named by their SM3 (already checked by photo_errors);
    a photo the record already has (same SHA-256) is not kept twice."""
    have = set(rec.photos.values_list("sha256", flat=True)) if rec.pk else set()
    index = rec.photos.count()
    saved = []
    for p in photos:
        sha256 = hashlib.sha256(p.content).hexdigest()
        if sha256 in have:
            continue
        have.add(sha256)
        sniffed = sniffed_type(p.content, PHOTO_TYPES)
        assert sniffed is not None
        sm3 = hashlib.new("sm3", p.content).hexdigest()
        index += 1
        photo = WimPhoto(
            record=rec,
            index=index,
            name=p.name.strip(),
            content_type=sniffed[0],
            size=len(p.content),
            sha256=sha256,
            sm3=sm3,
            received_at=now,
        )
        # Named by its SM3: the same photo (a station resending, the demo) is one file.
        name = photo.file.field.generate_filename(photo, f"{sm3}{sniffed[1]}")
        if photo.file.storage.exists(name):
            photo.file.name = name
        else:
            photo.file.save(f"{sm3}{sniffed[1]}", ContentFile(p.content), save=False)
        photo.save()
        saved.append(photo)
    return saved


def wim_photos_add(
    *, station: Station, record_no: str, photos: Sequence[PhotoIn]
) -> list[WimPhoto]:
    """Photos of a record already received, sent apart from its batch (larger files, multipart).
    Resending the same photo keeps it once."""
    with transaction.atomic():
        rec = (
            WimRecord.objects.select_for_update()
            .filter(station=station, record_no=record_no)
            .first()
        )
        if rec is None:
            raise Refused([f"本站没有记录号为“{record_no[:60]}”的检测记录"])
        have = set(rec.photos.values_list("sha256", flat=True))
        new = [p for p in photos if hashlib.sha256(p.content).hexdigest() not in have]
        errors = photo_errors(photos) if not photos else photo_errors(new, already=len(have))
        if not photos:
            errors = ["请上传图像"]
        if errors:
            raise Refused(errors)
        _photos_save(rec, new, clock.now())
        return list(rec.photos.all())


# --- the officer's review ------------------------------------------------------------------------


def _locked(record_id: int) -> WimRecord:
    try:
        return (
            WimRecord.objects.select_for_update(of=("self",))
            .select_related("station", "station__unit", "device")
            .get(pk=record_id)
        )
    except WimRecord.DoesNotExist:
        raise Refused(["检测记录不存在"]) from None


def _queued(record_id: int) -> WimRecord:
    """The record, locked, while it waits in the review queue."""
    rec = _locked(record_id)
    if rec.status not in {WimRecord.Status.QUEUED, WimRecord.Status.UNUSABLE}:
        raise Refused([f"该记录状态为“{rec.get_status_display()}”，不在待审核队列中"])
    return rec


def _read(rec: WimRecord, ask: Ask) -> CaseFacts:
    assert ask.actor is not None
    today = clock.today()
    reviews = list(rec.device.reviews.all()) if rec.device else []
    problems = device_problems(rec.device, rec.passed_on, reviews)
    return CaseFacts(
        procedure=NONSITE_REVIEW.code,
        step=NONSITE_REVIEW.first,
        unit_id=rec.station.unit_id,
        handler_id=None,
        co_handler_id=None,
        certified=certified_on((ask.actor.pk,), today),
        qualified_reviewers=frozenset(),
        evidence_count=len(rec.images) + rec.photos.count(),
        matter=None,
        parties=(),
        complex=False,
        today=today,
        act_on=rec.passed_on,
        discovered_on=rec.passed_on,
        filed_on=None,
        decision_due=None,
        response_window_end=None,
        extra={
            "device_usable": not problems,
            "device_problems": problems,
            "flagged": bool(rec.flag),
            "duplicate": rec.duplicate_of_id is not None,
            "plate_valid": rec.plate_valid,
        },
    )


def _entry(
    rec: WimRecord, outcome: Outcome, data: Mapping[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    return {"decision": outcome.transition.decision, "data": {**data, **result}}


REVIEW = Table[WimRecord](
    procedure=NONSITE_REVIEW,
    read=_read,
    stream=lambda rec: rec.stream,
    entry=_entry,
    action="wim_review",
)


def wim_record_dismiss(*, record_id: int, actor: User, reason: str) -> WimRecord:
    data = {"reason": reason.strip()}

    def apply(rec: WimRecord, outcome: Outcome) -> None:
        rec.status = WimRecord.Status.DISMISSED
        rec.reason = data["reason"]
        rec.reviewed_by, rec.reviewed_at = actor, clock.now()
        rec.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])

    rec, _ = runner.run(
        REVIEW,
        lambda: _queued(record_id),
        actor=actor,
        decision="dismiss",
        data=data,
        step=NONSITE_REVIEW.first,
        apply=apply,
    )
    return rec


def _evidence_payload(rec: WimRecord) -> dict[str, Any]:
    review = None
    if rec.device is not None:
        review = rec.device.reviews.filter(reviewed_on__lte=rec.passed_on).first()
    return {
        "record": rec.pk,
        "record_no": rec.record_no,
        "station": rec.station.code,
        "station_name": rec.station.name,
        "lane": rec.lane,
        "passed_at": rec.passed_at,
        "plate": rec.plate,
        "configuration": limits.configuration_label(
            rec.axles, limits.VehicleType(rec.vehicle_type)
        ),
        "axles": rec.axles,
        "gross_kg": rec.gross_kg,
        "limit_kg": rec.limit_kg,
        "allowed_kg": rec.allowed_kg,
        "over_kg": rec.over_kg,
        "over_pct": rec.over_pct,
        "speed_kmh": rec.speed_kmh,
        "images": rec.images,
        "photos": [
            {
                **{f: getattr(p, f) for f in ("index", "name", "content_type", "size")},
                **{f: getattr(p, f) for f in ("sha256", "sm3")},
            }
            for p in rec.photos.all()
        ],
        "citation": limits.CITATION,
        "device": {
            "serial": rec.device.serial if rec.device else None,
            "calibrated_until": rec.device.calibrated_until if rec.device else None,
            "review": review.pk if review else None,
            "reviewed_on": review.reviewed_on if review else None,
            "review_valid_until": review.valid_until if review else None,
            "legal_ok": review.legal_ok if review else None,
            "technical_ok": review.technical_ok if review else None,
            "reviewer": str(review.reviewer) if review else None,
        },
    }


OWNER_KINDS = {"person": "公民", "organisation": "法人或其他组织"}


def manual_owner_errors(owner: Mapping[str, Any]) -> list[str]:
    """The owner an officer enters by hand (the registry has none): kind, name, 身份证 or
    统一社会信用代码 with its check digit, and a mobile number when given."""
    errors = [e.removeprefix("第1名当事人").lstrip("：") for e in party_errors(owner, 1)]
    phone = str(owner.get("phone", "")).strip()
    if phone:
        errors += mobile_errors(phone) if "\x00" not in phone else ["手机号码无效"]
    address = str(owner.get("address", ""))
    if "\x00" in address or len(address) > 200:
        errors.append("住址无效（不超过200个字符）")
    return errors


def _manual_owner(plate: str, owner: Mapping[str, Any]) -> Owner:
    errors = manual_owner_errors(owner)
    if errors:
        raise Refused(errors)
    return Owner(
        plate=plate,
        kind=str(owner["kind"]),
        name=str(owner["name"]).strip(),
        id_number=str(owner["id_number"]).strip().upper(),
        phone=str(owner.get("phone", "")).strip(),
        address=str(owner.get("address", "")).strip(),
        vehicle_type="",
    )


def wim_record_confirm(
    *, record_id: int, actor: User, owner: Mapping[str, Any] | None = None
) -> Case:
    """Confirm an overload: a case in the general procedure (来源: 监测发现), handled by the
    confirming officer, carrying the 第四十一条 steps: the device's review and the record as
    evidence, the party told at once by SMS with a link to query the record and state its case.

    The party is the vehicle registry's owner of the plate; when the registry has none, the
    officer enters the owner (`owner`: kind, name, id_number, phone, address), and the review's
    entry says the party was entered by hand and by whom."""
    made: dict[str, Any] = {}
    data: dict[str, Any] = {}

    def apply(rec: WimRecord, outcome: Outcome) -> Result:
        found = registry().lookup(rec.plate)
        if found is None and owner is None:
            raise Refused([f"车辆登记信息中查不到{rec.plate}的所有人，请手工登记车辆所有人后确认"])
        made["owner"] = found if found is not None else _manual_owner(rec.plate, owner or {})
        data["owner_source"] = "registry" if found is not None else "manual"
        if found is None:
            manual = made["owner"]
            # As a case's parties are recorded: the numbers masked, the ID number's keyed index.
            data["owner"] = party_as_recorded(
                {
                    "kind": manual.kind,
                    "name": manual.name,
                    "id_number": manual.id_number,
                    "phone": manual.phone,
                    "address": manual.address,
                }
            )
        owner_ = made["owner"]
        config = limits.configuration_label(rec.axles, limits.VehicleType(rec.vehicle_type))
        local = timezone.localtime(rec.passed_at)
        clue = (
            f"{rec.plate}（{config}）于{local:%Y-%m-%d %H:%M}经{rec.station.name}第{rec.lane}车道"
            f"动态称重检测，车货总质量{rec.gross_kg}千克，超过限定标准{rec.limit_kg}千克"
            f"（{limits.CITATION}），超限{rec.over_kg}千克（{rec.over_pct}%）"
        )
        matter = OVERLOAD_MATTER if Matter.objects.filter(code=OVERLOAD_MATTER).exists() else None
        case = made["case"] = case_register(
            actor=actor,
            source=Case.Source.MONITORING,
            clue=clue,
            discovered_on=clock.today(),
            act_on=rec.passed_on,
            place=f"{rec.station.name}（{rec.station.road}）",
            parties=[
                {
                    "kind": owner_.kind,
                    "name": owner_.name,
                    "id_number": owner_.id_number,
                    "address": owner_.address,
                    "phone": owner_.phone,
                }
            ],
            matter_code=matter,
        )
        token = made["token"] = secrets.token_urlsafe(18)
        rec.status = WimRecord.Status.CONFIRMED
        rec.case = case
        rec.reviewed_by, rec.reviewed_at = actor, clock.now()
        rec.party_token_hash = key_hash(token)
        rec.save(update_fields=["status", "case", "reviewed_by", "reviewed_at", "party_token_hash"])
        return {"case": case.pk, "lead_no": case.lead_no, **data}

    def then(rec: WimRecord, outcome: Outcome) -> None:
        """After the review's entry: the evidence and the notice on the new case's record."""
        owner, case, token = made["owner"], made["case"], made["token"]
        local = timezone.localtime(rec.passed_at)
        ledger_append(
            stream=case.stream,
            action="monitoring_evidence",
            payload=_evidence_payload(rec),
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.HANDLER.value,
        )
        _photos_to_case(rec, case, actor)
        message = None
        if owner.phone:
            message = outbox_enqueue(
                channel=OutboxMessage.Channel.SMS,
                kind="nonsite_notice",
                recipient=owner.phone,
                key=f"nonsite-notice:{rec.pk}",
                body=(
                    f"【聊城治超】{owner.name}：您的车辆{rec.plate}于{local:%m月%d日%H:%M}经"
                    f"{rec.station.name}检测，车货总质量{rec.gross_kg}千克，超过限定标准"
                    f"{rec.limit_kg}千克，已立案调查（{case.lead_no}）。您可查询检测记录、图像及设备"
                    f"审核情况，并进行陈述、申辩：{joint_conf.public_base_url()}/nonsite/q/{token}/"
                ),
                payload={"record_id": rec.pk, "case_id": case.pk},
                stream=case.stream,
            )
        ledger_append(
            stream=case.stream,
            action="monitoring_notice",
            payload={
                "basis": "《行政处罚法》第四十一条第二款",
                "party": owner.name,
                "channel": "sms" if message else "none",
                "message": message.pk if message else None,
                "note": "" if message else "车辆登记信息无手机号，须以其他方式及时告知",
                "query_and_statement": True,
            },
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.HANDLER.value,
        )

    runner.run(
        REVIEW,
        lambda: _queued(record_id),
        actor=actor,
        decision="confirm",
        data={},
        step=NONSITE_REVIEW.first,
        apply=apply,
        then=then,
    )
    confirmed: Case = made["case"]
    return confirmed


def _photos_to_case(rec: WimRecord, case: Case, actor: User) -> None:
    """The station's photos become the case's evidence: the same files and fingerprints, each
    with its entry on the case's record as any evidence."""
    for p in rec.photos.all():
        ev = Evidence(
            case=case,
            kind=Evidence.Kind.PHOTO,
            title=f"{rec.station.name}检测图像{p.index}" + (f"（{p.name}）" if p.name else ""),
            file=p.file.name,
            content_type=p.content_type,
            size=p.size,
            sha256=p.sha256,
            sm3=p.sm3,
            collected_by=actor,
            collected_at=clock.now(),
        )
        ev.save()
        ledger_append(
            stream=case.stream,
            action="evidence_add",
            payload={
                "evidence_id": ev.pk,
                "kind": ev.kind,
                "title": ev.title,
                "size": ev.size,
                "sha256": ev.sha256,
                "sm3": ev.sm3,
                "filename": p.file.name.rsplit("/", 1)[-1],
                "source": {"wim_record": rec.pk, "photo": p.index},
            },
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.HANDLER.value,
        )


def record_for_party(token: str) -> WimRecord | None:
    if not token:
        return None
    return (
        WimRecord.objects.select_related("station", "device", "case")
        .filter(party_token_hash=key_hash(token), case__isnull=False)
        .first()
    )


def wim_party_statement(*, token: str, statement: str) -> WimRecord:
    """The party states its case or defends itself through its link (行政处罚法第四十一条第二款)."""
    rec = record_for_party(token)
    if rec is None or rec.case is None:
        raise Refused(["链接无效"])
    text = statement.strip()
    if not text:
        raise Refused(["请填写陈述、申辩的内容"])
    if len(text) > 5000:
        raise Refused(["陈述、申辩内容不超过5000字"])
    with transaction.atomic():
        party = rec.case.parties.first()
        ledger_append(
            stream=rec.case.stream,
            action="party_statement",
            payload={"record": rec.pk, "statement": text, "at": clock.now()},
            actor_id=None,
            actor_name=party.name if party else "当事人",
            role="party",
        )
    return rec


def statements(rec: WimRecord) -> list[dict[str, Any]]:
    from ledger.models import Entry

    if rec.case_id is None:
        return []
    return [
        e.payload
        for e in Entry.objects.filter(stream=f"case:{rec.case_id}", action="party_statement")
        .filter(Q(payload__record=rec.pk))
        .order_by("seq")
    ]
