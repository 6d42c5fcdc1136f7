"""manage.py publish --user NAME [--apply]: what is due for publication in the user's scope (the
penalty decisions to publish or withdraw, with their limits; the 双随机 plans whose results are
ready), and with --apply publishes what the user may publish: approved penalty decisions and
fully checked plans of the user's unit, through the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disclosure import selectors as disclosure_selectors
from disclosure.models import Publication
from disclosure.services import publication_publish
from inspections import random_services as rs
from inspections.models import RandomPlan
from inspections.random_selectors import random_plans_for_user
from orgs.models import User
from procedure.engine import Refused
from zhifa import clock


def _date(day: Any) -> str:
    return day.isoformat() if day else "—"


class Command(BaseCommand):
    help = "列出待公示（处罚决定、双随机抽查结果）和待撤回的事项；--apply 发布本人可发布的"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="用户名（列出其数据范围内的事项）")
        parser.add_argument("--apply", action="store_true", help="发布本人可以发布的事项")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{options['user']}”不存在或已停用")
        today = clock.today()
        out = self.stdout.write
        refused = 0
        rows = disclosure_selectors.queue(user)
        out(f"处罚决定公示（{len(rows)}）")
        for r in rows:
            late = " 已超期" if r.publish_overdue else ""
            withdraw = f" 撤回期限{_date(r.withdraw_due)}" if r.withdraw_due else ""
            out(f"  {r.decision.number} {r.state} 公示期限{_date(r.publish_due)}{late}{withdraw}")
            pub = r.publication
            if options["apply"] and pub is not None and pub.status == Publication.Status.APPROVED:
                try:
                    publication_publish(decision_id=r.decision.pk, actor=user)
                    out("    已发布")
                except Refused as e:
                    refused += 1
                    out(f"    未发布：{'；'.join(e.errors)}")
        plans = [
            p
            for p in random_plans_for_user(user).filter(status=RandomPlan.Status.DRAWN)
            if p.checks_ended_on is not None
        ]
        out(f"双随机抽查结果待公示（{len(plans)}）")
        for p in plans:
            late = " 已超期" if p.publish_due_on and today > p.publish_due_on else ""
            out(f"  {p.plan_no} {p.title} 公示期限{_date(p.publish_due_on)}{late}")
            if options["apply"] and p.unit_id == user.unit_id:
                try:
                    rs.plan_publish(actor=user, plan_id=p.pk)
                    out("    已公示")
                except Refused as e:
                    refused += 1
                    out(f"    未公示：{'；'.join(e.errors)}")
        if refused:
            raise CommandError(f"{refused}项未能发布")
