"""Writes of notices: made in the transaction of their event, read by their user, and their SMS
copies handed to the outbox by the worker (`notices_sms_due`), one by one while they are few and as
one digest when a user gets more than NOTICE_DIGEST_THRESHOLD in NOTICE_DIGEST_MINUTES."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from notices.models import Notice, NoticeSetting
from notices.selectors import notice_for
from orgs.models import User
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue
from procedure.engine import Refused
from zhifa import clock

SMS_PREFIX = "【执法办案平台】"
KIND_LABELS = dict(Notice.Kind.choices)


def notice_emit(
    *,
    users: Iterable[User | int | None],
    kind: str,
    subject: str,
    occasion: str,
    text: str,
    url: str = "",
) -> int:
    """Notify each user (None and repeats are skipped) inside the caller's transaction.

    A notice already made for the same user, kind, subject and occasion is left as it is, so
    running the event's code again notifies no one twice. Returns how many users were asked."""
    if kind not in Notice.Kind.values:
        raise ValueError(f"unknown notice kind {kind}")
    ids = sorted({u.pk if isinstance(u, User) else u for u in users if u is not None})
    if not ids:
        return 0
    wants_sms = _sms_users(ids, kind)
    now = clock.now()
    Notice.objects.bulk_create(
        [
            Notice(
                user_id=uid,
                kind=kind,
                subject=subject[:60],
                occasion=occasion[:60],
                url=url[:200],
                text=text[:300],
                created_at=now,
                sms=Notice.Sms.PENDING if uid in wants_sms else Notice.Sms.NONE,
            )
            for uid in ids
        ],
        ignore_conflicts=True,
    )
    return len(ids)


def _sms_users(ids: list[int], kind: str) -> set[int]:
    """The users among `ids` who asked for this kind by SMS and can receive one."""
    rows = (
        NoticeSetting.objects.filter(user_id__in=ids, user__is_active=True)
        .exclude(user__phone="")
        .values_list("user_id", "sms_kinds")
    )
    return {uid for uid, kinds in rows if isinstance(kinds, list) and kind in kinds}


def _refused(field: str, message: str) -> Refused:
    return Refused([message], fields={field: [message]})


def notice_read(*, user: User, notice_id: int) -> Notice:
    """Mark one of the user's notices read (another's is 404)."""
    notice = notice_for(user, notice_id)
    if notice.read_at is None:
        notice.read_at = clock.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_settle(*, user: User, subject: str, kinds: Iterable[str]) -> int:
    """The user acted on the subject: its waiting notices of these kinds are read (the bell
    counts what is still to do), inside the caller's transaction."""
    return Notice.objects.filter(
        user_id=user.pk, subject=subject, kind__in=list(kinds), read_at__isnull=True
    ).update(read_at=clock.now())


def notices_read_all(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())


def notice_settings_set(*, user: User, sms_kinds: Iterable[str]) -> NoticeSetting:
    """Which kinds the user also gets by SMS. Refused (by field) for an unknown kind or when the
    account has no mobile number to send to."""
    kinds = list(dict.fromkeys(sms_kinds))
    unknown = [k for k in kinds if k not in Notice.Kind.values]
    if unknown:
        raise _refused("sms_kinds", "提醒类型不正确")
    if kinds and not user.phone:
        raise _refused("sms_kinds", "您的账户未登记手机号，不能开启短信提醒，请联系系统管理员")
    row, _ = NoticeSetting.objects.update_or_create(
        user=user, defaults={"sms_kinds": [k for k in Notice.Kind.values if k in kinds]}
    )
    return row


def _enqueue(user: User, key: str, body: str) -> None:
    outbox_enqueue(
        channel=OutboxMessage.Channel.SMS,
        kind="notice",
        recipient=user.phone,
        key=key,
        body=SMS_PREFIX + body,
    )


def notices_sms_due() -> str | None:
    """Hand the pending SMS copies to the outbox (run by the worker, and by `notices_sms`).

    Per user, in a transaction holding the user's row: while the user's SMS notices of the last
    NOTICE_DIGEST_MINUTES, these included, are no more than NOTICE_DIGEST_THRESHOLD, each goes
    as its own message; beyond, the pending ones go as one digest, at most one digest a window
    (later ones wait for the next)."""
    now = clock.now()
    since = now - dt.timedelta(minutes=settings.NOTICE_DIGEST_MINUTES)
    threshold = settings.NOTICE_DIGEST_THRESHOLD
    single = digests = 0
    user_ids = sorted(
        set(Notice.objects.filter(sms=Notice.Sms.PENDING).values_list("user_id", flat=True))
    )
    for uid in user_ids:
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=uid)
            pending = list(
                Notice.objects.filter(user_id=uid, sms=Notice.Sms.PENDING).order_by("id")
            )
            if not pending:
                continue
            mine = Notice.objects.filter(user_id=uid, sms_at__gte=since)
            if not user.phone or not user.is_active:
                Notice.objects.filter(pk__in=[n.pk for n in pending]).update(sms=Notice.Sms.NONE)
                continue
            recent = mine.filter(sms__in=(Notice.Sms.SENT, Notice.Sms.DIGESTED)).count()
            if recent + len(pending) <= threshold:
                for n in pending:
                    _enqueue(user, f"notice:{n.pk}", n.text)
                Notice.objects.filter(pk__in=[n.pk for n in pending]).update(
                    sms=Notice.Sms.SENT, sms_at=now
                )
                single += len(pending)
                continue
            if mine.filter(sms=Notice.Sms.DIGESTED).exists():
                continue  # one digest a window
            kinds = "、".join(
                dict.fromkeys(KIND_LABELS[n.kind] for n in pending if n.kind in KIND_LABELS)
            )
            _enqueue(
                user,
                f"notice-digest:{uid}:{pending[0].pk}-{pending[-1].pk}",
                f"您有 {len(pending)} 条待办提醒（{kinds}），请登录平台查看。",
            )
            Notice.objects.filter(pk__in=[n.pk for n in pending]).update(
                sms=Notice.Sms.DIGESTED, sms_at=now
            )
            digests += 1
    if not single and not digests:
        return None
    return f"提醒短信 {single} 条，合并提醒 {digests} 条"
