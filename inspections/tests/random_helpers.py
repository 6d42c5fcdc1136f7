"""Shared set-up of the 双随机 tests: a 名录 file, a matter, a plan of 城管局."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspections import random_services as rs
from inspections.models import RandomPlan
from law.validators import make_credit_code

HEADER = "名称,统一社会信用代码,类别,地址,风险等级,类型\n"


def code(k: int) -> str:
    return make_credit_code(f"91371500MA{k:07d}")


def csv_of(n: int, category: str = "餐饮", grade: str = "B", start: int = 0) -> bytes:
    rows = [
        f"聊城市某某{k}号有限公司,{code(k)},{category},聊城市东昌府区{k}号,{grade},单位\n"
        for k in range(start, start + n)
    ]
    return (HEADER + "".join(rows)).encode()


def plan_for(org: Any, n: int = 40, **changes: Any) -> RandomPlan:
    rs.targets_import(actor=org.chief, filename="名录.csv", content=csv_of(n))
    matter = rs.matter_save(
        actor=org.chief,
        code="SJ-CG-01",
        name="户外广告设施设置情况检查",
        basis="城市市容和环境卫生管理条例",
        checklist=["是否取得设置许可", "设施是否安全牢固"],
    )
    data: dict[str, Any] = {
        "actor": org.chief,
        "title": "2025年第一季度户外广告双随机抽查",
        "matter_id": matter.pk,
        "categories": ["餐饮"],
        "ratios": rs.default_ratios(),
        "ratio_confirmed": True,
        "starts_on": dt.date(2025, 3, 3),
        "ends_on": dt.date(2025, 3, 31),
    }
    data.update(changes)
    return rs.plan_create(**data)


def drawn_plan(org: Any, n: int = 40, **changes: Any) -> RandomPlan:
    plan = plan_for(org, n, **changes)
    rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    return rs.plan_draw(actor=org.chief, plan_id=plan.pk)
