"""Demo 执法监督事项 (行政执法监督条例 2026) of 聊城市城市管理局: one at each stage of the flow,
an objection decided each way, a 处理建议 with the government's 决定书 and its report, officer
measures. Through the services, as the supervisor and the bureau's section chief would act.
Loaded once: nothing when any matter exists."""

from __future__ import annotations

from typing import Any

from django.db import transaction

CGJ = "371500-CGJ"
SUPERVISOR = "371500-sfj-supervisor"


def _matter(supervisor: Any, unit: Any, item: Any, title: str, facts: str, **kw: Any) -> Any:
    from procedure.engine import Refused
    from supervision import matters

    if item is not None:
        try:
            with transaction.atomic():
                return matters.matter_open(
                    actor=supervisor,
                    source="irregularity",
                    item_id=item.pk,
                    title=title,
                    facts=facts,
                    **kw,
                )
        except Refused:  # e.g. the item's case is under 复议 or 诉讼 (第三十三条): by hand instead
            pass
    return matters.matter_open(
        actor=supervisor, source="manual", unit=unit, title=title, facts=facts, **kw
    )


def oversight_demo_load() -> int:
    """The demo matters; returns how many exist afterwards."""
    from orgs.models import Unit, User
    from supervision import matters
    from supervision.models import Item, Matter
    from zhifa import clock

    if Matter.objects.exists():
        return Matter.objects.count()
    unit = Unit.objects.filter(code=CGJ).first()
    supervisor = User.objects.filter(username=SUPERVISOR).first()
    chief = User.objects.filter(username=f"{CGJ.lower()}-chief").first()
    director = User.objects.filter(username=f"{CGJ.lower()}-director").first()
    handler = User.objects.filter(username=f"{CGJ.lower()}-handler1").first()
    if unit is None or supervisor is None or chief is None or director is None:
        return 0
    if handler is None:
        return 0
    items = list(Item.objects.filter(unit=unit).exclude(rule="").order_by("pk")[:3])

    def item(i: int) -> Any:
        return items[i] if i < len(items) else None

    def send(m: Any, instrument: str, demand: str) -> Any:
        return matters.matter_send(
            actor=supervisor, matter_id=m.pk, instrument=instrument, demand=demand
        )

    with transaction.atomic():
        matters.matter_open(
            actor=supervisor,
            source="complaint",
            unit=unit,
            channel="12345",
            listed=True,
            title="群众反映占道经营执法不作为（待发函）",
            facts="12345热线工单反映某路段长期占道经营，多次投诉未见处理",
        )
        waiting = _matter(
            supervisor,
            unit,
            item(0),
            "处罚决定未按期公示（待答复）",
            "处罚决定作出后超过法定期限未公示",
        )
        send(waiting, "opinion", "请于期限内公示该处罚决定，并报告整改情况")
        objected = _matter(
            supervisor, unit, item(1), "对占道经营投诉未予处理（异议待决定）", "投诉登记后未予处理"
        )
        send(objected, "urge", "请依法履行查处职责，并于期限内书面报告办理情况")
        matters.matter_object(
            actor=chief,
            matter_id=objected.pk,
            reason="该投诉已于受理当日移交属地街道办事处处理，并非本局不作为",
        )
        rejected = _matter(
            supervisor,
            unit,
            item(2),
            "罚款数额超出裁量基准（异议不成立）",
            "罚款数额高于裁量基准上限",
        )
        send(rejected, "opinion", "请依照裁量基准重新审查并纠正")
        matters.matter_object(actor=chief, matter_id=rejected.pk, reason="裁量适用正确")
        matters.matter_objection_decide(
            actor=supervisor,
            matter_id=rejected.pk,
            accept=False,
            ruling="经核查，罚款数额高于裁量基准上限且未说明理由，异议不成立，请限期纠正",
        )
        answered = _matter(
            supervisor, unit, None, "执法全过程记录缺失（已答复）", "查封现场未全程音像记录"
        )
        send(answered, "opinion", "请完善执法全过程记录制度并报告整改情况")
        matters.matter_answer(
            actor=chief,
            matter_id=answered.pk,
            reply="已为执法人员配备执法记录仪并组织培训，今后查封扣押一律全程音像记录",
        )
        decided = _matter(
            supervisor,
            unit,
            None,
            "违法建设拆除程序违法（政府已决定）",
            "未依法催告即强制拆除",
            major=True,
        )
        send(decided, "opinion", "请纠正违法强制拆除行为，依法赔偿")
        matters.matter_propose(
            actor=supervisor,
            matter_id=decided.pk,
            proposal="建议市人民政府责令市城市管理局纠正违法行为，并对直接责任人员依法处理",
        )
        matters.matter_decide(
            actor=supervisor,
            matter_id=decided.pk,
            decided_on=clock.today(),
            number=f"聊政监决〔{clock.today().year}〕1号",
            content="责令市城市管理局于30日内纠正违法强制拆除行为，并报告纠正情况",
        )
        measure = matters.measure_recommend(
            actor=supervisor,
            matter_id=decided.pk,
            officer=handler.username,
            measure="retraining",
            reason="未依法催告即组织强制拆除",
        )
        matters.measure_decide(
            actor=supervisor,
            measure_id=measure.pk,
            authority="聊城市城市管理局",
            decision="给予离岗教育一个月",
            decided_on=clock.today(),
        )
        proposed = _matter(
            supervisor,
            unit,
            None,
            "重大行政处罚未经法制审核（已提出处理建议）",
            "未经法制审核即作出决定",
            major=True,
        )
        send(proposed, "opinion", "请撤销该决定并依法重新作出")
        matters.matter_propose(
            actor=supervisor, matter_id=proposed.pk, proposal="建议市人民政府责令撤销该处罚决定"
        )
        reported = _matter(
            supervisor, unit, None, "行政检查超范围（已报告）", "检查事项超出检查计划", major=True
        )
        send(reported, "opinion", "请规范行政检查")
        matters.matter_propose(actor=supervisor, matter_id=reported.pk, proposal="建议责令改正")
        matters.matter_decide(
            actor=supervisor,
            matter_id=reported.pk,
            decided_on=clock.today(),
            number=f"聊政监决〔{clock.today().year}〕3号",
            content="责令改正并报告",
        )
        matters.matter_report(actor=chief, matter_id=reported.pk, report="已修订行政检查计划")
        closed = _matter(
            supervisor,
            unit,
            None,
            "扣押物品清单不规范（已办结）",
            "扣押物品清单未载明数量",
            major=True,
        )
        send(closed, "opinion", "请规范扣押物品清单")
        matters.matter_propose(actor=supervisor, matter_id=closed.pk, proposal="建议责令改正")
        matters.matter_decide(
            actor=supervisor,
            matter_id=closed.pk,
            decided_on=clock.today(),
            number=f"聊政监决〔{clock.today().year}〕2号",
            content="责令改正",
        )
        matters.matter_report(actor=director, matter_id=closed.pk, report="已逐案补正扣押物品清单")
        matters.matter_publish(
            actor=supervisor,
            matter_id=closed.pk,
            kind="circulate",
            text="对市城市管理局扣押物品清单不规范问题予以通报",
        )
        matters.matter_close(actor=supervisor, matter_id=closed.pk, note="已整改到位")
    return Matter.objects.count()
