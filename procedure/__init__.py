"""Procedures as data (step tables) and the one engine that runs them. No Django imports."""

from __future__ import annotations

from procedure.engine import Procedure
from procedure.general import GENERAL
from procedure.simple import SIMPLE

PROCEDURES: dict[str, Procedure] = {p.code: p for p in (GENERAL, SIMPLE)}


def procedure_of_step(code: str) -> Procedure:
    for proc in PROCEDURES.values():
        if code in proc.codes:
            return proc
    raise KeyError(code)


from procedure.joint import JOINT_PARKING  # noqa: E402
from procedure.nonsite import NONSITE_REVIEW  # noqa: E402

PROCEDURES.update({p.code: p for p in (JOINT_PARKING, NONSITE_REVIEW)})
