"""Reads over the catalogue: its per-jurisdiction settings, and the matters a unit may use."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from catalog.models import HearingThreshold, Matter
from law.rules import HearingThresholds
from orgs.models import Region, Unit
from procedure.engine import Refused


class HearingThresholdsNotSet(Refused):
    """No 较大数额 is configured for a unit's region nor the two regions above it."""


def hearing_thresholds_for(unit: Unit) -> HearingThresholds:
    """The 较大数额 thresholds of 行政处罚法第六十三条 that apply to ``unit``.

    The setting of the unit's own region wins, then its parent region's, then the grandparent's
    (county → city → province). Raises :class:`HearingThresholdsNotSet` (a ``Refused``, so an
    action needing the figures is refused with the reason) when none of them has one.
    """
    region = unit.region
    codes = [region.code, region.parent_code]
    if region.parent_code:
        parent = Region.objects.filter(code=region.parent_code).first()
        if parent is not None:
            codes.append(parent.parent_code)
    found = {t.region_code: t for t in HearingThreshold.objects.filter(region_code__in=codes)}
    for code in codes:
        if code in found:
            return found[code].as_thresholds()
    raise HearingThresholdsNotSet(
        [f"{region.name}尚未设置听证“较大数额”标准（《行政处罚法》第六十三条），请系统管理员配置"]
    )


PICK_LIMIT = 50


def matters_for_unit(unit_id: int | None) -> QuerySet[Matter]:
    """The matters a unit may register cases under: those it implements, and those whose
    implementing units are not listed (the catalogue names none)."""
    return Matter.objects.filter(
        Q(implementing_units=unit_id) | Q(implementing_units__isnull=True)
    ).distinct()


def matters_matching(qs: QuerySet[Matter], text: str) -> QuerySet[Matter]:
    """Matters with every word of the text in the name or code, or in the law or article
    violated or applied (《城乡规划法》, 第六十四条…)."""
    for term in text.replace("\x00", "").strip()[:50].split():
        qs = qs.filter(
            Q(code__icontains=term)
            | Q(name__icontains=term)
            | Q(violated_law__icontains=term)
            | Q(violated_article__icontains=term)
            | Q(basis_law__icontains=term)
            | Q(basis_article__icontains=term)
        )
    return qs


def matters_search(unit_id: int | None, text: str, limit: int = PICK_LIMIT) -> list[Matter]:
    """The matter picker: the unit's matters matching the text, by code."""
    return list(matters_matching(matters_for_unit(unit_id), text).order_by("code")[:limit])
