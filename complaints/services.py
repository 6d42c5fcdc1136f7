"""Writes on complaints: one function per action, one transaction, a ledger entry each.

The public's filing is recorded here directly (nobody acts in a role of the table); every
officer's action runs through the one runner with the COMPLAINT step table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.urls import reverse

from cases import runner
from cases.models import Case
from cases.runner import Ask, FieldsRefused, Result, Table
from cases.services.evidence import sniffed_type
from cases.services.steps import case_register
from complaints.models import Complaint, ComplaintPhoto
from complaints.selectors import dispatch_unit, intake_units
from deadlines.services import register_periodic, working_calendar
from law import complaints as rules
from law.calendar import CalendarNotCovered
from law.personal import OWN_REASON, Relation, Sight, sight
from ledger.models import Entry
from ledger.services import SYSTEM_ACTOR, ledger_append
from notices.models import Notice
from notices.services import notice_emit, notices_settle
from orgs.models import Unit, User
from procedure.complaint import COMPLAINT, DECIDERS, HANDLERS, STATUS_OF_STEP
from procedure.engine import END, CaseFacts, Outcome, Refused
from zhifa import clock

PUBLIC_ROLE = "public"
PUBLIC_ACTOR = "投诉举报人"
# What photos may be, by their content's signature (filetype), and the suffix they are kept under.
PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


@dataclass(frozen=True)
class PhotoIn:
    content: bytes
    filename: str
    # The upload's size when its content was not read (too large to take).
    size: int | None = None

    @property
    def length(self) -> int:
        return self.size if self.size is not None else len(self.content)


class RateLimited(Exception):
    """Too many filings from this address or phone within the window; nothing was written."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def ip_digest(ip: str) -> str:
    """The address as a keyed digest: filings are counted per address, the address is not kept."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def sniffed_photo(content: bytes) -> str | None:
    """The photo's type by its content, not its name or declared type: the signatures case
    evidence is recognised by (cases.services.evidence.sniffed_type), photos only."""
    found = sniffed_type(content, PHOTO_TYPES) if content else None
    return found[0] if found else None


def _retry_after(qs: Any, limit: int, since: dt.datetime) -> int | None:
    """Seconds until the oldest filing counted leaves the window, when the limit is reached."""
    counted = qs.filter(filed_at__gte=since)
    if counted.count() < limit:
        return None
    oldest = counted.aggregate(m=Min("filed_at"))["m"]
    window = dt.timedelta(hours=settings.COMPLAINT_LIMIT_WINDOW_HOURS)
    return max(1, math.ceil((oldest + window - clock.now()).total_seconds()))


def rate_check(*, digest: str, phone: str) -> None:
    """Refuse a filing past COMPLAINT_LIMIT_PER_IP filings of the address, or
    COMPLAINT_LIMIT_PER_PHONE of the contact phone, in the last COMPLAINT_LIMIT_WINDOW_HOURS.

    Counted from the complaints themselves, so every web process sees the same count (a
    process-local cache would let each of N processes take the limit)."""
    hours = settings.COMPLAINT_LIMIT_WINDOW_HOURS
    since = clock.now() - dt.timedelta(hours=hours)
    wait = _retry_after(
        Complaint.objects.filter(ip_digest=digest), settings.COMPLAINT_LIMIT_PER_IP, since
    )
    if wait is not None:
        raise RateLimited(
            f"同一网络地址{hours}小时内最多提交{settings.COMPLAINT_LIMIT_PER_IP}件投诉举报，"
            f"请于{_minutes(wait)}后再试",
            wait,
        )
    if phone:
        wait = _retry_after(
            Complaint.objects.filter(contact_phone=phone), settings.COMPLAINT_LIMIT_PER_PHONE, since
        )
        if wait is not None:
            raise RateLimited(
                f"同一手机号码{hours}小时内最多提交{settings.COMPLAINT_LIMIT_PER_PHONE}件投诉举报，"
                f"请于{_minutes(wait)}后再试",
                wait,
            )


def _minutes(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return f"{minutes}分钟" if minutes < 120 else f"{-(-minutes // 60)}小时"


def _text_field(
    fields: dict[str, list[str]], name: str, value: str, label: str, limit: int, required: bool
) -> str:
    value = value.strip()
    if "\x00" in value:
        fields.setdefault(name, []).append(f"{label}含有无效字符")
    elif required and not value:
        fields.setdefault(name, []).append(f"请填写{label}")
    elif len(value) > limit:
        fields.setdefault(name, []).append(f"{label}不能超过{limit}字")
    return value


def _photo_errors(photos: Sequence[PhotoIn]) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    types: list[str] = []
    most, largest = settings.COMPLAINT_PHOTO_MAX_COUNT, settings.COMPLAINT_PHOTO_MAX_BYTES
    if len(photos) > most:
        errors.append(f"最多上传{most}张照片")
    for n, p in enumerate(photos, start=1):
        if p.length > largest:
            errors.append(f"第{n}张照片超过{largest // 1024 // 1024}MB")
            continue
        mime = sniffed_photo(p.content)
        if mime is None:
            errors.append(f"第{n}张照片不是JPEG、PNG或WebP图片")
        else:
            types.append(mime)
    return errors, types


def _parse_day(value: str | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _unit_chosen(value: str | int | None) -> tuple[Unit | None, bool]:
    """(the unit named, True) — or (the dispatcher, False) for 不清楚 (empty or "unknown")."""
    if value in (None, "", "unknown"):
        return dispatch_unit(), False
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None, True
    if not -(2**31) < pk < 2**31:
        return None, True
    return intake_units().filter(pk=pk).first(), True


def complaint_submit(
    *,
    unit: str | int | None,
    facts: str,
    place: str,
    happened_on: str | dt.date | None,
    contact_name: str = "",
    contact_phone: str = "",
    photos: Sequence[PhotoIn] = (),
    ip: str,
    honeypot: str = "",
) -> Complaint:
    """A member of the public files a 投诉举报: checked whole (every reason by field), then held to
    the rate limits, then recorded with its tracking code and its 受理 limit, in one transaction.
    A refusal (FieldsRefused, RateLimited) writes nothing."""
    fields: dict[str, list[str]] = {}
    if honeypot:
        # A field people never see: a form that fills it is a program's.
        raise FieldsRefused({"website": ["提交未通过校验，请刷新页面后重新填写"]})
    facts = _text_field(fields, "facts", facts, "反映的问题", rules.MAX_FACTS, True)
    place = _text_field(fields, "place", place, "发生地点", rules.MAX_PLACE, True)
    name = _text_field(fields, "contact_name", contact_name, "联系人姓名", rules.MAX_NAME, False)
    phone = contact_phone.strip().replace(" ", "").replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    phone_errors = rules.mobile_errors(phone) if "\x00" not in phone else ["手机号码无效"]
    if phone_errors:
        fields["contact_phone"] = phone_errors
    today = clock.today()
    day = _parse_day(happened_on)
    if day is None:
        fields["happened_on"] = ["请按年-月-日填写发生日期"]
    else:
        found = rules.happened_errors(day, today, settings.COMPLAINT_MAX_AGE_DAYS)
        if found:
            fields["happened_on"] = found
    target, chosen = _unit_chosen(unit)
    if target is None:
        fields["unit"] = (
            ["请从列表中选择单位，或选择“不清楚”"] if chosen else ["暂无受理投诉举报的单位"]
        )
    photo_errors, types = _photo_errors(photos)
    if photo_errors:
        fields["photos"] = photo_errors
    if fields:
        raise FieldsRefused(fields)
    assert day is not None and target is not None
    digest = ip_digest(ip)
    # Files are written as the rows are; should the transaction roll back, they go too.
    stored: list[str] = []
    try:
        with transaction.atomic():
            rate_check(digest=digest, phone=phone)
            try:
                due = rules.accept_due(
                    today, settings.COMPLAINT_ACCEPT_WORKING_DAYS, working_calendar()
                )
            except CalendarNotCovered as exc:
                raise Refused([str(exc)]) from exc
            complaint = _insert(
                Complaint(
                    unit=target,
                    chosen=chosen,
                    facts=facts,
                    place=place,
                    happened_on=day,
                    contact_name=name,
                    contact_phone=phone,
                    ip_digest=digest,
                    filed_at=clock.now(),
                    filed_on=today,
                    accept_due_on=due,
                    step=COMPLAINT.first,
                    status=Complaint.Status.PENDING,
                )
            )
            saved = []
            for p, mime in zip(photos, types, strict=True):
                sm3 = hashlib.new("sm3", p.content).hexdigest()
                photo = ComplaintPhoto(
                    complaint=complaint, content_type=mime, size=len(p.content), sm3=sm3
                )
                photo.file.save(f"{sm3}{PHOTO_TYPES[mime]}", ContentFile(p.content), save=False)
                stored.append(photo.file.name)
                photo.save()
                saved.append({"sm3": sm3, "type": mime, "size": photo.size})
            entry = ledger_append(
                stream=complaint.stream,
                action="complaint_submitted",
                payload={
                    "code": complaint.code,
                    "unit": target.code,
                    "chosen": chosen,
                    "facts": facts,
                    "place": place,
                    "happened_on": day,
                    "contact_name": name,
                    "contact_phone": phone,
                    "photos": saved,
                    "accept_due_on": due,
                },
                actor_id=None,
                actor_name=PUBLIC_ACTOR,
                role=PUBLIC_ROLE,
            )
            _intake_notify(complaint, None, entry)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return complaint


def _insert(complaint: Complaint) -> Complaint:
    """Save with a fresh tracking code (a second draw in the unlikely event of a collision)."""
    for _ in range(5):
        complaint.code = rules.tracking_code()
        try:
            with transaction.atomic():
                complaint.save(force_insert=True)
            return complaint
        except IntegrityError:
            complaint.pk = None
    raise RuntimeError("could not draw a free tracking code")


# --- the officers' actions (the COMPLAINT step table) --------------------------------------------


def _read(complaint: Complaint, ask: Ask) -> CaseFacts:
    return CaseFacts(
        procedure=COMPLAINT.code,
        step=ask.step,
        unit_id=complaint.unit_id,
        handler_id=None,
        co_handler_id=None,
        certified=frozenset(),
        qualified_reviewers=frozenset(),
        evidence_count=complaint.photos.count(),
        matter=None,
        parties=(),
        complex=False,
        today=clock.today(),
        act_on=complaint.happened_on,
        discovered_on=complaint.filed_on,
        filed_on=None,
        decision_due=complaint.accept_due_on,
        response_window_end=None,
        extra={"at": complaint.step, "unit_kind": complaint.unit.kind, **ask.extra},
    )


def _store(complaint: Complaint, outcome: Outcome) -> None:
    today = clock.today()
    if outcome.step.code == "complaint_intake" and outcome.transition.decision != "transfer":
        complaint.decided_on = today
    if outcome.next_step == END:
        complaint.status = outcome.case_outcome or Complaint.Status.CONCLUDED
        complaint.closed_on = today
    else:
        complaint.status = STATUS_OF_STEP[outcome.next_step]
    complaint.step = outcome.next_step
    complaint.save()


def _entry(
    complaint: Complaint, outcome: Outcome, data: Mapping[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    return {
        "decision": outcome.transition.decision,
        "label": outcome.transition.label,
        "next": outcome.next_step,
        "data": {**data, **result},
    }


def _intake_notify(complaint: Complaint, actor: User | None, entry: Entry) -> None:
    """A complaint waiting for 受理 at its unit — filed to it, or 转办 there — tells the unit's
    officers who decide 受理 (DECIDERS of the step table), never the actor, in the transaction of
    the event; the entry's seq is the occasion, so no one is told twice."""
    users = (
        User.objects.filter(
            unit_id=complaint.unit_id,
            is_active=True,
            roles__role__in=[r.value for r in DECIDERS],
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    how = f"由{actor}转办至本单位" if actor is not None else "已提交至本单位"
    notice_emit(
        users=[u for u in users if actor is None or u != actor.pk],
        kind=Notice.Kind.APPROVAL,
        subject=complaint.stream,
        occasion=f"entry:{entry.seq}",
        text=(
            f"投诉举报{complaint.code}{how}，待您受理审查（{complaint.accept_due_on:%Y-%m-%d}前）"
        ),
        url=reverse("complaints:detail", args=[complaint.pk]),
    )


def _notify(complaint: Complaint, outcome: Outcome, actor: User | None, entry: Entry) -> None:
    """What told the actor to act on the complaint is done; a 转办 tells the receiving unit."""
    if actor is not None:
        notices_settle(user=actor, subject=complaint.stream, kinds=(Notice.Kind.APPROVAL,))
    if outcome.next_step == "complaint_intake":
        _intake_notify(complaint, actor, entry)


TABLE = Table[Complaint](
    procedure=COMPLAINT,
    read=_read,
    stream=lambda c: c.stream,
    entry=_entry,
    store=_store,
    by_field=True,
    notify=_notify,
)


def _locked(complaint_id: int) -> Complaint:
    try:
        return (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=complaint_id)
        )
    except Complaint.DoesNotExist:
        raise Refused(["投诉举报不存在"]) from None


def _run(
    complaint_id: int,
    actor: User,
    decision: str,
    data: Mapping[str, Any],
    *,
    extra: Mapping[str, Any] | Callable[[Complaint], Mapping[str, Any]] | None = None,
    apply: Callable[[Complaint, Outcome], Result] | None = None,
) -> Complaint:
    def step(c: Complaint) -> str:
        if c.step == END:
            raise Refused(["该投诉举报已办结"])
        return c.step

    complaint, _ = runner.run(
        TABLE,
        lambda: _locked(complaint_id),
        actor=actor,
        decision=decision,
        data=data,
        step=step,
        extra=extra,
        apply=apply,
    )
    return complaint


def complaint_accept(*, complaint_id: int, actor: User) -> Complaint:
    """受理: the unit takes the complaint up (it stops the 受理 limit)."""
    return _run(complaint_id, actor, "accept", {})


def complaint_reject(*, complaint_id: int, actor: User, reason: str) -> Complaint:
    """不予受理, with the reason the complainant reads on the status page."""
    reason = reason.strip()

    def apply(c: Complaint, o: Outcome) -> Result:
        c.reject_reason = reason
        return None

    return _run(complaint_id, actor, "reject", {"reason": reason}, apply=apply)


def complaint_transfer(*, complaint_id: int, actor: User, unit_id: Any) -> Complaint:
    """转办: to the unit in charge, or to the dispatcher; the complaint waits in its queue for
    受理 within the limit that runs from the filing (a transfer does not restart it)."""
    target = _target(unit_id)
    info = {"id": target.pk, "kind": target.kind} if target is not None else None

    def apply(c: Complaint, o: Outcome) -> Result:
        assert target is not None
        moved = {"from_unit": c.unit.code, "to_unit": target.code}
        c.unit = target
        return moved

    data = {"unit": target.code if target is not None else str(unit_id)[:40]}
    return _run(complaint_id, actor, "transfer", data, extra={"target": info}, apply=apply)


def _target(unit_id: Any) -> Unit | None:
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**31:
        return None
    return Unit.objects.filter(pk=pk).first()


def complaint_file(
    *,
    complaint_id: int,
    actor: User,
    parties: Sequence[Mapping[str, Any]],
    clue: str = "",
    matter_code: str | None = None,
) -> Complaint:
    """立案: the accepted complaint becomes a lead of the unit — 案源登记 (step 1 of the general
    procedure, source 投诉举报) by the 承办人, with the parties they identified — and is linked
    to it. One transaction: a lead refused leaves the complaint as it was."""

    def apply(c: Complaint, o: Outcome) -> Result:
        text = clue.strip() or f"投诉举报（{c.code}）：{c.facts}"
        case = case_register(
            actor=actor,
            source=Case.Source.COMPLAINT,
            clue=text[:2000],
            discovered_on=c.filed_on,
            act_on=c.happened_on if c.happened_on <= c.filed_on else None,
            parties=parties,
            place=c.place,
            matter_code=matter_code or None,
        )
        c.case = case
        return {"case": case.pk, "lead_no": case.lead_no}

    return _run(complaint_id, actor, "file", {"clue": clue.strip()}, apply=apply)


def complaint_conclude(*, complaint_id: int, actor: User, result: str) -> Complaint:
    """办结, with the short result the complainant reads (no personal data)."""
    result = result.strip()

    def apply(c: Complaint, o: Outcome) -> Result:
        c.result = result
        return None

    return _run(complaint_id, actor, "conclude", {"result": result}, apply=apply)


# --- the worker -----------------------------------------------------------------------------------


def complaints_mark_overdue() -> str | None:
    """Record, once per complaint, that its 受理 limit has passed without a decision."""
    today = clock.today()
    late = Complaint.objects.filter(
        step="complaint_intake", accept_due_on__lt=today, overdue_at__isnull=True
    ).order_by("pk")
    marked = 0
    for pk in list(late.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            won = Complaint.objects.filter(
                pk=pk, step="complaint_intake", overdue_at__isnull=True
            ).update(overdue_at=clock.now())
            if not won:
                continue
            c = Complaint.objects.select_related("unit").get(pk=pk)
            ledger_append(
                stream=c.stream,
                action="complaint_overdue",
                payload={"accept_due_on": c.accept_due_on, "unit": c.unit.code},
                actor_id=None,
                actor_name=SYSTEM_ACTOR,
                role="system",
            )
            marked += 1
    return f"投诉举报受理超期 {marked} 件" if marked else None


register_periodic("complaints_overdue", every=3600.0, job=complaints_mark_overdue)


def contact_phone_sight(user: User, complaint: Complaint) -> Sight:
    """The handling unit's officers who decide or handle the complaint (they call the
    complainant back) may reveal the phone in one click; any other reader sees it masked only."""
    roles = user.role_set
    own = user.unit_id is not None and user.unit_id == complaint.unit_id
    relation = Relation.OWN if own and roles & (DECIDERS | HANDLERS) else Relation.OTHER
    return sight(relation, frozenset(r.value for r in roles))


def contact_phone_reveal(*, actor: User, complaint_id: int) -> str:
    """The complainant's whole phone number, on the answer to this request only, for an officer
    of the handling unit; the access is logged on the `pii:access` stream."""
    from complaints.selectors import get_complaint_for_user
    from personal.services import personal_access_record

    c = get_complaint_for_user(actor, complaint_id)
    if contact_phone_sight(actor, c) is not Sight.FULL:
        raise Refused(["只有办理单位的受理、办理人员可以查看投诉举报人的完整手机号"])
    if not c.contact_phone:
        raise Refused(["投诉举报人未留联系电话"])
    roles = sorted(r.value for r in actor.role_set & (DECIDERS | HANDLERS))
    with transaction.atomic():
        personal_access_record(
            actor=actor,
            role=roles[0] if roles else "",
            action="pii_reveal",
            record=f"complaint:{c.pk}",
            fields=["phone"],
            reason=OWN_REASON,
            extra={"complaint": c.code},
        )
    return c.contact_phone
