"""The statistics forms counted straight from the raw rows, the way supervision.selectors did
before the summary (cases.counts): the reference the summary's forms are compared with."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Round

from cases.models import Case, Decision, Review
from coercion.models import CoerciveMeasure, Enforcement
from inspections.models import Inspection
from orgs.models import Unit
from supervision.selectors import Period, _add, _cents_to_wan, _Rows
from supervision.tables import FORMS


def _penalty(layout: _Rows, period: Period, cells: list[dict[str, Any]]) -> None:
    in_tree = Q(unit__path__startswith=layout.path)
    for col, name in (
        ("filed", "filed_on"),
        ("closed", "closed_on"),
        ("transferred", "transferred_on"),
    ):
        for r in (
            Case.objects.filter(in_tree, period.q(name)).values("unit_id").annotate(n=Count("id"))
        ):
            _add(cells, layout, r["unit_id"], col, r["n"])
    decisions = (
        Decision.objects.filter(
            period.q("decided_on"), outcome="penalty", case__unit__path__startswith=layout.path
        )
        .values("case__unit_id", "heaviest")
        .annotate(n=Count("id"), cents=Sum(Round(F("total_amount") * 100)))
        .order_by()
    )
    for r in decisions:
        _add(cells, layout, r["case__unit_id"], f"type_{r['heaviest'] or 'other'}", r["n"])
        _add(cells, layout, r["case__unit_id"], "amount", _cents_to_wan(r["cents"]))
    reviews = (
        Review.objects.filter(
            period.q("filed_on"), decision__case__unit__path__startswith=layout.path
        )
        .values("decision__case__unit_id", "kind")
        .annotate(n=Count("id"), corrected=Count("id", filter=Q(result="corrected")))
        .order_by()
    )
    for r in reviews:
        unit_id = r["decision__case__unit_id"]
        if r["kind"] == "reconsideration":
            _add(cells, layout, unit_id, "reconsidered", r["n"])
            _add(cells, layout, unit_id, "reconsideration_corrected", r["corrected"])
        else:
            _add(cells, layout, unit_id, "litigated", r["n"])
            _add(cells, layout, unit_id, "litigation_lost", r["corrected"])


def _coercion(layout: _Rows, period: Period, cells: list[dict[str, Any]]) -> None:
    for model, prefix in ((CoerciveMeasure, "m_"), (Enforcement, "e_")):
        rows = (
            model.objects.filter(period.q("on"), case__unit__path__startswith=layout.path)
            .values("case__unit_id", "type")
            .annotate(n=Count("id"))
            .order_by()
        )
        for r in rows:
            _add(cells, layout, r["case__unit_id"], f"{prefix}{r['type']}", r["n"])


def _inspection(layout: _Rows, period: Period, cells: list[dict[str, Any]]) -> None:
    rows = (
        Inspection.objects.filter(period.q("on"), unit__path__startswith=layout.path)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        _add(cells, layout, r["unit_id"], "inspections", r["n"])


FILL = {"penalty": _penalty, "coercion": _coercion, "inspection": _inspection}


def raw_cells(form: str, root: Unit, period: Period) -> list[dict[str, Any]]:
    """The counted cells of a form's rows (the totals columns of the 行政强制 form left out)."""
    layout = _Rows(root)
    cells = layout.empty(FORMS[form])
    FILL[form](layout, period, cells)
    return cells
