"""The outbox: messages written with the action that causes them, sent afterwards by the worker.

Sending is at-least-once with an idempotency key, so its effect on the other side is once:
1. claim due rows (FOR UPDATE SKIP LOCKED where the database has it) and mark them "sending" with
   a lease, in a short transaction of their own;
2. call the gateway outside any transaction;
3. record the result by compare-and-set on (status, attempts): sent, or back to pending with an
   exponential backoff, or dead after MAX_ATTEMPTS. A worker that dies between 1 and 3 leaves a
   "sending" row whose lease runs out; the next worker claims it again and resends it under the
   same key.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from ledger.services import SYSTEM_ACTOR, ledger_append
from outbox.gateways import GatewayError, Outgoing, gateway_for
from outbox.models import OutboxMessage
from zhifa import clock

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=1)
LEASE = dt.timedelta(minutes=2)

Handler = Callable[[OutboxMessage], None]
_ON_SENT: dict[str, Handler] = {}
_ON_DEAD: dict[str, Handler] = {}


def register_outbox_handler(
    kind: str, *, on_sent: Handler | None = None, on_dead: Handler | None = None
) -> None:
    """Let an app react, in the transaction that records it, when a message of `kind` is sent
    or given up on. Call at import time (AppConfig.ready)."""
    if on_sent is not None:
        _ON_SENT[kind] = on_sent
    if on_dead is not None:
        _ON_DEAD[kind] = on_dead


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, … doubling after each failed attempt, never more than an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def outbox_enqueue(
    *,
    channel: str,
    kind: str,
    recipient: str,
    key: str,
    body: str = "",
    payload: dict[str, Any] | None = None,
    stream: str = "",
) -> OutboxMessage:
    """Queue a message inside the caller's transaction; the same key returns the queued one."""
    if channel not in OutboxMessage.Channel.values:
        raise ValueError(f"unknown channel {channel}")
    now = clock.now()
    message, _ = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "channel": channel,
            "kind": kind,
            "recipient": recipient,
            "body": body,
            "payload": payload or {},
            "stream": stream,
            "next_attempt_at": now,
            "created_at": now,
        },
    )
    return message


def outbox_retry(*, message_id: int) -> OutboxMessage:
    """Put a message that was given up on back in the queue (an operator's decision)."""
    with transaction.atomic():
        m = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if m.status == OutboxMessage.Status.DEAD:
            m.status = OutboxMessage.Status.PENDING
            m.attempts = 0
            m.next_attempt_at = clock.now()
            m.save(update_fields=["status", "attempts", "next_attempt_at"])
        return m


def outbox_claim(*, batch: int = 100) -> list[OutboxMessage]:
    """Step 1: claim due messages (a transaction of its own). Returns the claimed rows."""
    now = clock.now()
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(
            Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxMessage.Status.SENDING, lease_until__lt=now)
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        claimed = []
        for m in qs[:batch]:
            won = OutboxMessage.objects.filter(
                pk=m.pk, status=m.status, attempts=m.attempts
            ).update(
                status=OutboxMessage.Status.SENDING,
                lease_until=now + LEASE,
                attempts=m.attempts + 1,
            )
            if won:
                m.status, m.attempts, m.lease_until = (
                    OutboxMessage.Status.SENDING,
                    m.attempts + 1,
                    now + LEASE,
                )
                claimed.append(m)
        return claimed


def _system_entry(m: OutboxMessage, action: str, payload: dict[str, Any]) -> None:
    if m.stream:
        ledger_append(
            stream=m.stream,
            action=action,
            payload={"message": m.pk, "channel": m.channel, "kind": m.kind, **payload},
            actor_id=None,
            actor_name=SYSTEM_ACTOR,
            role="system",
        )


def outbox_record(*, message: OutboxMessage, receipt: str | None, error: str = "") -> str:
    """Step 3: record one attempt's result. Returns the new status ("" when another worker
    already recorded this attempt)."""
    now = clock.now()
    with transaction.atomic():
        current = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.SENDING, attempts=message.attempts
        )
        if receipt is not None:
            if not current.update(
                status=OutboxMessage.Status.SENT, sent_at=now, receipt=receipt, last_error=""
            ):
                return ""
            message.status, message.sent_at, message.receipt = "sent", now, receipt
            _system_entry(
                message, "outbox_sent", {"attempts": message.attempts, "receipt": receipt}
            )
            if message.kind in _ON_SENT:
                _ON_SENT[message.kind](message)
            return OutboxMessage.Status.SENT
        dead = message.attempts >= MAX_ATTEMPTS
        status = OutboxMessage.Status.DEAD if dead else OutboxMessage.Status.PENDING
        next_at = now + backoff(message.attempts)
        if not current.update(
            status=status, next_attempt_at=next_at, last_error=error[:2000], lease_until=None
        ):
            return ""
        message.status, message.last_error, message.next_attempt_at = status, error, next_at
        _system_entry(
            message,
            "outbox_given_up" if dead else "outbox_attempt_failed",
            {
                "attempts": message.attempts,
                "error": error,
                "next_attempt_at": None if dead else next_at,
            },
        )
        if dead and message.kind in _ON_DEAD:
            _ON_DEAD[message.kind](message)
        return status


def outbox_send_due(*, batch: int = 100) -> dict[str, int]:
    """One pass of the sending loop: claim, send, record, until nothing is due."""
    counts = {"sent": 0, "retried": 0, "dead": 0}
    while True:
        claimed = outbox_claim(batch=batch)
        for m in claimed:
            out = Outgoing(m.channel, m.recipient, m.body, m.payload, m.idempotency_key)
            try:
                receipt: str | None = gateway_for(m.channel).send(out)
                error = ""
            except GatewayError as exc:
                receipt, error = None, f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # a broken gateway must not stop the loop
                log.exception("gateway %s failed", m.channel)
                receipt, error = None, f"{type(exc).__name__}: {exc}"
            status = outbox_record(message=m, receipt=receipt, error=error)
            if status == OutboxMessage.Status.SENT:
                counts["sent"] += 1
            elif status == OutboxMessage.Status.DEAD:
                counts["dead"] += 1
            elif status:
                counts["retried"] += 1
        if len(claimed) < batch:
            return counts
