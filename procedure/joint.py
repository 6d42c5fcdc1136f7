"""城警联动 违法停车 (seed 002): the joint team's parking report as a step table. Pure.

现场取证 (two photos, plate, place) → SMS 预提醒 and 限时驶离 (10 minutes) → driven away in time:
no penalty; otherwise → 交警审核: approved and uploaded to the 公安交管集成指挥平台 for the
penalty, or a first offence warned (免罚轻罚清单, 行政处罚法第三十三条 首违不罚 in its
warning form), or returned to the officer with the reason → 《违法停车提示单》 printed and posted
on the car, which completes the notice (告知程序).

Facts the service supplies in `CaseFacts.extra`: now, window_ends_at, scene_photos,
departure_photos, plate_errors, place, first_offence, first_offence_days, notice_printed,
owner_claimed_at, owner_claim_pending.

The owner's "已驶离" through the SMS link is a claim (owner_claim), made within the window; an
officer checks it and confirms it (drove_away via owner: no penalty) or rejects it with the
reason (claim_reject). While a claim waits, the window's timer does not send the report to the
traffic police; a claim rejected after the window sends it there at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from procedure import guards as g
from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition
from procedure.roles import Role

OFFICER = frozenset({Role.HANDLER})
TRAFFIC = frozenset({Role.TRAFFIC_REVIEWER})
MIN_SCENE_PHOTOS = 2


def report_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    yield from facts.extra.get("plate_errors", [])
    if facts.extra.get("scene_photos", 0) < MIN_SCENE_PHOTOS:
        yield f"请至少拍摄{MIN_SCENE_PHOTOS}张现场照片（车辆全貌及号牌、违停位置）"
    if not str(facts.extra.get("place", "")).strip():
        yield "请填写违停地点（无法定位时手工填写）"


def within_window(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Driven away in time: the officer's photo now, or the owner's claim made within the
    window (confirmed by the officer afterwards)."""
    at = facts.extra["now"]
    if act.data.get("via") == "owner" and facts.extra.get("owner_claimed_at") is not None:
        at = facts.extra["owner_claimed_at"]
    if at > facts.extra["window_ends_at"]:
        yield "已超过限时驶离期限，不能再按驶离办结，记录已转交警审核"


def no_pending_claim(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra.get("owner_claim_pending"):
        yield "已收到车主的驶离确认，正等待执法人员核实"


def owner_only(facts: CaseFacts, act: Act) -> Iterator[str]:
    if act.actor_id:
        yield "驶离确认由车主通过短信链接提交；执法人员请拍照确认驶离"


def claim_pending(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not facts.extra.get("owner_claim_pending"):
        yield "没有待核实的车主驶离确认"


def window_open(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra["now"] > facts.extra["window_ends_at"]:
        yield "限时驶离期限已届满"


def window_elapsed(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra["now"] < facts.extra["window_ends_at"]:
        yield "限时驶离期限尚未届满"


def departure_shown(facts: CaseFacts, act: Act) -> Iterator[str]:
    """The car is gone: an officer's photo of the empty place, or the owner's claim through the
    SMS link that an officer has checked. The owner's word alone decides nothing."""
    via = act.data.get("via")
    if via == "officer" and facts.extra.get("departure_photos", 0) < 1:
        yield "请拍摄车辆驶离后的现场照片"
    elif via == "owner" and not facts.extra.get("owner_claim_pending"):
        yield "车主尚未确认驶离"
    elif via == "owner" and not act.actor_id:
        yield "车主的驶离确认须经执法人员核实"
    elif via not in {"officer", "owner"}:
        yield "驶离须由执法人员拍照确认或核实车主的确认"


def first_offence(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not facts.extra.get("first_offence"):
        days = facts.extra.get("first_offence_days")
        yield (
            f"该车辆{days}日内已有违停处罚或警告记录，不属于首次违法，不适用首违警告"
            "（免罚轻罚清单）"
        )


def evidence_complete(facts: CaseFacts, act: Act) -> Iterator[str]:
    """Only evidence that is complete and correct is uploaded (seed 002: 取证规范、确认无误)."""
    if facts.extra.get("scene_photos", 0) < MIN_SCENE_PHOTOS:
        yield "现场照片不足，证据不完整，应退回补正"
    yield from facts.extra.get("plate_errors", [])


def correction_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not str(act.data.get("note", "")).strip():
        yield "请说明补正的内容"


def notice_printed(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not facts.extra.get("notice_printed"):
        yield "请先打印《违法停车提示单》再确认张贴"


JOINT_PARKING = Procedure(
    code="joint_parking",
    name="城警联动违法停车",
    first="park_report",
    steps=(
        Step(
            "park_report",
            "现场取证",
            "取证",
            OFFICER,
            (Transition("submit", "提交并短信提醒车主", "park_window"),),
            guards=(g.actor_certified, report_complete),
        ),
        Step(
            "park_window",
            "限时驶离",
            "提醒",
            OFFICER,
            (
                Transition(
                    "drove_away",
                    "已驶离，不予处罚",
                    END,
                    "no_penalty",
                    guards=(within_window, departure_shown),
                ),
                # The owner through the SMS link (no login): recorded, decides nothing.
                Transition(
                    "owner_claim",
                    "车主确认已驶离（待核实）",
                    "park_window",
                    guards=(owner_only, window_open, no_pending_claim),
                ),
                Transition(
                    "claim_reject",
                    "核实未驶离，不采纳车主确认",
                    "park_window",
                    guards=(claim_pending, g.reason_given),
                ),
                # Taken by the worker when the window's timer fires.
                Transition(
                    "expire",
                    "逾期未驶离，转交警审核",
                    "park_review",
                    guards=(window_elapsed, no_pending_claim),
                ),
            ),
        ),
        Step(
            "park_review",
            "交警审核",
            "审核",
            TRAFFIC,
            (
                Transition(
                    "approve",
                    "审核通过，上传交管平台处罚",
                    "park_notice",
                    "penalty",
                    guards=(evidence_complete,),
                ),
                Transition(
                    "warn",
                    "首次违法，警告",
                    "park_notice",
                    "warning",
                    guards=(evidence_complete, first_offence),
                ),
                Transition("reject", "证据不规范，退回", "park_correct", guards=(g.reason_given,)),
            ),
            guards=(g.actor_certified,),
        ),
        Step(
            "park_correct",
            "退回补正",
            "取证",
            OFFICER,
            (
                Transition("resubmit", "补正后重新提交", "park_review", guards=(correction_given,)),
                Transition("withdraw", "撤回", END, "withdrawn", guards=(g.reason_given,)),
            ),
            guards=(g.actor_certified, g.actor_is_handler),
        ),
        Step(
            "park_notice",
            "张贴提示单",
            "告知",
            OFFICER,
            (Transition("posted", "已张贴《违法停车提示单》", END, guards=(notice_printed,)),),
            guards=(g.actor_certified,),
            document="parking_notice",
        ),
    ),
)
