"""The demo's 双随机抽查: 城管局's 名录库 (60 invented targets), one 抽查事项, one plan frozen and
drawn, and one of its drawn targets inspected (the rest wait in the inspectors' 待办)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from inspections import random_services as rs
from inspections.models import RandomPlan
from law.validators import make_credit_code
from orgs.models import Unit, User

TITLE = "城市管理领域户外广告设施双随机抽查（演示）"
CATEGORIES = ("户外广告", "餐饮服务", "建筑工地")
STREETS = ("柳园路", "东昌路", "兴华路", "花园路", "建设路", "湖南路")


def _targets_csv() -> bytes:
    lines = ["名称,统一社会信用代码,类别,地址,风险等级,类型"]
    for k in range(60):
        category = CATEGORIES[k % 3]
        grade = "ABCD"[k % 4 if k % 7 else 3]
        person = k % 10 == 9
        name = (
            f"聊城市{'某某' if not person else '王某'}{k + 1}号{'商店' if person else '有限公司'}"
        )
        code = make_credit_code(f"{'92' if person else '91'}371502MA{k:07d}"[:17])
        kind = "个体工商户" if person else "单位"
        lines.append(f"{name},{code},{category},东昌府区{STREETS[k % 6]}{k + 1}号,{grade},{kind}")
    return ("\n".join(lines) + "\n").encode()


@transaction.atomic
def random_demo_load(*, today: dt.date) -> None:
    cgj = Unit.objects.filter(code="371500-CGJ").first()
    if cgj is None or RandomPlan.objects.filter(unit=cgj, title=TITLE).exists():
        return
    chief = User.objects.get(username="371500-cgj-chief")
    rs.targets_import(actor=chief, filename="演示名录.csv", content=_targets_csv())
    matter = rs.matter_save(
        actor=chief,
        code="CG-SJ-001",
        name="户外广告设施设置情况检查",
        basis="《城市市容和环境卫生管理条例》第十一条",
        checklist=["是否取得设置许可", "设施是否安全牢固", "内容是否与许可一致"],
    )
    plan = rs.plan_create(
        actor=chief,
        title=TITLE,
        matter_id=matter.pk,
        categories=["户外广告", "餐饮服务"],
        ratios={"A": "5", "B": "5", "C": "10", "D": "20"},
        ratio_confirmed=True,
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=21),
    )
    rs.plan_freeze(actor=chief, plan_id=plan.pk)
    rs.plan_draw(actor=chief, plan_id=plan.pk)
    first = plan.tasks.select_related("lead").order_by("order").first()
    if first is None:
        return
    rs.task_complete(
        actor=first.lead,
        task_id=first.pk,
        checked_on=today,
        items=[{"passed": True, "note": ""}] * 3,
        result="no_problem",
        note="现场检查，户外广告设施已取得许可，安全牢固。",
    )
