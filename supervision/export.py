"""The supervision data the city reports to the province (行政执法监督条例 Art. 37 ¶2), in the
envelope of the exchange format (shared/exchange.md): JSON Lines, UTF-8, one record per line, each
naming its ``schema``; dates ``YYYY-MM-DD``; unknown fields are an error to the reader. The format
has no record type for supervision, so four are added (README, "Exchange"):

- ``zhifa.supervision_item/1``: a supervision item (监督事项) whose record moved in the window
  (an entry on its ledger stream), as it stands; key ``unit.code`` + ``item_id``. Its ``rule``
  is a code of supervision/rules.py (the 强制执行 rules included) or null for one raised by hand;
  the reader refuses a code it does not know.
- ``zhifa.file_review/1``: a 案卷评查 round whose results were published in the window: per unit
  and per file (heading totals, total, grade, every deduction with its reason); key
  ``unit.code`` (the organising government) + ``review_id``.
- ``zhifa.certificate_summary/1``: the 执法证 register of one unit on the window's last day.
- ``zhifa.supervision_matter/1``: a 监督事项 under the 行政执法监督条例 (督办函 or 意见书, answer,
  objection, 处理建议, the government's 决定书, publication, the measures recommended on officers
  and what the competent authority decided) whose record moved in the window, as it stands; key
  ``unit.code`` + ``matter_id``.

Deterministic: the same data gives the same bytes (records in key order, keys in a fixed order,
no time of export). The worker writes the day before, every night (``export_schedule``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from deadlines.models import Timer
from deadlines.services import register_timer_handler, timer_start
from law.calendar import SHANGHAI
from law.certificates import Status
from ledger.models import Entry
from orgs.models import Certificate, Unit
from orgs.selectors import status_q
from supervision import standards
from supervision.models import FileReview, Item, Matter
from supervision.review_selectors import review_results
from supervision.rules import RULES_BY_CODE
from zhifa import clock

ITEM_SCHEMA = "zhifa.supervision_item/1"
REVIEW_SCHEMA = "zhifa.file_review/1"
CERTIFICATE_SCHEMA = "zhifa.certificate_summary/1"
MATTER_SCHEMA = "zhifa.supervision_matter/1"
MAX_DAYS = 366 * 5  # one call covers at most five years


def _day(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.astimezone(SHANGHAI).date()
    return value.isoformat()


def _unit(u: Unit) -> dict[str, Any]:
    return {"code": u.code, "name": u.name, "region": u.region_id}


def _window(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(since, dt.time(), tzinfo=SHANGHAI)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    return start, end


def item_record(item: Item, history: list[Entry]) -> dict[str, Any]:
    return {
        "schema": ITEM_SCHEMA,
        "unit": _unit(item.unit),
        "item_id": item.pk,
        "case": None
        if item.case is None
        else {"unit": item.case.unit.code, "case_no": item.case.case_no},
        "rule": item.rule or None,
        "title": item.title,
        "statute": item.statute or None,
        "detail": item.detail,
        "status": item.status,
        "kind": item.kind or None,
        "raised_on": _day(item.created_at),
        "due_on": _day(item.due_on),
        "answer": item.answer or None,
        "closed_on": _day(item.closed_at),
        "history": [{"on": _day(e.at), "action": e.action} for e in history],
    }


def matter_record(matter: Matter, history: list[Entry]) -> dict[str, Any]:
    return {
        "schema": MATTER_SCHEMA,
        "unit": _unit(matter.unit),
        "matter_id": matter.pk,
        "case": None
        if matter.case is None
        else {"unit": matter.case.unit.code, "case_no": matter.case.case_no},
        "source": matter.source,
        "channel": matter.channel or None,
        "listed": matter.listed,
        "escalated": matter.escalated,
        "major": matter.major,
        "title": matter.title,
        "facts": matter.facts,
        "instrument": matter.instrument or None,
        "number": matter.number or None,
        "demand": matter.demand or None,
        "status": matter.status,
        "sent_on": _day(matter.sent_on),
        "reply_due_on": _day(matter.reply_due_on),
        "replied_on": _day(matter.replied_on),
        "reply": matter.reply or None,
        "evidence_sha256": matter.evidence_sha256 or None,
        "objection": matter.objection or None,
        "objection_on": _day(matter.objection_on),
        "objection_ruling": matter.objection_ruling or None,
        "proposal": matter.proposal or None,
        "proposed_on": _day(matter.proposed_on),
        "decision": None
        if not matter.decision_on
        else {
            "number": matter.decision_no or None,
            "on": _day(matter.decision_on),
            "content": matter.decision_content,
        },
        "report_due_on": _day(matter.report_due_on),
        "reported_on": _day(matter.reported_on),
        "report": matter.report or None,
        "publication": matter.publication or None,
        "published_on": _day(matter.published_on),
        "closed_on": _day(matter.closed_on),
        "officer_measures": [
            {
                "officer": str(m.officer),
                "measure": m.measure,
                "reason": m.reason,
                "recommended_on": _day(m.recommended_on),
                "authority": m.authority or None,
                "decision": m.decision or None,
                "decided_on": _day(m.decided_on),
            }
            for m in sorted(matter.measures.all(), key=lambda m: m.pk)
        ],
        "history": [{"on": _day(e.at), "action": e.action} for e in history],
    }


def review_record(review: FileReview) -> dict[str, Any]:
    std = standards.standard(review.standard)
    files = []
    for e in review.cases.select_related("case__unit").order_by("case__unit__code", "case_id"):
        scores = e.scores or {}
        reasons = e.reasons or {}
        files.append(
            {
                "unit": e.case.unit.code,
                "case_no": e.case.case_no,
                "total": e.total,
                "grade": e.grade or None,
                "headings": standards.heading_totals(std, scores),
                "deductions": [
                    {
                        "item": i.code,
                        "points": i.points - int(scores.get(i.code, 0)),
                        "reason": reasons.get(i.code, ""),
                    }
                    for i in std.items
                    if int(scores.get(i.code, 0)) < i.points
                ],
            }
        )
    units = sorted(review_results(review), key=lambda r: r.unit_code)
    codes = {u.pk: u for u in Unit.objects.filter(pk__in=[r.unit_id for r in units])}
    return {
        "schema": REVIEW_SCHEMA,
        "unit": _unit(review.root),
        "review_id": review.pk,
        "name": review.name,
        "method": review.method,
        "standard": review.standard,
        "period": {"from": _day(review.period_start), "to": _day(review.period_end)},
        "published_on": _day(review.published_at),
        "units": [
            {
                "unit": _unit(codes[r.unit_id]),
                "cases": r.scored,
                "average": None if r.average is None else f"{r.average:f}",
                "lowest": r.lowest,
                "grades": dict(sorted(r.grades.items())),
            }
            for r in units
        ],
        "files": files,
    }


def certificate_records(on: dt.date) -> Iterator[dict[str, Any]]:
    valid = status_q(Status.VALID, on)  # the register's status on the day (orgs.selectors)
    rows = (
        Certificate.objects.filter(valid_from__lte=on, user__unit__isnull=False)
        .values("user__unit_id")
        .annotate(
            total=Count("id"),
            valid=Count("id", filter=valid),
            holders=Count("user_id", filter=valid, distinct=True),
            expired=Count("id", filter=status_q(Status.EXPIRED, on)),
            revoked=Count("id", filter=status_q(Status.REVOKED, on)),
        )
        .order_by()
    )
    figures = {r["user__unit_id"]: r for r in rows}
    for unit in Unit.objects.filter(pk__in=list(figures)).order_by("code"):
        r = figures[unit.pk]
        yield {
            "schema": CERTIFICATE_SCHEMA,
            "unit": _unit(unit),
            "on": on.isoformat(),
            "holders": r["holders"],
            "valid": r["valid"],
            "expired": r["expired"],
            "revoked": r["revoked"],
        }


def _moved(prefix: str, start: dt.datetime, end: dt.datetime) -> list[int]:
    """The ids of the objects whose ledger stream `<prefix><pk>` has an entry in the window."""
    moved = Entry.objects.filter(stream__startswith=prefix, at__gte=start, at__lt=end)
    streams = moved.values_list("stream", flat=True).distinct()
    return sorted({int(s[len(prefix) :]) for s in streams if s[len(prefix) :].isdigit()})


def export_records(*, since: dt.date, until: dt.date) -> Iterator[dict[str, Any]]:
    """Items, then published rounds, then the certificate register, then matters, each in key
    order."""
    start, end = _window(since, until)
    ids = _moved("supervision:", start, end)
    items = Item.objects.filter(pk__in=ids).select_related("unit", "case__unit")
    for item in sorted(items, key=lambda i: (i.unit.code, i.pk)):
        history = list(Entry.objects.filter(stream=item.stream).order_by("seq"))
        yield item_record(item, history)
    reviews = FileReview.objects.filter(published_at__gte=start, published_at__lt=end)
    for review in sorted(reviews.select_related("root"), key=lambda r: (r.root.code, r.pk)):
        yield review_record(review)
    yield from certificate_records(until)
    ids = _moved("matter:", start, end)
    matters = Matter.objects.filter(pk__in=ids).select_related("unit", "case__unit")
    for matter in sorted(
        matters.prefetch_related("measures__officer"), key=lambda m: (m.unit.code, m.pk)
    ):
        history = list(Entry.objects.filter(stream=matter.stream).order_by("seq"))
        yield matter_record(matter, history)


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def export_lines(*, since: dt.date, until: dt.date) -> Iterator[str]:
    for record in export_records(since=since, until=until):
        yield dumps(record) + "\n"


def export_errors(since: dt.date | None, until: dt.date | None) -> list[str]:
    if since is None or until is None:
        return ["请填写导出的起止日期（YYYY-MM-DD）"]
    if until < since:
        return ["截止日期不能早于起始日期"]
    if (until - since).days > MAX_DAYS:
        return ["一次最多导出五年的数据"]
    return []


def write_export(path: Path, *, since: dt.date, until: dt.date) -> int:
    """Write the file whole or not at all (a temporary file renamed over it); the record count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", dir=path.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            for line in export_lines(since=since, until=until):
                out.write(line)
                n += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


# --- reading it back ------------------------------------------------------------------------

_FIELDS: dict[str, frozenset[str]] = {
    ITEM_SCHEMA: frozenset(
        {
            "schema",
            "unit",
            "item_id",
            "case",
            "rule",
            "title",
            "statute",
            "detail",
            "status",
            "kind",
            "raised_on",
            "due_on",
            "answer",
            "closed_on",
            "history",
        }
    ),
    REVIEW_SCHEMA: frozenset(
        {
            "schema",
            "unit",
            "review_id",
            "name",
            "method",
            "standard",
            "period",
            "published_on",
            "units",
            "files",
        }
    ),
    CERTIFICATE_SCHEMA: frozenset(
        {"schema", "unit", "on", "holders", "valid", "expired", "revoked"}
    ),
    MATTER_SCHEMA: frozenset(
        {
            "schema",
            "unit",
            "matter_id",
            "case",
            "source",
            "channel",
            "listed",
            "escalated",
            "major",
            "title",
            "facts",
            "instrument",
            "number",
            "demand",
            "status",
            "sent_on",
            "reply_due_on",
            "replied_on",
            "reply",
            "evidence_sha256",
            "objection",
            "objection_on",
            "objection_ruling",
            "proposal",
            "proposed_on",
            "decision",
            "report_due_on",
            "reported_on",
            "report",
            "publication",
            "published_on",
            "closed_on",
            "officer_measures",
            "history",
        }
    ),
}


def parse_lines(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Read an export back: every line a record of a known schema with exactly its fields.
    Raises ValueError naming the line."""
    out = []
    for n, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"第{n}行不是有效的JSON") from exc
        if not isinstance(record, dict) or record.get("schema") not in _FIELDS:
            raise ValueError(f"第{n}行：未知的记录类型")
        expected = _FIELDS[record["schema"]]
        if set(record) != expected:
            wrong = sorted(set(record) ^ expected)
            raise ValueError(f"第{n}行：字段不符：{'、'.join(wrong)}")
        rule = record.get("rule") if record["schema"] == ITEM_SCHEMA else None
        if rule is not None and rule not in RULES_BY_CODE:
            raise ValueError(f"第{n}行：未知的监督规则“{rule}”")
        for key in (
            "raised_on",
            "due_on",
            "closed_on",
            "published_on",
            "on",
            "sent_on",
            "reply_due_on",
            "replied_on",
            "report_due_on",
            "reported_on",
        ):
            if record.get(key) is not None:
                dt.date.fromisoformat(record[key])
        out.append(record)
    return out


# --- the nightly run ------------------------------------------------------------------------

EXPORT_TIMER = "supervision_export"


def _next_run() -> dt.datetime:
    now = clock.now().astimezone(SHANGHAI)
    due = now.replace(hour=settings.SUPERVISION_EXPORT_HOUR, minute=0, second=0, microsecond=0)
    return due if due > now else due + dt.timedelta(days=1)


def export_path(day: dt.date) -> Path:
    return Path(settings.SUPERVISION_EXPORT_DIR) / f"supervision-{day:%Y%m%d}.jsonl"


def export_schedule() -> Timer:
    """Arm the nightly export: the worker (run_worker) fires it and it re-arms itself."""
    with transaction.atomic():
        return timer_start(kind=EXPORT_TIMER, subject="nightly", due_at=_next_run())


def _export_fired(timer: Timer) -> None:
    """One file per day, from the day before the timer fell due to yesterday (a worker that was
    down catches up)."""
    day = timer.due_at.astimezone(SHANGHAI).date() - dt.timedelta(days=1)
    last = max(day, clock.today() - dt.timedelta(days=1))
    while day <= last:
        write_export(export_path(day), since=day, until=day)
        day += dt.timedelta(days=1)
    timer_start(kind=EXPORT_TIMER, subject=timer.subject, due_at=_next_run())


register_timer_handler(EXPORT_TIMER, _export_fired)
