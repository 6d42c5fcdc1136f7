from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, Q
from django.urls import reverse

from deadlines.models import CalendarDay, CalendarYear, Deadline, Timer
from deadlines.selectors import calendar_cliff_now, calendar_rows
from law.calendar import WorkingCalendar
from law.limits import LIMITS_BY_CODE, due_date
from ledger.services import SYSTEM_ACTOR, ledger_append
from notices.models import Notice
from notices.services import notice_emit
from orgs.models import User
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue
from procedure.roles import Role
from zhifa import clock, rows

log = logging.getLogger(__name__)


_calendar_cache: tuple[float, WorkingCalendar] | None = None
CALENDAR_CACHE_SECONDS = 300.0


def working_calendar() -> WorkingCalendar:
    """chinesecalendar plus the administrator's table for later years (law.md, 'Working days').

    The table changes once a year, so each process keeps it for a few minutes; loading a table
    refreshes this process at once (others within CALENDAR_CACHE_SECONDS)."""
    global _calendar_cache
    now = time.monotonic()
    if _calendar_cache is not None and now - _calendar_cache[0] < CALENDAR_CACHE_SECONDS:
        return _calendar_cache[1]
    overrides = dict(CalendarDay.objects.values_list("day", "working"))
    years = CalendarYear.objects.values_list("year", flat=True)
    calendar = WorkingCalendar(overrides, years)
    _calendar_cache = (now, calendar)
    return calendar


def calendar_forget() -> None:
    global _calendar_cache
    _calendar_cache = None


CALENDAR_STREAM = "calendar"


@transaction.atomic
def calendar_load(*, text: str, year: int | None = None, actor: User | None = None) -> list[int]:
    """Load (replace) the years a holiday table covers; returns those years.

    With ``year`` (the page loads one State Council notice at a time) a date of another year is
    refused. The load is recorded on the ledger: who loaded which days, so the working-day limits
    computed afterwards can be traced to it (处罚法第四十七条)."""
    rows = [(r.day, r.working, r.name) for r in calendar_rows(text, year)]
    years = {day.year for day, _, _ in rows}
    CalendarDay.objects.filter(day__year__in=years).delete()
    CalendarDay.objects.bulk_create(CalendarDay(day=d, working=w, name=n[:30]) for d, w, n in rows)
    for y in years:
        CalendarYear.objects.update_or_create(year=y)
    ledger_append(
        stream=CALENDAR_STREAM,
        action="calendar_load",
        payload={
            "years": sorted(years),
            "holidays": sorted(d.isoformat() for d, w, _ in rows if not w),
            "workdays": sorted(d.isoformat() for d, w, _ in rows if w),
        },
        actor_id=actor.pk if actor is not None else None,
        actor_name=str(actor) if actor is not None else SYSTEM_ACTOR,
        role=Role.SYS_ADMIN.value if actor is not None else "system",
    )
    transaction.on_commit(calendar_forget)
    calendar_forget()
    return sorted(years)


@dataclass(frozen=True)
class LimitMove:
    """A limit an action started, stopped or cancelled: what its answer reports."""

    code: str
    name: str
    party_id: int | None
    due_on: dt.date
    status: str
    moved: str  # "started", "stopped" or "cancelled"


_moves: ContextVar[list[LimitMove] | None] = ContextVar("limit_moves", default=None)


@contextmanager
def watch_limits() -> Iterator[list[LimitMove]]:
    """The limits started, stopped and cancelled inside the block, in order (no extra read:
    each write reports what it moved)."""
    moves: list[LimitMove] = []
    token = _moves.set(moves)
    try:
        yield moves
    finally:
        _moves.reset(token)


def _moved(rows_: list[Any], moved: str) -> None:
    watching = _moves.get()
    if watching is None:
        return
    for code, name, party_id, due, status in rows_:
        due_on = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due))
        watching.append(LimitMove(code, name, party_id, due_on, status, moved))


def calendar_warn() -> str | None:
    """Tell the administrators and supervisors by SMS, once per person and year, that a limit may
    soon reach a year whose holiday arrangement is not loaded (run by the worker)."""
    cliff = calendar_cliff_now()
    if cliff is None:
        return None
    users = (
        User.objects.filter(
            is_active=True, roles__role__in=(Role.SYS_ADMIN.value, Role.SUPERVISOR.value)
        )
        .exclude(phone="")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    with transaction.atomic():
        for user in users:
            key = f"calendar_cliff:{cliff.year}:{user.pk}"
            if OutboxMessage.objects.filter(idempotency_key=key).exists():
                continue
            outbox_enqueue(
                channel=OutboxMessage.Channel.SMS,
                kind="calendar_cliff",
                recipient=user.phone,
                key=key,
                body=f"【执法办案平台】{cliff.message}",
                stream=CALENDAR_STREAM,
            )
            sent += 1
        if sent:
            ledger_append(
                stream=CALENDAR_STREAM,
                action="calendar_cliff_warned",
                payload={"year": cliff.year, "recipients": sent},
                actor_id=None,
                actor_name=SYSTEM_ACTOR,
                role="system",
            )
    return f"{cliff.year}年节假日安排未载入，已短信提醒 {sent} 人" if sent else None


def deadline_start(
    *,
    case: Model,
    code: str,
    starts_on: dt.date,
    party: Model | None = None,
    calendar: WorkingCalendar | None = None,
    amount: int | None = None,
) -> Deadline:
    """Start a legal time limit. CalendarNotCovered propagates: never guess a working day.

    `amount` replaces the limit's own where a setting keeps an unconfirmed figure."""
    limit = LIMITS_BY_CODE[code]
    if amount is not None:
        limit = dataclasses.replace(limit, amount=amount)
    due = due_date(limit, starts_on, calendar or working_calendar())
    warn = max(starts_on, due - dt.timedelta(days=settings.DEADLINE_WARN_DAYS))
    row = Deadline(
        case_id=case.pk,
        party_id=party.pk if party is not None else None,
        code=code,
        name=limit.name,
        citation=limit.citation,
        starts_on=starts_on,
        due_on=due,
        warn_on=warn,
    )
    batch = _batch.get()
    if batch is not None:
        batch.start(row)  # written and reported by the batch's flush, given its id there
        return row
    rows.insert(row)
    _moved([(code, limit.name, row.party_id, due, row.status)], "started")
    return row


_STOP = Deadline._meta.db_table


def _stop_sql(by_party: bool, by_row: bool) -> str:
    return (
        f"UPDATE {_STOP} SET stopped_on = %s, status = CASE WHEN status = %s THEN %s ELSE %s END "
        "WHERE case_id = %s AND code = %s AND stopped_on IS NULL"
        + (" AND party_id = %s" if by_party else "")
        + (" AND id = %s" if by_row else "")
        + _RETURNING
    )


_RETURNING = " RETURNING code, name, party_id, due_on, status"


_STOPS = {(p, r): _stop_sql(p, r) for p in (False, True) for r in (False, True)}


def deadline_stop(
    *,
    case: Model,
    code: str,
    on: dt.date,
    party: Model | None = None,
    deadline_id: int | None = None,
) -> None:
    """Stop the running limit(s) of this code (of one party, or the one row) in one UPDATE built
    once: met when on time, kept overdue when late. Inside `limits_batched` the stop waits for
    the batch's flush, which stops every code in one UPDATE."""
    batch = _batch.get()
    if batch is not None and deadline_id is None:
        if any(d.code == code for d in batch.starts):
            batch.flush()  # a limit of this code started earlier in the batch: keep the order
        batch.stop(code, on, party.pk if party is not None else None)
        return
    _flush()
    overdue, met = Deadline.Status.OVERDUE.value, Deadline.Status.MET.value
    params: list[Any] = [connection.ops.adapt_datefield_value(on), overdue, overdue, met]
    params += [case.pk, code]
    if party is not None:
        params.append(party.pk)
    if deadline_id is not None:
        params.append(deadline_id)
    with rows.cursor() as cursor:
        cursor.execute(_STOPS[party is not None, deadline_id is not None], params)
        stopped = cursor.fetchall()
    _moved(stopped, "stopped")


@dataclass
class _Batch:
    """The limits a step starts and stops, written when the step's effects are done: the stops
    in one UPDATE, then the starts in one multi-row INSERT (unless a stop names a code started
    earlier in the batch, which flushes first), and reported in the order they were asked."""

    case_id: int
    starts: list[Deadline] = dataclasses.field(default_factory=list)
    # (code, day, party id or None for the case's every party), in the order asked
    stops: list[tuple[str, dt.date, int | None]] = dataclasses.field(default_factory=list)
    # what was asked, in order: ("start", index in starts) or ("stop", index in stops)
    asked: list[tuple[str, int]] = dataclasses.field(default_factory=list)

    def start(self, row: Deadline) -> None:
        self.asked.append(("start", len(self.starts)))
        self.starts.append(row)

    def stop(self, code: str, on: dt.date, party_id: int | None) -> None:
        self.asked.append(("stop", len(self.stops)))
        self.stops.append((code, on, party_id))

    def flush(self) -> None:
        stopped = self._stop() if self.stops else {}
        for kind, i in self.asked:
            if kind == "start":
                d = self.starts[i]
                _moved([(d.code, d.name, d.party_id, d.due_on, d.status)], "started")
            else:
                _moved(stopped.get(i, []), "stopped")
        if self.starts:
            rows.insert_many(self.starts)
        self.starts, self.stops, self.asked = [], [], []

    def _stop(self) -> dict[int, list[Any]]:
        """One UPDATE: each running row of a named code takes the day of the first stop that
        named it (its party's, or the case's), as the stops one by one would have. Returns the
        rows stopped by the stop that named them first, in party order."""
        adapt = connection.ops.adapt_datefield_value
        overdue, met = Deadline.Status.OVERDUE.value, Deadline.Status.MET.value
        whens: list[str] = []
        day_params: list[Any] = []
        matches: list[str] = []
        match_params: list[Any] = []
        for code, on, party_id in self.stops:
            if party_id is None:
                whens.append("WHEN code = %s THEN %s")
                day_params += [code, adapt(on)]
                matches.append("code = %s")
                match_params.append(code)
            else:
                whens.append("WHEN code = %s AND party_id = %s THEN %s")
                day_params += [code, party_id, adapt(on)]
                matches.append("(code = %s AND party_id = %s)")
                match_params += [code, party_id]
        sql = (
            f"UPDATE {_STOP} SET stopped_on = CASE {' '.join(whens)} END, "
            "status = CASE WHEN status = %s THEN %s ELSE %s END "
            f"WHERE case_id = %s AND stopped_on IS NULL AND ({' OR '.join(matches)})" + _RETURNING
        )
        with rows.cursor() as cursor:
            cursor.execute(sql, [*day_params, overdue, overdue, met, self.case_id, *match_params])
            found = cursor.fetchall()
        by_stop: dict[int, list[Any]] = {}
        for row in sorted(found, key=lambda r: r[2] if r[2] is not None else -1):
            code, party_id = row[0], row[2]
            first = next(
                i for i, (c, _, p) in enumerate(self.stops) if c == code and p in (None, party_id)
            )
            by_stop.setdefault(first, []).append(row)
        return by_stop


_batch: ContextVar[_Batch | None] = ContextVar("limits_batch", default=None)


def _flush() -> None:
    batch = _batch.get()
    if batch is not None:
        batch.flush()


@contextmanager
def limits_batched(case: Model) -> Iterator[None]:
    """The limits of the case started and stopped (by party or by code) inside the block are
    written when it ends without an error: one INSERT for the starts, one UPDATE for the stops.
    A started limit's id is known only then. A cancel, or a stop of one row, flushes first."""
    batch = _Batch(int(case.pk))
    token = _batch.set(batch)
    try:
        yield
        batch.flush()
    finally:
        _batch.reset(token)


def deadlines_cancel(*, case: Model, on: dt.date) -> int:
    """Cancel every limit of the case still running (the case has ended), in one UPDATE."""
    _flush()
    with rows.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_STOP} SET status = %s, stopped_on = %s "
            f"WHERE case_id = %s AND stopped_on IS NULL{_RETURNING}",
            [Deadline.Status.CANCELLED.value, connection.ops.adapt_datefield_value(on), case.pk],
        )
        cancelled = cursor.fetchall()
    _moved(cancelled, "cancelled")
    return len(cancelled)


def _claim(batch: int) -> list[Deadline]:
    today = clock.today()
    qs = (
        Deadline.objects.filter(
            Q(status=Deadline.Status.RUNNING, warn_on__lte=today)
            | Q(status=Deadline.Status.APPROACHING, due_on__lt=today)
        )
        .order_by("due_on", "id")
        .select_related("case", "party")
    )
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs[:batch])


def run_worker_once(*, batch: int = 500) -> dict[str, int]:
    """One pass: mark due limits approaching or overdue, each with a ledger entry on its case.

    Safe with several workers: rows are claimed with FOR UPDATE SKIP LOCKED where the database
    has it, and every transition is a compare-and-set on the old status, so a row is acted on once.
    """
    worker = f"{socket.gethostname()}:{os.getpid()}"
    counts = {"approaching": 0, "overdue": 0}
    while True:
        with transaction.atomic():
            rows = _claim(batch)
            if not rows:
                return counts
            today = clock.today()
            for d in rows:
                new = Deadline.Status.OVERDUE if d.due_on < today else Deadline.Status.APPROACHING
                stamp = {
                    "overdue_at" if new == Deadline.Status.OVERDUE else "warned_at": clock.now()
                }
                won = Deadline.objects.filter(pk=d.pk, status=d.status).update(status=new, **stamp)
                if not won:
                    continue
                counts[new] += 1
                ledger_append(
                    stream=d.case.stream,
                    action=f"deadline_{new}",
                    payload={
                        "deadline": d.code,
                        "name": d.name,
                        "citation": d.citation,
                        "due_on": d.due_on,
                        "party": d.party.index if d.party else None,
                        "worker": worker,
                    },
                    actor_id=None,
                    actor_name=SYSTEM_ACTOR,
                    role="system",
                )
                _notify_handlers(d, new)
            if len(rows) < batch:
                return counts


def _notify_handlers(d: Deadline, status: str) -> None:
    """Tell the case's 承办人 and 协办人, in the worker's transaction, once per limit and status."""
    case: Any = d.case
    due = f"{d.due_on:%Y年%m月%d日}"
    if status == Deadline.Status.OVERDUE:
        kind, text = Notice.Kind.LIMIT_OVERDUE, f"案件{case}的“{d.name}”已于{due}届满，请尽快处理"
    else:
        kind, text = Notice.Kind.LIMIT_APPROACHING, f"案件{case}的“{d.name}”将于{due}届满"
    notice_emit(
        users=(case.handler_id, case.co_handler_id),
        kind=kind,
        subject=case.stream,
        occasion=f"deadline:{d.pk}",
        text=text,
        url=reverse("case-detail", args=[case.pk]),
    )


# --- periodic jobs of the apps above -------------------------------------------------------------

PeriodicJob = Callable[[], str | None]


@dataclass(frozen=True)
class Periodic:
    name: str
    every: float  # seconds between runs
    job: PeriodicJob  # returns a line for the worker's output, or None when it did nothing


_PERIODIC: dict[str, Periodic] = {}


def register_periodic(name: str, *, every: float, job: PeriodicJob) -> None:
    """Let an app above the core have `run_worker` call `job` every `every` seconds (the first
    time at the worker's start). Call at import time (AppConfig.ready); the core never imports
    the app."""
    if name in _PERIODIC and _PERIODIC[name].job is not job:
        raise ValueError(f"periodic job {name} already registered")
    _PERIODIC[name] = Periodic(name, every, job)


def periodic_jobs() -> list[Periodic]:
    return list(_PERIODIC.values())


# --- minute-level timers ------------------------------------------------------------------------

TimerHandler = Callable[[Timer], None]
_TIMER_HANDLERS: dict[str, TimerHandler] = {}
TIMER_MAX_ATTEMPTS = 5


def register_timer_handler(kind: str, handler: TimerHandler) -> None:
    """Let an app act when its timers fall due. Call at import time (AppConfig.ready)."""
    if _TIMER_HANDLERS.get(kind, handler) is not handler:
        raise ValueError(f"timer kind {kind} already has a handler")
    _TIMER_HANDLERS[kind] = handler


def timer_start(*, kind: str, subject: str, due_at: dt.datetime) -> Timer:
    """Start (or restart) the timer of `kind` for `subject`; run inside the caller's transaction."""
    timer, _ = Timer.objects.update_or_create(
        kind=kind,
        subject=subject,
        defaults={
            "due_at": due_at,
            "status": Timer.Status.PENDING,
            "created_at": clock.now(),
            "fired_at": None,
            "attempts": 0,
            "last_error": "",
        },
    )
    return timer


def timer_cancel(*, kind: str, subject: str) -> int:
    """Cancel a pending timer; run inside the caller's transaction.

    A timer a worker has claimed at this very moment is skipped, not waited for: the caller
    usually holds the lock on the subject that the worker's handler is about to take, so waiting
    could deadlock. The handler runs after the caller commits and sees the new state (handlers
    must check it, and do nothing when the subject has moved on)."""
    qs = Timer.objects.filter(kind=kind, subject=subject, status=Timer.Status.PENDING)
    if connection.features.has_select_for_update_skip_locked:
        ids = list(qs.select_for_update(skip_locked=True).values_list("pk", flat=True))
        qs = Timer.objects.filter(pk__in=ids)
    return qs.update(status=Timer.Status.CANCELLED)


def _claim_timers(batch: int) -> list[Timer]:
    qs = Timer.objects.filter(status=Timer.Status.PENDING, due_at__lte=clock.now()).order_by(
        "due_at", "id"
    )
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs[:batch])


def run_timers_once(*, batch: int = 200) -> dict[str, int]:
    """One pass over the due timers: each is marked fired and its handler runs in one transaction.

    Exactly once: a worker that dies before committing leaves the row pending (the transaction
    rolls back with whatever the handler wrote); rows are claimed FOR UPDATE SKIP LOCKED where the
    database has it and fired by compare-and-set on the status, so several workers never act on
    the same timer twice. A handler that raises is retried with backoff, then marked failed.
    """
    counts = {"fired": 0, "retried": 0, "failed": 0}
    while True:
        with transaction.atomic():
            rows = _claim_timers(batch)
            if not rows:
                return counts
            now = clock.now()
            for t in rows:
                won = Timer.objects.filter(pk=t.pk, status=Timer.Status.PENDING).update(
                    status=Timer.Status.FIRED, fired_at=now, attempts=t.attempts + 1
                )
                if not won:
                    continue
                handler = _TIMER_HANDLERS.get(t.kind)
                try:
                    if handler is None:
                        raise LookupError(f"no handler for timer kind {t.kind}")
                    with transaction.atomic():
                        handler(t)
                    counts["fired"] += 1
                except Exception as exc:
                    log.exception("timer %s %s failed", t.kind, t.subject)
                    attempts = t.attempts + 1
                    failed = attempts >= TIMER_MAX_ATTEMPTS or handler is None
                    Timer.objects.filter(pk=t.pk).update(
                        status=Timer.Status.FAILED if failed else Timer.Status.PENDING,
                        due_at=t.due_at if failed else now + dt.timedelta(seconds=30 * 2**attempts),
                        fired_at=None,
                        last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    )
                    counts["failed" if failed else "retried"] += 1
            if len(rows) < batch:
                return counts
