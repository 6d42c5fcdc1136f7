"""The vehicle-registry adapter: who owns a plate and how to reach them.

Production asks the 公安交管 vehicle registry through its interface; the demo and the tests use
`LocalVehicleRegistry`, which reads the Vehicle table. Both 城警联动 (the owner's phone for the
SMS) and 非现场执法 (the party of an overload case) use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from joint.models import Vehicle


@dataclass(frozen=True)
class Owner:
    plate: str
    kind: str  # person | organisation
    name: str
    id_number: str
    phone: str
    address: str
    vehicle_type: str


class VehicleRegistry(Protocol):
    def lookup(self, plate: str) -> Owner | None: ...


class LocalVehicleRegistry:
    def lookup(self, plate: str) -> Owner | None:
        v = Vehicle.objects.filter(plate=plate).first()
        if v is None:
            return None
        return Owner(
            plate=v.plate,
            kind=v.owner_kind,
            name=v.owner_name,
            id_number=v.owner_id_number,
            phone=v.owner_phone,
            address=v.owner_address,
            vehicle_type=v.vehicle_type,
        )


_registry: VehicleRegistry = LocalVehicleRegistry()


def registry() -> VehicleRegistry:
    return _registry
