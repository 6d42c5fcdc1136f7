"""manage.py draw PLAN --user NAME: 双随机摇号 of a frozen plan from the command line, with the
same checks and ledger entry as the page and the API (random_services.plan_draw)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspections import random_services as rs
from inspections.models import RandomPlan
from inspections.random_selectors import verify_plan
from orgs.models import User
from procedure.engine import Refused


def plan_of(raw: str) -> RandomPlan:
    """A plan by its 计划编号 or its id."""
    plan = RandomPlan.objects.filter(plan_no=raw).first()
    if plan is None and raw.isdigit() and len(raw) < 10:
        plan = RandomPlan.objects.filter(pk=int(raw)).first()
    if plan is None:
        raise CommandError(f"抽查计划“{raw}”不存在")
    return plan


class Command(BaseCommand):
    help = "双随机摇号：公布种子，按公开算法在冻结的名录上抽取检查对象和检查人员"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="计划编号或计划id")
        parser.add_argument("--user", required=True, help="摇号人（本单位业务科长或分管局长）")
        parser.add_argument(
            "--freeze", action="store_true", help="只冻结名录并公布种子承诺值（摇号前一步）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{options['user']}”不存在或已停用")
        plan = plan_of(options["plan"])
        try:
            if options["freeze"]:
                plan = rs.plan_freeze(actor=user, plan_id=plan.pk)
            else:
                plan = rs.plan_draw(actor=user, plan_id=plan.pk)
        except Refused as e:
            raise CommandError("；".join(e.errors)) from None
        out = self.stdout.write
        out(f"{plan.plan_no} {plan.title}：{plan.get_status_display()}")
        out(f"名录SM3 {plan.pools_hash}")
        out(f"种子承诺值 {plan.commitment}")
        if options["freeze"]:
            return
        out(f"种子 {plan.seed}")
        for t in plan.tasks.select_related("lead", "second").order_by("order"):
            out(f"{t.order:>4} {t.reg_no} {t.grade} {t.lead}、{t.second}")
        v = verify_plan(plan)
        out(f"核验：{'一致' if v.ok else '不一致'}")
        out(f"公开数据：/{settings.PUBLIC_SITE_PREFIX}choucha/{plan.pk}/data.json")
