from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from cases.models import Case, Party
from deadlines.models import CalendarDay, CalendarYear, Deadline
from law.calendar import WorkingCalendar, parse_overrides
from law.limits import LIMITS_BY_CODE, due_date
from ledger.services import SYSTEM_ACTOR, ledger_append
from zhifa import clock

log = logging.getLogger(__name__)


def working_calendar() -> WorkingCalendar:
    """chinesecalendar plus the administrator's table for later years (law.md, 'Working days')."""
    overrides = dict(CalendarDay.objects.values_list("day", "working"))
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkingCalendar(overrides, years)


@transaction.atomic
def calendar_load(*, text: str) -> list[int]:
    """Load (replace) the years a holiday table covers; returns those years."""
    overrides, years = parse_overrides(text)
    CalendarDay.objects.filter(day__year__in=years).delete()
    CalendarDay.objects.bulk_create(CalendarDay(day=d, working=w) for d, w in overrides.items())
    for y in years:
        CalendarYear.objects.update_or_create(year=y)
    return sorted(years)


def deadline_start(
    *,
    case: Case,
    code: str,
    starts_on: dt.date,
    party: Party | None = None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """Start a legal time limit. CalendarNotCovered propagates: never guess a working day."""
    limit = LIMITS_BY_CODE[code]
    due = due_date(limit, starts_on, calendar or working_calendar())
    warn = max(starts_on, due - dt.timedelta(days=settings.DEADLINE_WARN_DAYS))
    return Deadline.objects.create(
        case=case,
        party=party,
        code=code,
        name=limit.name,
        citation=limit.citation,
        starts_on=starts_on,
        due_on=due,
        warn_on=warn,
    )


def deadline_stop(*, case: Case, code: str, on: dt.date, party: Party | None = None) -> int:
    """Stop the running limit(s) of this code: met when on time, kept overdue when late."""
    qs = Deadline.objects.filter(case=case, code=code, stopped_on__isnull=True)
    if party is not None:
        qs = qs.filter(party=party)
    met = qs.filter(status__in=[Deadline.Status.RUNNING, Deadline.Status.APPROACHING]).update(
        status=Deadline.Status.MET, stopped_on=on
    )
    late = qs.filter(status=Deadline.Status.OVERDUE).update(stopped_on=on)
    return met + late


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
            if len(rows) < batch:
                return counts
