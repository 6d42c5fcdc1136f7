"""非现场执法 (治超): an officer's review of a weigh-in-motion overload record. Pure.

A flagged record is confirmed (it becomes a case in the general procedure, source 监测发现) or
dismissed with a reason. 行政处罚法第四十一条: records of an electronic monitoring device may be
used only when the device passed its 法制和技术审核 and the record is true, clear, complete and
accurate; the party is told promptly and may query it, state its case and defend itself.

Facts the service supplies in `CaseFacts.extra`: device_usable, device_problems, flagged,
duplicate, plate_valid.
"""

from __future__ import annotations

from collections.abc import Iterator

from procedure import guards as g
from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition
from procedure.roles import Role


def usable_as_evidence(facts: CaseFacts, act: Act) -> Iterator[str]:
    """行政处罚法第四十一条: only records of a reviewed, valid device are evidence."""
    if not facts.extra.get("device_usable"):
        problems = "；".join(facts.extra.get("device_problems", [])) or "设备未经审核"
        yield (
            f"该检测设备的记录不能作为证据：{problems}"
            "（《行政处罚法》第四十一条：电子技术监控设备应经法制和技术审核）"
        )
    if not facts.extra.get("flagged"):
        yield "该记录未超过限定标准（含允许误差），不能确认为超限"
    if facts.extra.get("duplicate"):
        yield "该记录是同一车辆同一次通行的重复记录，请审核首条记录"
    if not facts.extra.get("plate_valid"):
        yield "车牌未能识别，不能确认当事人"


NONSITE_REVIEW = Procedure(
    code="nonsite_review",
    name="治超非现场执法审核",
    first="wim_review",
    steps=(
        Step(
            "wim_review",
            "超限数据审核",
            "审核",
            frozenset({Role.HANDLER}),
            (
                Transition(
                    "confirm",
                    "确认超限，立案调查",
                    END,
                    "confirmed",
                    guards=(usable_as_evidence,),
                ),
                Transition("dismiss", "排除", END, "dismissed", guards=(g.reason_given,)),
            ),
            guards=(g.actor_certified,),
        ),
    ),
)
