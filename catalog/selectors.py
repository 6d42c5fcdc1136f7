"""Reads over the catalogue's per-jurisdiction settings."""

from __future__ import annotations

from catalog.models import HearingThreshold
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
