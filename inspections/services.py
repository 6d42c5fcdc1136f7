"""Writes of 行政检查: an inspection recorded by an officer of its unit, with its ledger entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction

from cases import counts
from inspections.models import Inspection, InspectionTarget
from law.validators import credit_code_errors, id_card_errors
from ledger.services import ledger_append
from orgs.models import User
from procedure.engine import Refused
from procedure.roles import CASE_ROLES
from zhifa import clock


def _target_errors(n: int, t: dict[str, Any]) -> list[str]:
    kind, name, number = (
        t.get("kind"),
        str(t.get("name") or "").strip(),
        str(t.get("id_number") or ""),
    )
    if kind not in InspectionTarget.Kind.values:
        return [f"第{n}个检查对象的类型无效"]
    errors = [] if name else [f"第{n}个检查对象的名称不能为空"]
    if kind == "person":
        errors += [f"第{n}个检查对象：{e}" for e in id_card_errors(number)]
    elif kind == "organisation":
        errors += [f"第{n}个检查对象：{e}" for e in credit_code_errors(number)]
    return errors


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    inspection_no: str,
    on: dt.date,
    kind: str,
    result: str,
    targets: Sequence[dict[str, Any]],
) -> Inspection:
    """Record an inspection of the actor's unit (the 行政检查 form counts it on its date)."""
    if actor.unit is None or not actor.role_set & CASE_ROLES:
        raise Refused(["只有执法单位的执法人员可以登记行政检查"])
    errors: list[str] = []
    if not inspection_no.strip():
        errors.append("检查编号不能为空")
    if on > clock.today():
        errors.append("检查日期不能晚于今天")
    if kind not in Inspection.Kind.values:
        errors.append("检查类型无效")
    if result not in Inspection.Result.values:
        errors.append("检查结果无效")
    if not targets:
        errors.append("至少应当有一个检查对象")
    for n, t in enumerate(targets, start=1):
        errors += _target_errors(n, t)
    if errors:
        raise Refused(errors)
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                unit=actor.unit,
                inspection_no=inspection_no.strip(),
                on=on,
                kind=kind,
                result=result,
            )
    except IntegrityError:
        raise Refused([f"检查编号“{inspection_no}”已存在"]) from None
    counts.count(inspection.unit_id, on, counts.INSPECTION)
    InspectionTarget.objects.bulk_create(
        InspectionTarget(
            inspection=inspection,
            index=n,
            kind=t["kind"],
            name=str(t["name"]).strip(),
            id_number=str(t.get("id_number") or "").strip().upper(),
        )
        for n, t in enumerate(targets, start=1)
    )
    ledger_append(
        stream=f"inspection:{inspection.pk}",
        action="inspection_record",
        payload={
            "no": inspection.inspection_no,
            "on": on,
            "kind": kind,
            "result": result,
            "targets": len(targets),
        },
        actor_id=actor.pk,
        actor_name=actor.full_name or actor.username,
        role=next(r.value for r in CASE_ROLES if actor.has_role(r)),
    )
    return inspection
