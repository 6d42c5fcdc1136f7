from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from catalog.models import HearingThreshold, Matter
from law.limits import TIME_BAR
from law.rules import HearingThresholds
from orgs.models import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def matters_load(path: Path | None = None) -> int:
    """Load (upsert) the 权责清单 from its JSON file; returns the number of matters."""
    rows: list[dict[str, Any]] = json.loads(
        (path or DATA_DIR / "matters.json").read_text(encoding="utf-8")
    )
    units = {u.code: u for u in Unit.objects.all()}
    for r in rows:
        band = r.get("legal_band") or {}
        matter, _ = Matter.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "kind": r.get("kind", "penalty"),
                "domain": r.get("domain", ""),
                "violated_law": (r.get("violated") or {}).get("law", ""),
                "violated_article": (r.get("violated") or {}).get("article", ""),
                "basis_law": r["basis"]["law"],
                "basis_article": r["basis"]["article"],
                "basis_text": r["basis"].get("text", ""),
                "penalty_types": r.get("penalty_types", []),
                "legal_min": Decimal(band["min"]) if band else None,
                "legal_max": Decimal(band["max"]) if band else None,
                "multiple": r.get("multiple"),
                "bands": r.get("bands"),
                "bands_source": r.get("bands_source", ""),
                "time_bar_years": r.get("time_bar_years", TIME_BAR.amount),
                "major": r.get("major", False),
                "lenient": r.get("lenient"),
                "own_enforcement_power": bool((r.get("enforcement_power") or {}).get("granted")),
                "enforcement_power_basis": (r.get("enforcement_power") or {}).get("basis", ""),
                "enforcement_power_scope": (r.get("enforcement_power") or {}).get("scope", ""),
                "valid_from": _date(r.get("valid_from")),
                "valid_until": _date(r.get("valid_until")),
            },
        )
        matter.implementing_units.set(
            [units[c] for c in r.get("implementing_units", []) if c in units]
        )
    return len(rows)


def hearing_threshold_set(*, region_code: str, thresholds: HearingThresholds, source: str) -> None:
    HearingThreshold.objects.update_or_create(
        region_code=region_code,
        defaults={
            "fine_person": thresholds.fine_person,
            "fine_organisation": thresholds.fine_organisation,
            "confiscation_person": thresholds.confiscation_person,
            "confiscation_organisation": thresholds.confiscation_organisation,
            "source": source,
        },
    )
