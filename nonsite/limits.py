"""Gross-weight limits of goods vehicles and the overload verdict of a weigh-in-motion record.

Pure: no Django imports.

The limits are those of 《超限运输车辆行驶公路管理规定》(交通运输部令2016年第62号) 第三条第一款
第（四）至（八）项, which take over the maximum gross masses of GB 1589-2016 《汽车、挂车及汽车列车
外廓尺寸、轴荷及质量限值》 (4.2):

  (四) 二轴货车 18,000 kg
  (五) 三轴货车 25,000 kg; 三轴汽车列车 27,000 kg
  (六) 四轴货车 31,000 kg; 四轴汽车列车 36,000 kg
  (七) 五轴汽车列车 43,000 kg
  (八) 六轴及六轴以上汽车列车 49,000 kg; 牵引车驱动轴为单轴的 46,000 kg

A vehicle is 超限 when its gross mass *exceeds* (超过) the figure. Not applied here, because a
weigh-in-motion record does not carry what they need: 第三条第二款第（二）项 (3,000 kg less for each
axle with single tyres) and 第（四）项 (tractors, farm and low-speed vehicles: the figure in the
driving licence). An officer checks those when reviewing.

The measuring tolerance is not a national constant here: the rules of each jurisdiction (and the
class of the certified scale) decide it, so it is a per-jurisdiction setting (`NonsiteRule`), and
with none configured the tolerance is zero, i.e. the statutory figures exactly. The yellow/red
split is ours (see `classify`), also a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CITATION = "《超限运输车辆行驶公路管理规定》第三条"


class VehicleType(StrEnum):
    TRUCK = "truck"  # 货车 (a rigid goods vehicle)
    COMBINATION = "combination"  # 汽车列车 (tractor and semi-trailer, or truck and trailer)


VEHICLE_LABELS = {VehicleType.TRUCK: "货车", VehicleType.COMBINATION: "汽车列车"}
AXLE_LABELS = {2: "二轴", 3: "三轴", 4: "四轴", 5: "五轴"}


class Flag(StrEnum):
    NONE = ""
    YELLOW = "yellow"  # over the limit beyond the tolerance
    RED = "red"  # over the limit by the red threshold or more


FLAG_LABELS = {Flag.NONE: "未超限", Flag.YELLOW: "黄色（超限）", Flag.RED: "红色（严重超限）"}


def gross_limit_kg(axles: int, vehicle_type: VehicleType, single_drive_axle: bool = False) -> int:
    """The gross-mass limit of 第三条第一款 for an axle configuration; ValueError if none."""
    if axles < 2:
        raise ValueError("货车至少有两个轴")
    if axles == 2:
        if vehicle_type == VehicleType.COMBINATION:
            raise ValueError("没有二轴汽车列车的限定标准")
        return 18_000  # (四)
    if axles == 3:
        return 25_000 if vehicle_type == VehicleType.TRUCK else 27_000  # (五)
    if axles == 4:
        return 31_000 if vehicle_type == VehicleType.TRUCK else 36_000  # (六)
    if axles == 5:
        return 43_000  # (七)
    return 46_000 if single_drive_axle else 49_000  # (八)


def configuration_label(axles: int, vehicle_type: VehicleType) -> str:
    prefix = AXLE_LABELS.get(axles, "六轴及以上")
    return prefix + VEHICLE_LABELS[vehicle_type]


@dataclass(frozen=True)
class Verdict:
    limit_kg: int
    allowed_kg: int  # the limit plus the measuring tolerance
    over_kg: int  # gross minus the limit (negative when under it)
    over_pct: Decimal  # over_kg as a percentage of the limit, 2 places
    flag: Flag


def classify(*, gross_kg: int, limit_kg: int, tolerance_pct: Decimal, red_pct: Decimal) -> Verdict:
    """Yellow: the gross mass exceeds the limit plus the tolerance. Red: it exceeds the limit by
    `red_pct` percent or more (and the tolerance). Anything up to limit + tolerance is not flagged.

    The allowed mass is rounded down to the kilogram, so a record exactly at it is not flagged and
    one kilogram more is.
    """
    allowed = int((Decimal(limit_kg) * (1 + tolerance_pct / 100)).to_integral_value("ROUND_FLOOR"))
    over = gross_kg - limit_kg
    pct = (Decimal(over) * 100 / limit_kg).quantize(Decimal("0.01"), ROUND_HALF_UP)
    flag = Flag.NONE
    if gross_kg > allowed:
        # Compared exactly, not on the rounded percentage.
        flag = Flag.RED if Decimal(over) * 100 >= red_pct * limit_kg else Flag.YELLOW
    return Verdict(limit_kg=limit_kg, allowed_kg=allowed, over_kg=over, over_pct=pct, flag=flag)
