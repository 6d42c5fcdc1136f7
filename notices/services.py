"""Writes of notices: made in the transaction of their event, read by their user, and their SMS
copies handed to the outbox by the worker (`notices_sms_due`), one by one while they are few and as
one digest when a user gets more than NOTICE_DIGEST_THRESHOLD in NOTICE_DIGEST_MINUTES."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction

from notices.models import Notice, NoticeSetting
from notices.selectors import notice_for
from orgs.models import RoleGrant, User
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue
from procedure.engine import Refused
from zhifa import clock, rows
from zhifa.rows import Columns

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
    _insert(ids, _sms_users(ids, kind), kind, subject, occasion, text, url)
    return len(ids)


def notice_emit_roles(
    *,
    unit_id: int | None,
    roles: Iterable[str],
    but: int | None,
    kind: str,
    subject: str,
    occasion: str,
    text: str,
    url: str = "",
) -> int:
    """notice_emit to the active officers of the unit who hold one of the roles (but `but`, the
    one acting), in one INSERT … SELECT that finds them and who of them wants an SMS of the kind.
    Returns how many were told (a notice made already for the occasion is left as it is)."""
    if kind not in Notice.Kind.values:
        raise ValueError(f"unknown notice kind {kind}")
    wanted = sorted(set(roles))
    if unit_id is None or not wanted:
        return 0
    marks = ", ".join(["%s"] * len(wanted))
    if connection.vendor == "postgresql":
        wants = "jsonb_typeof(s.sms_kinds) = 'array' AND jsonb_exists(s.sms_kinds, %s)"
    else:
        wants = (
            "json_type(s.sms_kinds) = 'array' "
            "AND EXISTS (SELECT 1 FROM json_each(s.sms_kinds) j WHERE j.value = %s)"
        )
    now = connection.ops.adapt_datetimefield_value(clock.now())
    sms = [Notice.Sms.PENDING.value, Notice.Sms.NONE.value]
    with rows.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_NOTICES} (user_id, kind, subject, occasion, url, text, created_at, "
            "read_at, sms, sms_at) "
            "SELECT u.id, %s, %s, %s, %s, %s, %s, NULL, "
            f"CASE WHEN u.phone <> '' AND s.id IS NOT NULL AND {wants} THEN %s ELSE %s END, NULL "
            f"FROM {_USER} u LEFT JOIN {_SETTINGS} s ON s.user_id = u.id "
            "WHERE u.unit_id = %s AND u.is_active = %s AND u.id <> %s "
            f"AND EXISTS (SELECT 1 FROM {_GRANT} r WHERE r.user_id = u.id AND r.role IN ({marks})) "
            "ORDER BY u.id ON CONFLICT DO NOTHING",
            [
                kind,
                subject[:60],
                occasion[:60],
                url[:200],
                text[:300],
                now,
                kind,
                *sms,
                unit_id,
                True,
                but if but is not None else 0,
                *wanted,
            ],
        )
        return int(cursor.rowcount)


_USER = User._meta.db_table
_GRANT = RoleGrant._meta.db_table
_SETTINGS = NoticeSetting._meta.db_table
_NOTICES = Notice._meta.db_table
_settings_columns: dict[str, Columns] = {}


def _setting() -> Columns:
    """A notice setting's id and SMS kinds, as the JSON field gives them (per database)."""
    found = _settings_columns.get(connection.vendor)
    if found is None:
        found = _settings_columns[connection.vendor] = Columns(
            NoticeSetting, "s", only=("sms_kinds",)
        )
    return found


def _wants(kinds: object, kind: str) -> bool:
    return isinstance(kinds, list) and kind in kinds


def _insert(
    ids: list[int], sms: set[int], kind: str, subject: str, occasion: str, text: str, url: str
) -> None:
    """The notices, in one statement; those made already for the occasion are left as they are."""
    now = clock.now()
    rows.insert_many(
        [
            Notice(
                user_id=uid,
                kind=kind,
                subject=subject[:60],
                occasion=occasion[:60],
                url=url[:200],
                text=text[:300],
                created_at=now,
                sms=Notice.Sms.PENDING if uid in sms else Notice.Sms.NONE,
            )
            for uid in ids
        ],
        ignore_conflicts=True,
    )


def _sms_users(ids: list[int], kind: str) -> set[int]:
    """The users among `ids` who asked for this kind by SMS and can receive one."""
    marks = ", ".join(["%s"] * len(ids))
    with rows.cursor() as cursor:
        cursor.execute(
            f"SELECT u.id, u.phone, {_setting().sql} FROM {_SETTINGS} s "
            f"JOIN {_USER} u ON u.id = s.user_id "
            f"WHERE s.user_id IN ({marks}) AND u.is_active = %s",
            [*ids, True],
        )
        found = cursor.fetchall()
    return {int(row[0]) for row in found if row[1] and _wants(_setting().values(row, 2)[1], kind)}


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
    counts what is still to do), inside the caller's transaction, in one statement."""
    chosen = list(kinds)
    if not chosen:
        return 0
    marks = ", ".join(["%s"] * len(chosen))
    now = connection.ops.adapt_datetimefield_value(clock.now())
    with rows.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_NOTICES} SET read_at = %s WHERE user_id = %s AND subject = %s "
            f"AND kind IN ({marks}) AND read_at IS NULL",
            [now, user.pk, subject, *chosen],
        )
        return int(cursor.rowcount)


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
