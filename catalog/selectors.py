"""Reads over the catalogue: its per-jurisdiction settings, and the matters a unit may use."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from catalog.models import HearingThreshold, Matter
from law.rules import HearingThresholds
from orgs.models import Region, Unit
from procedure.engine import Refused
from zhifa.rows import Columns


class HearingThresholdsNotSet(Refused):
    """No 较大数额 is configured for a unit's region nor the two regions above it."""


_THRESHOLDS: dict[str, tuple[str, Columns]] = {}


def _thresholds_statement() -> tuple[str, Columns]:
    """hearing_thresholds_for's one statement for the default connection, built once: the unit's
    region, its parent's parent code, and the settings of the (up to) three codes."""
    found = _THRESHOLDS.get(connection.vendor)
    if found is not None:
        return found
    qn = connection.ops.quote_name
    threshold = Columns(HearingThreshold, "t")
    region = qn(Region._meta.db_table)
    sql = (
        f"SELECT r.{qn('name')}, r.code, r.parent_code, p.code, p.parent_code, {threshold.sql} "
        f"FROM {region} r "
        f"LEFT JOIN {region} p ON r.parent_code <> '' AND p.code = r.parent_code "
        f"LEFT JOIN {qn(HearingThreshold._meta.db_table)} t "
        "ON t.region_code = r.code OR t.region_code = r.parent_code "
        "OR (p.code IS NOT NULL AND t.region_code = p.parent_code) "
        "WHERE r.code = %s"
    )
    built = (sql, threshold)
    _THRESHOLDS[connection.vendor] = built
    return built


def hearing_thresholds_for(unit: Unit) -> HearingThresholds:
    """The 较大数额 thresholds of 行政处罚法第六十三条 that apply to ``unit``.

    The setting of the unit's own region wins, then its parent region's, then the grandparent's
    (county → city → province). Raises :class:`HearingThresholdsNotSet` (a ``Refused``, so an
    action needing the figures is refused with the reason) when none of them has one. One
    statement built once (a step reads it at 告知).
    """
    sql, threshold = _thresholds_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.region_id])
        rows = cursor.fetchall()
    if not rows:
        raise Region.DoesNotExist(f"Region {unit.region_id} does not exist")
    name, code, parent_code, parent, grandparent_code = rows[0][:5]
    codes = [code, parent_code]
    if parent_code and parent is not None:
        codes.append(grandparent_code)
    found: dict[str, HearingThreshold] = {}
    for row in rows:
        if row[5] is not None:
            setting: HearingThreshold = threshold.build(row, 5)
            found[setting.region_code] = setting
    for each in codes:
        if each in found:
            return found[each].as_thresholds()
    raise HearingThresholdsNotSet(
        [f"{name}尚未设置听证“较大数额”标准（《行政处罚法》第六十三条），请系统管理员配置"]
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
