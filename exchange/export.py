"""Exporting the exchange format: the records of a subtree (and year) as JSON Lines, in the form
``exchange.load.import_lines`` reads back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from cases.models import Case, Decision, Review
from exchange.records import CASE_SCHEMA, INSPECTION_SCHEMA
from inspections.models import Inspection
from orgs.models import Unit


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.01')):f}"


def cases_for_export(*, unit: Unit | None = None, year: int | None = None) -> QuerySet[Case]:
    """Filed cases of a subtree; with a year, those with any event the forms count in it."""
    qs = Case.objects.exclude(filed_on=None)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if year is not None:
        y = Q(filed_on__year=year) | Q(closed_on__year=year) | Q(transferred_on__year=year)
        y |= Q(decisions__decided_on__year=year) | Q(decisions__reviews__filed_on__year=year)
        y |= Q(coercive_measures__on__year=year) | Q(enforcements__on__year=year)
        qs = qs.filter(pk__in=Case.objects.filter(y).values("pk"))
    return qs.order_by("pk")


def case_record(case: Case) -> dict[str, Any]:
    unit = case.unit
    reviews: dict[tuple[int, str], Review] = {}
    decisions = {d.party_id: d for d in case.decisions.all()}
    for d in decisions.values():
        for r in d.reviews.all():
            reviews[(d.pk, r.kind)] = r

    def review(d: Decision, kind: str) -> dict[str, Any] | None:
        r = reviews.get((d.pk, kind))
        return None if r is None else {"filed_on": _day(r.filed_on), "result": r.result or None}

    parties = []
    for p in case.parties.all():
        pd = decisions.get(p.pk)
        parties.append(
            {
                "kind": p.kind,
                "name": p.name,
                "id_number": p.id_number or None,
                "decision": None
                if pd is None
                else {
                    "no": pd.number,
                    "decided_on": _day(pd.decided_on),
                    "outcome": pd.outcome,
                    "penalties": [
                        {"type": i.type}
                        if i.amount is None
                        else {"type": i.type, "amount": _money(i.amount)}
                        for i in sorted(pd.items.all(), key=lambda i: i.pk)
                    ],
                    "reconsideration": review(pd, "reconsideration"),
                    "litigation": review(pd, "litigation"),
                },
            }
        )
    return {
        "schema": CASE_SCHEMA,
        "unit": {"code": unit.code, "name": unit.name, "region": unit.region_id},
        "case_no": case.case_no,
        "procedure": case.procedure,
        "matter": None
        if case.matter is None
        else {"code": case.matter.code, "name": case.matter.name},
        "source": case.source,
        "filed_on": _day(case.filed_on),
        "closed_on": _day(case.closed_on),
        "transferred_on": _day(case.transferred_on),
        "parties": parties,
        # Measures carried out (a proposed or rejected one has no date and was never applied).
        "coercive_measures": [
            {"type": m.type, "on": _day(m.on)}
            for m in sorted(case.coercive_measures.all(), key=lambda m: m.pk)
            if m.on is not None
        ],
        "enforcements": [
            {"type": e.type, "on": _day(e.on)}
            for e in sorted(case.enforcements.all(), key=lambda e: e.pk)
        ],
    }


def inspection_record(i: Inspection) -> dict[str, Any]:
    return {
        "schema": INSPECTION_SCHEMA,
        "unit": {"code": i.unit.code, "name": i.unit.name, "region": i.unit.region_id},
        "inspection_no": i.inspection_no,
        "on": _day(i.on),
        "kind": i.kind,
        "targets": [
            {"kind": t.kind, "name": t.name, "id_number": t.id_number or None}
            for t in i.targets.all()
        ],
        "result": i.result,
    }


def export_lines(*, unit: Unit | None = None, year: int | None = None) -> Iterator[str]:
    """The records of a subtree (and year) as JSON Lines, cases first, then inspections."""
    cases = cases_for_export(unit=unit, year=year).select_related("unit", "matter")
    cases = cases.prefetch_related(
        "parties", "decisions__items", "decisions__reviews", "coercive_measures", "enforcements"
    )
    for case in cases.iterator(chunk_size=2000):
        yield json.dumps(case_record(case), ensure_ascii=False, separators=(",", ":"))
    insp = Inspection.objects.select_related("unit").prefetch_related("targets").order_by("pk")
    if unit is not None:
        insp = insp.filter(unit__path__startswith=unit.path)
    if year is not None:
        insp = insp.filter(on__year=year)
    for i in insp.iterator(chunk_size=2000):
        yield json.dumps(inspection_record(i), ensure_ascii=False, separators=(",", ":"))


def dump(records: Iterable[Mapping[str, Any]]) -> str:
    """JSON Lines text of records (tests and the benchmark generator)."""
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
