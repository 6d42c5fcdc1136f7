"""Writes on parking reports: one function per action, one transaction, a ledger entry each.

Every action runs through the one procedure engine with the JOINT_PARKING step table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases import runner
from cases.runner import Ask, Result, Table
from deadlines.models import Timer
from deadlines.services import register_timer_handler, timer_cancel, timer_start
from joint import conf
from joint.models import JointTeam, ParkingPhoto, ParkingReport
from joint.places import place_phrase
from joint.plates import normalize_plate, plate_errors, plate_kind
from joint.vehicles import registry
from law.personal import OWN_REASON, Relation, Sight, mask_phone, sight
from ledger.services import ledger_append
from orgs.models import User
from orgs.selectors import certified_on
from outbox.models import OutboxMessage
from outbox.selectors import messages_for_streams
from outbox.services import outbox_enqueue, outbox_retry, register_outbox_handler
from procedure.engine import END, CaseFacts, Outcome, Refused
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


def _read(report: ParkingReport, ask: Ask) -> CaseFacts:
    """The report's facts. Without a user (the worker, the owner through their link) no one is
    certified; the action is the unit's, in the role the step names."""
    actor_id = ask.actor.pk if ask.actor is not None else 0
    counts = _photo_counts(report)
    step_unit = report.review_unit_id if report.step == "park_review" else report.unit_id
    return CaseFacts(
        procedure=JOINT_PARKING.code,
        step=report.step,
        unit_id=step_unit,
        handler_id=report.officer_id,
        co_handler_id=None,
        certified=certified_on((actor_id,), clock.today()) if actor_id else frozenset(),
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
            "owner_claimed_at": report.owner_claimed_at,
            "owner_claim_pending": report.owner_claim_pending,
            **ask.extra,
        },
    )


def _store(report: ParkingReport, outcome: Outcome) -> None:
    """Move the report to the outcome's next step (decided when it ends with an outcome)."""
    if outcome.case_outcome:
        report.outcome = outcome.case_outcome
        report.decided_at = clock.now()
    report.step = outcome.next_step
    report.save()


def _entry(
    report: ParkingReport, outcome: Outcome, data: Mapping[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    return {
        "decision": outcome.transition.decision,
        "label": outcome.transition.label,
        "next": outcome.next_step,
        "data": {**data, **result},
    }


TABLE = Table[ParkingReport](
    procedure=JOINT_PARKING,
    read=_read,
    stream=lambda report: report.stream,
    entry=_entry,
    store=_store,
)


def _run(
    lock: Callable[[], ParkingReport],
    actor: User | None,
    decision: str,
    data: Mapping[str, Any] | Callable[[ParkingReport], Mapping[str, Any]],
    apply: Callable[[ParkingReport, Outcome], Result] | None = None,
    **kwargs: Any,
) -> ParkingReport:
    report, _ = runner.run(
        TABLE,
        lock,
        actor=actor,
        decision=decision,
        data=data,
        step=lambda report: report.step,
        apply=apply,
        **kwargs,
    )
    return report


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


def _at(report_id: int, step: str) -> ParkingReport:
    """The report, locked, at this step."""
    report = _locked(report_id)
    _expect(report, step)
    return report


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
    cross_street: str = "",
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
    if "\x00" in street + cross_street + place or len(cross_street.strip()) > 30:
        errors.append("地点无效（交叉道路不超过30个字）")
    # Without a position the officer must say where (a cross street or a description); with
    # one, the street alone is a place a person can find. Coordinates never become words.
    described = bool(cross_street.strip() or place.strip())
    place = place_phrase(street[:60], cross_street[:30], place) if described or lat else ""
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
        outcome = runner.check(
            TABLE,
            report,
            step=report.step,
            actor=actor,
            decision="submit",
            data={},
            extra={"scene_photos": len(photos)},
        )
    except Refused as exc:
        raise Refused(errors + exc.errors) from None
    if errors:
        raise Refused(errors)
    # The registry is outside the platform: ask it before taking any lock.
    owner = registry().lookup(number)
    token = secrets.token_urlsafe(18)

    def apply(report: ParkingReport, outcome: Outcome) -> Result:
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
                    f"【城警联动】您的车辆{number}停放在{report.where}，违反停车规定。请于"
                    f"{local:%H:%M}前驶离，逾期未驶离将依法处罚。已驶离请点击确认："
                    f"{conf.public_base_url()}/joint/c/{token}/"
                ),
                payload={"report_id": report.pk},
                stream=report.stream,
            )
        timer_start(kind=WINDOW_TIMER, subject=report.stream, due_at=report.window_ends_at)
        return {
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
        }

    with transaction.atomic():
        runner.record(TABLE, report, outcome, actor=actor, data={}, apply=apply)
    return report


def parking_drive_away(
    *,
    report_id: int,
    actor: User | None = None,
    photo: PhotoIn | None = None,
    owner_token: str | None = None,
) -> ParkingReport:
    """The car left within the window, with no penalty: an officer's photo of the empty place,
    or (with no photo) the officer's confirmation of the owner's claim made within the window.

    Without an actor this is the owner's own "已驶离" through the SMS link: it is recorded as a
    claim (owner_claim) and decides nothing until an officer confirms or rejects it."""
    if actor is None:
        return parking_owner_claim(report_id=report_id, owner_token=owner_token or "")
    if photo is not None:
        errors = photo_errors([photo])
        if errors:
            raise Refused(errors)
    saved: list[dict[str, Any]] = []
    via = "officer"

    def lock() -> ParkingReport:
        nonlocal via
        report = _locked(report_id)
        _expect(report, "park_window")
        if photo is not None:
            saved.extend(_save_photos(report, [photo], ParkingPhoto.Kind.DEPARTURE, actor))
        elif report.owner_claim_pending:
            via = "owner"
        return report

    def apply(report: ParkingReport, outcome: Outcome) -> Result:
        report.drove_away_at = report.owner_claimed_at if via == "owner" else clock.now()
        report.drove_away_via = via
        timer_cancel(kind=WINDOW_TIMER, subject=report.stream)
        return {"photos": saved, "owner_claimed_at": report.owner_claimed_at}

    return _run(lock, actor, "drove_away", lambda _r: {"via": via}, apply)


def parking_owner_claim(*, report_id: int, owner_token: str) -> ParkingReport:
    """The owner's "已驶离" through the SMS link, within the window: recorded for the officer to
    check (the owner's word alone never ends the report)."""

    def lock() -> ParkingReport:
        report = _locked(report_id)
        digest = hashlib.sha256(owner_token.encode()).hexdigest()
        if not owner_token or not secrets.compare_digest(digest, report.owner_token_hash):
            raise Refused(["确认链接无效"])
        _expect(report, "park_window")
        return report

    def apply(report: ParkingReport, outcome: Outcome) -> Result:
        report.owner_claimed_at = clock.now()
        report.owner_claim_rejected_at = None
        return {"claimed_at": report.owner_claimed_at}

    return _run(lock, None, "owner_claim", {}, apply, nobody=("车主（短信确认）", "owner"))


def parking_claim_reject(*, report_id: int, actor: User, reason: str) -> ParkingReport:
    """The officer finds the car still there: the owner's claim is not taken. Once the window
    has passed, the report goes to the traffic police at once (the timer let it wait)."""

    def apply(report: ParkingReport, outcome: Outcome) -> Result:
        report.owner_claim_rejected_at = clock.now()
        return {"claimed_at": report.owner_claimed_at}

    with transaction.atomic():
        report = _run(
            lambda: _at(report_id, "park_window"),
            actor,
            "claim_reject",
            {"reason": reason.strip()},
            apply,
            atomic=False,
        )
        if clock.now() >= report.window_ends_at:
            _run(
                lambda: _at(report_id, "park_window"),
                None,
                "expire",
                {},
                lambda r, _o: {"window_ends_at": r.window_ends_at, "after": "claim_reject"},
                atomic=False,
            )
            report.refresh_from_db()
    return report


def _window_expired(timer: Timer) -> None:
    """The worker's handler for the window's timer: not driven away → to the traffic police."""
    report_id = int(timer.subject.split(":")[1])
    report = _locked(report_id)
    if report.step != "park_window":
        return  # driven away (or otherwise moved on) in the meantime: nothing to do
    if report.owner_claim_pending:
        return  # the owner says it left in time: the officer's check decides
    # The worker's transaction holds the action.
    _run(
        lambda: report,
        None,
        "expire",
        {},
        lambda report, _o: {"window_ends_at": report.window_ends_at, "timer": timer.pk},
        atomic=False,
    )


def parking_review(
    *, report_id: int, actor: User, decision: str, reason: str = ""
) -> ParkingReport:
    """交警审核: approve (upload for the penalty), warn a first offence, or return with a reason."""
    data = {"reason": reason.strip()}
    first: list[bool] = []

    def lock() -> ParkingReport:
        report = _at(report_id, "park_review")
        first.append(first_offence(report))
        return report

    def apply(report: ParkingReport, outcome: Outcome) -> Result:
        report.reviewer = actor
        report.reviewed_at = clock.now()
        report.first_offence = first[0]
        result: dict[str, Any] = {**data, "first_offence": first[0]}
        if decision == "reject":
            report.reject_reason = data["reason"]
        else:
            report.notice_no = f"LCJL{timezone.localdate(report.reported_at):%Y%m%d}{report.pk:07d}"
            report.upload_status = ParkingReport.Upload.PENDING
            message = _upload(report, outcome.case_outcome or "")
            result.update({"notice_no": report.notice_no, "upload_message": message.pk})
        return result

    report, _ = runner.run(
        TABLE,
        lock,
        actor=actor,
        decision=decision,
        data=data,
        step="park_review",
        extra=lambda _r: {"first_offence": first[0]},
        apply=apply,
    )
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
    saved: list[dict[str, Any]] = []

    def lock() -> ParkingReport:
        report = _at(report_id, "park_correct")
        saved.extend(_save_photos(report, photos, ParkingPhoto.Kind.CORRECTION, actor))
        return report

    return _run(lock, actor, "resubmit", {"note": note.strip()}, lambda _r, _o: {"photos": saved})


def parking_withdraw(*, report_id: int, actor: User, reason: str) -> ParkingReport:
    return _run(
        lambda: _at(report_id, "park_correct"), actor, "withdraw", {"reason": reason.strip()}
    )


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

    def apply(report: ParkingReport, outcome: Outcome) -> Result:
        report.notice_posted_at = clock.now()
        return {"notice_no": report.notice_no}

    return _run(lambda: _at(report_id, "park_notice"), actor, "posted", {}, apply)


def _register() -> None:
    register_timer_handler(WINDOW_TIMER, _window_expired)
    register_outbox_handler("parking_upload", on_sent=_upload_sent, on_dead=_upload_dead)


_register()


def window_now(report: ParkingReport) -> dt.timedelta:
    """Time left in the window (negative once it has passed)."""
    return report.window_ends_at - clock.now()


def owner_phone_sight(user: User, report: ParkingReport) -> Sight:
    """The report's own officer (who calls the owner) may reveal the owner's phone in one
    click; every other reader sees it masked only (law.personal)."""
    relation = Relation.OWN if user.pk == report.officer_id else Relation.OTHER
    return sight(relation, frozenset(r.value for r in user.role_set))


def owner_phone_reveal(*, actor: User, report_id: int) -> list[str]:
    """The owner's whole phone number(s) the reminders went to, for the report's own officer,
    on the answer to this request only; the access is logged on the `pii:access` stream."""
    from joint.selectors import get_report_for_user
    from personal.services import personal_access_record

    report = get_report_for_user(actor, report_id)
    if owner_phone_sight(actor, report) is not Sight.FULL:
        raise Refused(["只有取证的执法人员可以查看车主的完整手机号"])
    phones = sorted(
        {
            m.recipient
            for m in messages_for_streams([report.stream])
            if m.channel == OutboxMessage.Channel.SMS and m.recipient
        }
    )
    if not phones:
        raise Refused(["未查到车主手机号"])
    with transaction.atomic():
        personal_access_record(
            actor=actor,
            role=Role.HANDLER.value,
            action="pii_reveal",
            record=f"parking:{report.pk}",
            fields=["phone"],
            reason=OWN_REASON,
            extra={"plate": report.plate},
        )
    return phones
