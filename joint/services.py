"""Writes on parking reports: one function per action, one transaction, a ledger entry each.

Every action runs through the one procedure engine with the JOINT_PARKING step table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from deadlines.models import Timer
from deadlines.services import register_timer_handler, timer_cancel, timer_start
from joint import conf
from joint.models import JointTeam, ParkingPhoto, ParkingReport
from joint.plates import normalize_plate, plate_errors, plate_kind
from joint.vehicles import mask_phone, registry
from ledger.services import SYSTEM_ACTOR, ledger_append
from orgs.models import Certificate, User
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue, outbox_retry, register_outbox_handler
from procedure.engine import END, Act, CaseFacts, Outcome, Refused, evaluate
from procedure.joint import JOINT_PARKING
from procedure.roles import Role
from zhifa import clock

WINDOW_TIMER = "parking_window"
MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTOS = 9
# Content types accepted for photos and the bytes their files start with.
PHOTO_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}
SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


@dataclass(frozen=True)
class PhotoIn:
    content: bytes
    filename: str
    content_type: str


def photo_errors(photos: Sequence[PhotoIn]) -> list[str]:
    errors = []
    if len(photos) > MAX_PHOTOS:
        errors.append(f"一次最多上传{MAX_PHOTOS}张照片")
    for n, p in enumerate(photos, start=1):
        magic = PHOTO_MAGIC.get(p.content_type)
        if magic is None:
            errors.append(f"第{n}张照片的类型“{p.content_type}”不支持，仅支持JPEG、PNG、WebP")
        elif not p.content.startswith(magic) or (
            p.content_type == "image/webp" and p.content[8:12] != b"WEBP"
        ):
            errors.append(f"第{n}张照片的内容不是有效的图片文件")
        if len(p.content) > MAX_PHOTO_BYTES:
            errors.append(f"第{n}张照片超过{MAX_PHOTO_BYTES // 1024 // 1024}MB")
    return errors


def _coordinate(value: Any, low: int, high: int, label: str, errors: list[str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        errors.append(f"{label}无效")
        return None
    if not low <= d <= high:
        errors.append(f"{label}超出范围")
        return None
    return d


def _certified(user_id: int) -> frozenset[int]:
    today = clock.today()
    ok = Certificate.objects.filter(
        user_id=user_id, revoked=False, valid_from__lte=today, valid_until__gte=today
    ).exists()
    return frozenset({user_id} if ok else ())


def _photo_counts(report: ParkingReport) -> dict[str, int]:
    counts = {"scene": 0, "departure": 0, "correction": 0}
    if report.pk:
        for kind in report.photos.values_list("kind", flat=True):
            counts[kind] += 1
    return counts


def first_offence(report: ParkingReport) -> bool:
    """免罚轻罚清单 首违: no earlier report of the plate ended in a penalty or a warning within the
    configured period."""
    since = clock.now() - conf.first_offence_period()
    return (
        not ParkingReport.objects.filter(
            plate=report.plate,
            outcome__in=[ParkingReport.Outcome.PENALTY, ParkingReport.Outcome.WARNING],
            decided_at__gte=since,
        )
        .exclude(pk=report.pk)
        .exists()
    )


def _facts(report: ParkingReport, actor_id: int, **extra: Any) -> CaseFacts:
    counts = _photo_counts(report)
    step_unit = report.review_unit_id if report.step == "park_review" else report.unit_id
    return CaseFacts(
        procedure=JOINT_PARKING.code,
        step=report.step,
        unit_id=step_unit,
        handler_id=report.officer_id,
        co_handler_id=None,
        certified=_certified(actor_id) if actor_id else frozenset(),
        qualified_reviewers=frozenset(),
        evidence_count=sum(counts.values()),
        matter=None,
        parties=(),
        complex=False,
        today=clock.today(),
        act_on=timezone.localdate(report.reported_at),
        discovered_on=timezone.localdate(report.reported_at),
        filed_on=None,
        decision_due=None,
        response_window_end=None,
        extra={
            "now": clock.now(),
            "window_ends_at": report.window_ends_at,
            "scene_photos": counts["scene"] + counts["correction"],
            "departure_photos": counts["departure"],
            "plate_errors": plate_errors(report.plate),
            "place": report.place,
            "first_offence_days": conf.first_offence_period().days,
            "notice_printed": report.notice_printed_at is not None,
            **extra,
        },
    )


def _evaluate(
    report: ParkingReport,
    actor: User | None,
    decision: str,
    data: Mapping[str, Any],
    **extra: Any,
) -> Outcome:
    """Run the step table. `actor` None is the system (the worker) or the owner acting through
    their link: they act for the unit the step belongs to, in the role the step names."""
    step = JOINT_PARKING.step(report.step)
    facts = _facts(report, actor.pk if actor else 0, **extra)
    if actor is None:
        act = Act(0, facts.unit_id, step.roles, decision, data)
    else:
        act = Act(actor.pk, actor.unit_id, actor.role_set, decision, data)
    return evaluate(JOINT_PARKING, facts, act)


def _record(
    report: ParkingReport,
    actor: User | None,
    outcome: Outcome,
    payload: Mapping[str, Any],
    *,
    actor_name: str = SYSTEM_ACTOR,
    role: str = "system",
) -> None:
    """Move the report to the outcome's next step and append its ledger entry."""
    now = clock.now()
    if outcome.case_outcome:
        report.outcome = outcome.case_outcome
        report.decided_at = now
    report.step = outcome.next_step
    report.save()
    ledger_append(
        stream=report.stream,
        action=outcome.step.code,
        payload={
            "decision": outcome.transition.decision,
            "label": outcome.transition.label,
            "next": outcome.next_step,
            "data": dict(payload),
        },
        actor_id=actor.pk if actor else None,
        actor_name=str(actor) if actor else actor_name,
        role=role if actor is None else _role(actor, outcome.step.roles),
    )


def _role(user: User, allowed: frozenset[Role]) -> str:
    for r in sorted(allowed):
        if user.has_role(r):
            return r.value
    return ""


def _save_photos(
    report: ParkingReport, photos: Sequence[PhotoIn], kind: str, by: User
) -> list[dict[str, Any]]:
    saved = []
    for p in photos:
        sm3 = hashlib.new("sm3", p.content).hexdigest()
        photo = ParkingPhoto(
            report=report,
            kind=kind,
            content_type=p.content_type,
            size=len(p.content),
            sha256=hashlib.sha256(p.content).hexdigest(),
            sm3=sm3,
            taken_at=clock.now(),
            by=by,
        )
        photo.file.save(f"{sm3}{SUFFIX[p.content_type]}", ContentFile(p.content), save=False)
        photo.save()
        saved.append({"id": photo.pk, "kind": kind, "size": photo.size, "sm3": sm3})
    return saved


def _locked(report_id: int) -> ParkingReport:
    try:
        return (
            ParkingReport.objects.select_for_update(of=("self",))
            .select_related("unit", "officer")
            .get(pk=report_id)
        )
    except ParkingReport.DoesNotExist:
        raise Refused(["违停记录不存在"]) from None


def _expect(report: ParkingReport, step: str) -> None:
    if report.step != step:
        current = "已办结" if report.step == END else f"“{JOINT_PARKING.step(report.step).name}”"
        want = JOINT_PARKING.step(step).name
        raise Refused([f"该记录当前环节为{current}，不是“{want}”，可能已被他人处理，请刷新"])


# --- the actions --------------------------------------------------------------------------------


def parking_report_submit(
    *,
    actor: User,
    plate: str,
    street: str,
    place: str,
    photos: Sequence[PhotoIn],
    latitude: Any = None,
    longitude: Any = None,
    accuracy_m: Any = None,
) -> ParkingReport:
    """现场取证: file the report, send the owner the SMS 预提醒 and start the window's timer."""
    errors: list[str] = []
    team = JointTeam.objects.filter(unit_id=actor.unit_id).first() if actor.unit_id else None
    if actor.unit_id is None or not actor.has_role(Role.HANDLER):
        errors.append("只有联合执法队员可以取证上报")
    elif team is None:
        errors.append("本单位未加入城警联动（未配置审核的交警单位），请联系系统管理员")
    if not street.strip():
        errors.append("请填写街道（路段）")
    lat = _coordinate(latitude, -90, 90, "纬度", errors)
    lng = _coordinate(longitude, -180, 180, "经度", errors)
    if (lat is None) != (lng is None):
        errors.append("经纬度须同时提供")
    accuracy = None
    if accuracy_m not in (None, ""):
        try:
            accuracy = max(0, round(float(str(accuracy_m))))
        except ValueError:
            errors.append("定位精度无效")
    errors.extend(photo_errors(photos))
    if team is None:
        raise Refused(errors)
    number = normalize_plate(plate)
    now = clock.now()
    if not place.strip() and lat is not None:
        place = "GPS定位点"
    report = ParkingReport(
        unit_id=team.unit_id,
        review_unit_id=team.review_unit_id,
        officer=actor,
        plate=number,
        plate_kind=plate_kind(number) or "",
        street=street.strip()[:60],
        place=place.strip()[:200],
        latitude=lat,
        longitude=lng,
        accuracy_m=accuracy,
        reported_at=now,
        reported_on=timezone.localdate(now),
        window_ends_at=now + conf.window(),
        step=JOINT_PARKING.first,
    )
    try:
        outcome = _evaluate(report, actor, "submit", {}, scene_photos=len(photos))
    except Refused as exc:
        raise Refused(errors + exc.errors) from None
    if errors:
        raise Refused(errors)
    # The registry is outside the platform: ask it before taking any lock.
    owner = registry().lookup(number)
    token = secrets.token_urlsafe(18)
    with transaction.atomic():
        report.owner_found = owner is not None
        report.owner_phone_masked = mask_phone(owner.phone) if owner and owner.phone else ""
        report.owner_token_hash = hashlib.sha256(token.encode()).hexdigest()
        report.save()
        saved = _save_photos(report, photos, ParkingPhoto.Kind.SCENE, actor)
        sms = None
        if owner is not None and owner.phone:
            local = timezone.localtime(report.window_ends_at)
            sms = outbox_enqueue(
                channel=OutboxMessage.Channel.SMS,
                kind="parking_reminder",
                recipient=owner.phone,
                key=f"parking-sms:{report.pk}",
                body=(
                    f"【城警联动】您的车辆{number}停放在{report.place}，违反停车规定。请于"
                    f"{local:%H:%M}前驶离，逾期未驶离将依法处罚。已驶离请点击确认："
                    f"{conf.public_base_url()}/joint/c/{token}/"
                ),
                payload={"report_id": report.pk},
                stream=report.stream,
            )
        timer_start(kind=WINDOW_TIMER, subject=report.stream, due_at=report.window_ends_at)
        _record(
            report,
            actor,
            outcome,
            {
                "plate": number,
                "plate_kind": report.plate_kind,
                "street": report.street,
                "place": report.place,
                "latitude": lat,
                "longitude": lng,
                "accuracy_m": accuracy,
                "reported_at": now,
                "window_ends_at": report.window_ends_at,
                "photos": saved,
                "owner_found": report.owner_found,
                "sms": sms.pk if sms else None,
            },
        )
    return report


def parking_drive_away(
    *,
    report_id: int,
    actor: User | None = None,
    photo: PhotoIn | None = None,
    owner_token: str | None = None,
) -> ParkingReport:
    """The car left within the window: an officer's photo of the empty place, or the owner's
    confirmation through the SMS link. Ends with no penalty."""
    if photo is not None:
        errors = photo_errors([photo])
        if errors:
            raise Refused(errors)
    with transaction.atomic():
        report = _locked(report_id)
        via = "officer" if actor is not None else "owner"
        if via == "owner":
            digest = hashlib.sha256((owner_token or "").encode()).hexdigest()
            if not owner_token or not secrets.compare_digest(digest, report.owner_token_hash):
                raise Refused(["确认链接无效"])
        _expect(report, "park_window")
        saved = []
        if actor is not None and photo is not None:
            saved = _save_photos(report, [photo], ParkingPhoto.Kind.DEPARTURE, actor)
        data = {"via": via, "owner_confirmed": via == "owner"}
        outcome = _evaluate(report, actor, "drove_away", data)
        report.drove_away_at = clock.now()
        report.drove_away_via = via
        timer_cancel(kind=WINDOW_TIMER, subject=report.stream)
        _record(
            report,
            actor,
            outcome,
            {**data, "photos": saved},
            actor_name="车主（短信确认）",
            role="owner",
        )
    return report


def _window_expired(timer: Timer) -> None:
    """The worker's handler for the window's timer: not driven away → to the traffic police."""
    report_id = int(timer.subject.split(":")[1])
    report = _locked(report_id)
    if report.step != "park_window":
        return  # driven away (or otherwise moved on) in the meantime: nothing to do
    outcome = _evaluate(report, None, "expire", {})
    _record(report, None, outcome, {"window_ends_at": report.window_ends_at, "timer": timer.pk})


def parking_review(
    *, report_id: int, actor: User, decision: str, reason: str = ""
) -> ParkingReport:
    """交警审核: approve (upload for the penalty), warn a first offence, or return with a reason."""
    with transaction.atomic():
        report = _locked(report_id)
        _expect(report, "park_review")
        first = first_offence(report)
        data = {"reason": reason.strip()}
        outcome = _evaluate(report, actor, decision, data, first_offence=first)
        report.reviewer = actor
        report.reviewed_at = clock.now()
        report.first_offence = first
        result: dict[str, Any] = {**data, "first_offence": first}
        if decision == "reject":
            report.reject_reason = data["reason"]
        else:
            report.notice_no = f"LCJL{timezone.localdate(report.reported_at):%Y%m%d}{report.pk:07d}"
            report.upload_status = ParkingReport.Upload.PENDING
            message = _upload(report, outcome.case_outcome or "")
            result.update({"notice_no": report.notice_no, "upload_message": message.pk})
        _record(report, actor, outcome, result)
    return report


def _upload(report: ParkingReport, disposition: str) -> OutboxMessage:
    """Queue the upload to the 公安交管集成指挥平台; idempotent by report id."""
    photos = list(report.photos.values("kind", "sha256", "sm3", "size"))
    return outbox_enqueue(
        channel=OutboxMessage.Channel.TRAFFIC,
        kind="parking_upload",
        recipient="公安交管集成指挥平台",
        key=f"parking-upload:{report.pk}",
        payload={
            "report_id": report.pk,
            "disposition": disposition,
            "plate": report.plate,
            "plate_kind": report.plate_kind,
            "street": report.street,
            "place": report.place,
            "latitude": str(report.latitude) if report.latitude is not None else None,
            "longitude": str(report.longitude) if report.longitude is not None else None,
            "reported_at": report.reported_at.isoformat(),
            "window_ends_at": report.window_ends_at.isoformat(),
            "officer": str(report.officer),
            "notice_no": report.notice_no,
            "photos": photos,
        },
        stream=report.stream,
    )


def _upload_sent(message: OutboxMessage) -> None:
    ParkingReport.objects.filter(pk=message.payload["report_id"]).update(
        upload_status=ParkingReport.Upload.SENT,
        upload_receipt=message.receipt,
        uploaded_at=message.sent_at,
    )


def _upload_dead(message: OutboxMessage) -> None:
    ParkingReport.objects.filter(pk=message.payload["report_id"]).update(
        upload_status=ParkingReport.Upload.FAILED
    )


def parking_upload_retry(*, report_id: int, actor: User) -> ParkingReport:
    """A reviewer puts an upload that was given up on back in the queue."""
    with transaction.atomic():
        report = _locked(report_id)
        if not actor.has_role(Role.TRAFFIC_REVIEWER) or actor.unit_id != report.review_unit_id:
            raise Refused(["只有审核单位的交警审核员可以重新上传"])
        if report.upload_status != ParkingReport.Upload.FAILED:
            raise Refused(["该记录没有失败的上传"])
        message = OutboxMessage.objects.get(idempotency_key=f"parking-upload:{report.pk}")
        outbox_retry(message_id=message.pk)
        report.upload_status = ParkingReport.Upload.PENDING
        report.save(update_fields=["upload_status"])
        ledger_append(
            stream=report.stream,
            action="upload_retry",
            payload={"message": message.pk},
            actor_id=actor.pk,
            actor_name=str(actor),
            role=Role.TRAFFIC_REVIEWER.value,
        )
    return report


def parking_resubmit(
    *, report_id: int, actor: User, note: str, photos: Sequence[PhotoIn] = ()
) -> ParkingReport:
    """退回补正: the officer corrects the evidence and sends it back to the traffic police."""
    errors = photo_errors(photos)
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        report = _locked(report_id)
        _expect(report, "park_correct")
        saved = _save_photos(report, photos, ParkingPhoto.Kind.CORRECTION, actor)
        data = {"note": note.strip()}
        outcome = _evaluate(report, actor, "resubmit", data)
        _record(report, actor, outcome, {**data, "photos": saved})
    return report


def parking_withdraw(*, report_id: int, actor: User, reason: str) -> ParkingReport:
    with transaction.atomic():
        report = _locked(report_id)
        _expect(report, "park_correct")
        data = {"reason": reason.strip()}
        outcome = _evaluate(report, actor, "withdraw", data)
        _record(report, actor, outcome, data)
    return report


def parking_notice_print(*, report_id: int, actor: User) -> ParkingReport:
    """Record that the 《违法停车提示单》 was printed (every print is in the record)."""
    with transaction.atomic():
        report = _locked(report_id)
        if report.step != "park_notice" and report.notice_printed_at is None:
            raise Refused(["交警审核通过后才能打印《违法停车提示单》"])
        if actor.unit_id not in {report.unit_id, report.review_unit_id}:
            raise Refused(["只能打印本单位的提示单"])
        first = report.notice_printed_at is None
        report.notice_printed_at = report.notice_printed_at or clock.now()
        report.save(update_fields=["notice_printed_at"])
        ledger_append(
            stream=report.stream,
            action="notice_print",
            payload={"notice_no": report.notice_no, "first": first},
            actor_id=actor.pk,
            actor_name=str(actor),
            role=next(iter(sorted(actor.role_set)), ""),
        )
    return report


def parking_notice_posted(*, report_id: int, actor: User) -> ParkingReport:
    """The notice is on the car: the 告知程序 is complete and the report ends."""
    with transaction.atomic():
        report = _locked(report_id)
        _expect(report, "park_notice")
        outcome = _evaluate(report, actor, "posted", {})
        report.notice_posted_at = clock.now()
        _record(report, actor, outcome, {"notice_no": report.notice_no})
    return report


def _register() -> None:
    register_timer_handler(WINDOW_TIMER, _window_expired)
    register_outbox_handler("parking_upload", on_sent=_upload_sent, on_dead=_upload_dead)


_register()


def window_now(report: ParkingReport) -> dt.timedelta:
    """Time left in the window (negative once it has passed)."""
    return report.window_ends_at - clock.now()
