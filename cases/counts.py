"""The statistics summary: what the forms count, per unit × day × counted event, kept exact on
every write so that a form reads a few hundred thousand summary rows however many cases are held.

One counted event is one upsert (``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n``)
in the transaction of the write that causes it; a write that undoes a count (a re-import replacing
records) subtracts what those rows counted. ``recount`` computes the same rows from the raw tables
(``manage.py stats_summary rebuild|check``).

The events, each on its unit and day (``value`` the breakdown the forms need):
- ``filed``, ``closed``, ``transferred``: a case's 立案 / 结案 / 移送司法机关 day, on its unit;
- ``penalty``: a decision of outcome penalty on its decision day, ``value`` its heaviest type
  ("other" when it has none), with its amount in whole cents;
- ``review`` / ``review_corrected``: a 复议 or 诉讼 (``value`` its kind) on its filing day, and
  the same when its result is a correction (the form counts both by the filing day);
- ``measure`` / ``enforcement``: a coercive measure carried out / an enforcement, ``value`` its
  type (coercion registers their recount);
- ``inspection``: an inspection on its day (inspections registers its recount).

The core never imports a module: coercion and inspections register the recount of their rows
here (``register_recount``) from their ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection

# (unit id, day, event, value) → [n, cents]
Key = tuple[int, dt.date, str, str]
Counts = dict[Key, list[int]]
# A recount: given case ids (None: all), the summary rows their raw rows count.
Recount = Callable[[Sequence[int] | None], Iterable[tuple[Any, ...]]]

FILED, CLOSED, TRANSFERRED = "filed", "closed", "transferred"
PENALTY, REVIEW, REVIEW_CORRECTED = "penalty", "review", "review_corrected"
MEASURE, ENFORCEMENT, INSPECTION = "measure", "enforcement", "inspection"
CASE_DATES = {"filed_on": FILED, "closed_on": CLOSED, "transferred_on": TRANSFERRED}

_CASE_RECOUNTS: list[Recount] = []
_OTHER_RECOUNTS: list[Callable[[], Iterable[tuple[Any, ...]]]] = []


def register_recount(
    by_case: Recount | None = None, other: Callable[[], Iterable[tuple[Any, ...]]] | None = None
) -> None:
    """A module's rows in the recount: ``by_case`` for rows under a case (recounted for given
    cases when a re-import replaces them), ``other`` for rows of their own (the whole recount)."""
    if by_case is not None and by_case not in _CASE_RECOUNTS:
        _CASE_RECOUNTS.append(by_case)
    if other is not None and other not in _OTHER_RECOUNTS:
        _OTHER_RECOUNTS.append(other)


def cents(amount: Decimal | int | str | None) -> int:
    """An amount in whole cents, as the forms sum it (ROUND(amount * 100))."""
    if not amount:
        return 0
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), ROUND_HALF_UP))


def _table() -> str:
    from cases.models import Tally

    return connection.ops.quote_name(Tally._meta.db_table)


def _upsert_sql() -> str:
    t = _table()
    return (
        f"INSERT INTO {t} (unit_id, day, event, value, n, cents) VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (unit_id, day, event, value) DO UPDATE"
        f" SET n = {t}.n + excluded.n, cents = {t}.cents + excluded.cents"
    )


def count(
    unit_id: int, day: dt.date | None, event: str, value: str = "", n: int = 1, amount: int = 0
) -> None:
    """One counted event (``n`` negative to take it back), in the caller's transaction. A day
    not set (a case not yet filed) counts nothing."""
    if day is None or (n == 0 and amount == 0):
        return
    with connection.cursor() as cur:
        cur.execute(_upsert_sql(), [unit_id, day, event, value, n, amount])


def add(counts: Mapping[Key, Sequence[int]], sign: int = 1) -> None:
    """Many counts at once (an import's batch), each key one upsert; ``sign`` -1 subtracts."""
    # In key order: two transactions upserting the same rows take their locks in the same order.
    rows = sorted(
        (unit, day, event, value, sign * n, sign * c)
        for (unit, day, event, value), (n, c) in counts.items()
        if n or c
    )
    if not rows:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # One statement for the lot (arrays unnested on the server), where executemany sends
            # one upsert per key: an import's batch holds some 20,000 keys, half a second each
            # batch that way. The keys are distinct (a mapping), as ON CONFLICT needs.
            columns = [list(column) for column in zip(*rows, strict=True)]
            cur.execute(_upsert_many_sql(), columns)
        else:
            cur.executemany(_upsert_sql(), rows)


def _upsert_many_sql() -> str:
    t = _table()
    return (
        f"INSERT INTO {t} (unit_id, day, event, value, n, cents)"
        " SELECT * FROM unnest(%s::bigint[], %s::date[], %s::text[], %s::text[],"
        " %s::bigint[], %s::bigint[])"
        " ON CONFLICT (unit_id, day, event, value) DO UPDATE"
        f" SET n = {t}.n + excluded.n, cents = {t}.cents + excluded.cents"
    )


def tally(rows: Iterable[tuple[Any, ...]], into: Counts | None = None) -> Counts:
    """Sum rows (unit id, day, event, value, n, cents) by key."""
    out: Counts = {} if into is None else into
    for unit, day, event, value, n, c in rows:
        if day is None:
            continue
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        cell = out.setdefault((int(unit), day, str(event), str(value or "")), [0, 0])
        cell[0] += int(n or 0)
        cell[1] += int(c or 0)
    return out


# --- the call sites' helpers ----------------------------------------------------------------


def case_dates(unit_id: int, before: Mapping[str, Any], case: Any) -> None:
    """A case write that set (or moved) its 立案, 结案 or 移送 day: count the new day, take back
    the old. ``before`` holds the case's values before the write (by attribute name)."""
    for name, event in CASE_DATES.items():
        old, new = before.get(name), getattr(case, name)
        if old != new:
            count(unit_id, old, event, n=-1)
            count(unit_id, new, event)


def decision_issued(unit_id: int, decision: Any) -> None:
    """A decision written: a penalty counts by its heaviest type, with its amount."""
    if decision.outcome == "penalty":
        count(
            unit_id,
            decision.decided_on,
            PENALTY,
            decision.heaviest or "other",
            amount=cents(decision.total_amount),
        )


def review_recorded(unit_id: int, review: Any, *, filed: bool, corrected: bool) -> None:
    """A 复议 or 诉讼 filed, and/or its result recorded as a correction."""
    if filed:
        count(unit_id, review.filed_on, REVIEW, review.kind)
    if corrected:
        count(unit_id, review.filed_on, REVIEW_CORRECTED, review.kind)


# --- recount from the raw rows ---------------------------------------------------------------

_CASE_SQL = """
SELECT c.unit_id, c.{col}, '{event}', '', COUNT(*), 0 FROM cases_case c
 WHERE c.{col} IS NOT NULL {where} GROUP BY c.unit_id, c.{col}
"""
_DECISION_SQL = """
SELECT c.unit_id, d.decided_on, 'penalty', CASE WHEN d.heaviest = '' THEN 'other'
       ELSE d.heaviest END, COUNT(*), SUM(ROUND(d.total_amount * 100))
  FROM cases_decision d JOIN cases_case c ON c.id = d.case_id
 WHERE d.outcome = 'penalty' {where}
 GROUP BY c.unit_id, d.decided_on, CASE WHEN d.heaviest = '' THEN 'other' ELSE d.heaviest END
"""
_REVIEW_SQL = """
SELECT c.unit_id, r.filed_on, 'review', r.kind, COUNT(*), 0
  FROM cases_review r JOIN cases_decision d ON d.id = r.decision_id
  JOIN cases_case c ON c.id = d.case_id
 WHERE 1 = 1 {where} GROUP BY c.unit_id, r.filed_on, r.kind
UNION ALL
SELECT c.unit_id, r.filed_on, 'review_corrected', r.kind, COUNT(*), 0
  FROM cases_review r JOIN cases_decision d ON d.id = r.decision_id
  JOIN cases_case c ON c.id = d.case_id
 WHERE r.result = 'corrected' {where} GROUP BY c.unit_id, r.filed_on, r.kind
"""


def ids_filter(case_ids: Sequence[int] | None, column: str = "c.id") -> tuple[str, list[int]]:
    """The ``AND column IN (…)`` of a recount limited to some cases (none: every case)."""
    if case_ids is None:
        return "", []
    return f"AND {column} IN ({', '.join(['%s'] * len(case_ids))})", list(case_ids)


def _core_rows(case_ids: Sequence[int] | None) -> Iterable[tuple[Any, ...]]:
    where, params = ids_filter(case_ids)
    sqls = [_CASE_SQL.format(col=col, event=event, where=where) for col, event in (
        ("filed_on", FILED), ("closed_on", CLOSED), ("transferred_on", TRANSFERRED)
    )]  # fmt: skip
    sqls += [_DECISION_SQL.format(where=where), _REVIEW_SQL.format(where=where)]
    with connection.cursor() as cur:
        for sql in sqls:
            cur.execute(sql, params * (sql.count(where) if where else 0))
            yield from cur.fetchall()


def recount(case_ids: Sequence[int] | None = None) -> Counts:
    """The summary the raw rows give: of the given cases (their rows and the modules' rows under
    them), or of everything when None."""
    out: Counts = {}
    chunks = [None] if case_ids is None else [
        list(case_ids[i : i + 500]) for i in range(0, len(case_ids), 500)
    ]  # fmt: skip
    for chunk in chunks:
        tally(_core_rows(chunk), out)
        for by_case in _CASE_RECOUNTS:
            tally(by_case(chunk), out)
    if case_ids is None:
        for other in _OTHER_RECOUNTS:
            tally(other(), out)
    return out


def uncount_cases(case_ids: Sequence[int]) -> None:
    """Before the cases are deleted (a re-import replacing them): take back what they count."""
    if case_ids:
        add(recount(case_ids), sign=-1)


def stored() -> Counts:
    """The summary as stored (rows netting to zero left out)."""
    from cases.models import Tally

    rows = Tally.objects.values_list("unit_id", "day", "event", "value", "n", "cents")
    return {k: v for k, v in tally(rows.iterator(chunk_size=10_000)).items() if v != [0, 0]}


def rebuild() -> int:
    """Replace the summary by the recount (the caller holds the transaction); rows written."""
    from cases.models import Tally

    counts = {k: v for k, v in recount().items() if v != [0, 0]}
    Tally.objects.all().delete()
    add(counts)
    return len(counts)


def differences(limit: int = 20) -> list[str]:
    """Where the stored summary and the recount differ, first ``limit`` of them, sorted."""
    have, want = stored(), {k: v for k, v in recount().items() if v != [0, 0]}
    out = []
    for key in sorted(set(have) | set(want), key=lambda k: (k[1], k[0], k[2], k[3])):
        h, w = have.get(key, [0, 0]), want.get(key, [0, 0])
        if h != w:
            unit, day, event, value = key
            out.append(
                f"unit {unit} {day.isoformat()} {event}{'/' + value if value else ''}:"
                f" summary n={h[0]} cents={h[1]}, raw rows n={w[0]} cents={w[1]}"
            )
            if len(out) >= limit:
                break
    return out
