"""Demo 投诉举报: a few complaints at each status, filed and handled through the services."""

from __future__ import annotations

import datetime as dt

from complaints.models import Complaint
from complaints.services import (
    complaint_accept,
    complaint_conclude,
    complaint_file,
    complaint_reject,
    complaint_submit,
    complaint_transfer,
)
from law.validators import make_credit_code
from orgs.models import Unit, User
from zhifa import clock


def complaints_demo_load(*, by_code: dict[str, Unit]) -> None:
    """Idempotent: nothing is added once the demo has complaints."""
    if Complaint.objects.exists():
        return
    cgj, scjg = by_code["371500-CGJ"], by_code["371500-SCJG"]

    def user(unit: Unit, suffix: str) -> User:
        return User.objects.get(username=f"{unit.code.lower()}-{suffix}")

    chief, handler = user(cgj, "chief"), user(cgj, "handler1")
    supervisor = user(by_code["371500-SFJ"], "supervisor")
    n = iter(range(1, 100))

    def file(unit: Unit | None, facts: str, place: str, days_ago: int, phone: str = "") -> int:
        with clock.frozen_at(clock.now() - dt.timedelta(days=days_ago)):
            c = complaint_submit(
                unit=unit.pk if unit is not None else "unknown",
                facts=facts,
                place=place,
                happened_on=clock.today() - dt.timedelta(days=1),
                contact_name="市民" if phone else "",
                contact_phone=phone,
                ip=f"192.0.2.{next(n)}",
            )
        return c.pk

    # 待受理: one fresh, one past its 受理 limit (in 城管局's 待办), one the public could not place.
    file(cgj, "柳园路夜市烧烤摊占用人行道经营，油烟扰民。", "东昌府区柳园路与兴华路路口", 1)
    file(cgj, "小区东门外有人擅自设置大型户外广告牌。", "东昌府区花园路明珠小区东门", 15)
    unplaced = file(None, "超市销售过期食品。", "东昌府区东关街某超市", 2, "13900001111")
    # 受理
    accepted = file(cgj, "建筑工地夜间施工噪声扰民。", "东昌府区建设路工地", 3, "13900002222")
    complaint_accept(complaint_id=accepted, actor=chief)
    # 不予受理
    rejected = file(cgj, "邻居家装修噪音。", "东昌府区光岳路某小区", 4)
    complaint_reject(
        complaint_id=rejected,
        actor=chief,
        reason="反映的是住宅室内装修噪声，属于物业管理和民事纠纷范围，请向物业或社区反映。",
    )
    # 已立案
    filed = file(cgj, "商铺门前违规设置落地灯箱广告。", "东昌府区振兴路23号", 5, "13900003333")
    complaint_accept(complaint_id=filed, actor=chief)
    party = {
        "kind": "organisation",
        "name": "聊城市振兴商贸有限公司",
        "id_number": make_credit_code("91371500MA3C7QX01"),
        "address": "聊城市东昌府区振兴路23号",
    }
    complaint_file(complaint_id=filed, actor=handler, parties=[party])
    # 办结
    done = file(cgj, "道路两侧乱堆建筑垃圾。", "东昌府区湖南路东段", 9)
    complaint_accept(complaint_id=done, actor=chief)
    complaint_conclude(
        complaint_id=done, actor=chief, result="已责令责任单位清运建筑垃圾，现场已恢复整洁。"
    )
    # The dispatcher passes the unplaced one on to the 市场监管局.
    complaint_transfer(complaint_id=unplaced, actor=supervisor, unit_id=scjg.pk)
