"""A supervision matter (监督事项) under the 行政执法监督条例 (2026) as a transition table. Pure.

States and who moves them:

    opened ─send─▶ sent ─answer─▶ answered ─close─▶ closed
                    │  ▲                 │
                    │  └──── return ─────┘   (the supervisor sends an answer back)
                    ├─object─▶ objected ─accept─▶ closed   (第三十条: the objection holds)
                    │              └────reject─▶ sent      (must correct; a new period runs)
    sent/answered ─propose─▶ proposed ─decide─▶ decided ─report─▶ reported ─close─▶ closed
                   (ignored or major: 处理建议 to the 本级人民政府, 第二十九条)

``publish`` (通报/公开, 第三十一条) and ``recommend`` (officer measures, 第三十二条) record
alongside the state and do not move it. The service supplies the facts (state, the actor's side,
whether the reply period has passed without an answer or the answer came late, whether the matter
is major); the guards here say what is refused, in Chinese.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

ARTICLE_27 = "《行政执法监督条例》第二十七条"
ARTICLE_28 = "《行政执法监督条例》第二十八条"
ARTICLE_29 = "《行政执法监督条例》第二十九条"
ARTICLE_30 = "《行政执法监督条例》第三十条"
ARTICLE_31 = "《行政执法监督条例》第三十一条"
ARTICLE_32 = "《行政执法监督条例》第三十二条"
ARTICLE_33 = "《行政执法监督条例》第三十三条第三款"


class State(StrEnum):
    OPENED = "opened"
    SENT = "sent"
    OBJECTED = "objected"
    ANSWERED = "answered"
    PROPOSED = "proposed"
    DECIDED = "decided"
    REPORTED = "reported"
    CLOSED = "closed"


STATE_LABELS: dict[State, str] = {
    State.OPENED: "待发函",
    State.SENT: "待答复",
    State.OBJECTED: "异议待决定",
    State.ANSWERED: "已答复",
    State.PROPOSED: "已提出处理建议",
    State.DECIDED: "政府已决定",
    State.REPORTED: "已报告",
    State.CLOSED: "已办结",
}


class Side(StrEnum):
    """Which side of the matter the actor is on: the supervisor of the unit's subtree, or the
    supervised agency (its 业务科长 or 分管局长)."""

    SUPERVISOR = "supervisor"
    AGENCY = "agency"


@dataclass(frozen=True)
class Action:
    code: str
    name: str
    side: Side
    sources: frozenset[State]
    target: State | None  # None: recorded alongside, the state does not move


_ALIVE = frozenset(State) - {State.OPENED, State.CLOSED}


ACTIONS: dict[str, Action] = {
    a.code: a
    for a in (
        Action("send", "发函", Side.SUPERVISOR, frozenset({State.OPENED}), State.SENT),
        Action("answer", "答复整改情况", Side.AGENCY, frozenset({State.SENT}), State.ANSWERED),
        Action("object", "提出异议", Side.AGENCY, frozenset({State.SENT}), State.OBJECTED),
        Action(
            "accept_objection",
            "异议成立",
            Side.SUPERVISOR,
            frozenset({State.OBJECTED}),
            State.CLOSED,
        ),
        Action(
            "reject_objection",
            "异议不成立",
            Side.SUPERVISOR,
            frozenset({State.OBJECTED}),
            State.SENT,
        ),
        Action("return", "退回重新整改", Side.SUPERVISOR, frozenset({State.ANSWERED}), State.SENT),
        Action(
            "propose",
            "提出处理建议",
            Side.SUPERVISOR,
            frozenset({State.SENT, State.ANSWERED}),
            State.PROPOSED,
        ),
        Action(
            "decide", "登记政府决定书", Side.SUPERVISOR, frozenset({State.PROPOSED}), State.DECIDED
        ),
        Action(
            "report", "报告决定执行情况", Side.AGENCY, frozenset({State.DECIDED}), State.REPORTED
        ),
        Action(
            "close",
            "办结",
            Side.SUPERVISOR,
            frozenset({State.OPENED, State.ANSWERED, State.REPORTED}),
            State.CLOSED,
        ),
        Action("publish", "通报/公开", Side.SUPERVISOR, _ALIVE | {State.CLOSED}, None),
        Action("recommend", "建议处理执法人员", Side.SUPERVISOR, _ALIVE | {State.CLOSED}, None),
        Action(
            "measure_decide", "登记有权机关决定", Side.SUPERVISOR, _ALIVE | {State.CLOSED}, None
        ),
    )
}

SIDE_REFUSALS = {
    Side.SUPERVISOR: "只有本级或上级执法监督员可以办理该操作",
    Side.AGENCY: "只有被监督单位的业务科长或分管局长可以办理该操作",
}


@dataclass(frozen=True)
class MatterFacts:
    state: State
    sides: frozenset[Side]  # the sides the actor is on for this matter
    ignored: bool = False  # the reply period passed without an answer, or the answer came late
    major: bool = False


def refusals(code: str, facts: MatterFacts) -> list[str]:
    """Every reason the action is refused now; empty when allowed."""
    action = ACTIONS.get(code)
    if action is None:
        return [f"操作“{code}”无效"]
    out: list[str] = []
    if action.side not in facts.sides:
        out.append(SIDE_REFUSALS[action.side])
    if facts.state not in action.sources:
        out.append(f"监督事项当前状态为“{STATE_LABELS[facts.state]}”，不能{action.name}")
    if code == "propose" and not (facts.ignored or facts.major):
        out.append(
            f"只有被监督单位逾期未答复（整改）或者属于重大事项，才能提请本级人民政府处理（{ARTICLE_29}）"
        )
    return out


def target(code: str, state: State) -> State:
    """The state after an allowed action."""
    action = ACTIONS[code]
    return action.target or state


REVIEW_KIND_LABELS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}


def open_refusals(pending_reviews: Collection[str]) -> list[str]:
    """第三十三条第三款: no matter on a decision under pending 复议 or 诉讼; the dispute belongs
    there. ``pending_reviews``: the kinds (reconsideration, litigation) still undecided."""
    # In the order the law names them: 复议 before 诉讼.
    order = list(REVIEW_KIND_LABELS)
    kinds = [REVIEW_KIND_LABELS[k] for k in sorted(set(pending_reviews), key=order.index)]
    if not kinds:
        return []
    channel = "、".join(kinds)
    return [
        f"该案件的处罚决定正在{channel}中，不能立为监督事项；有关争议应通过{channel}程序解决"
        f"（{ARTICLE_33}）"
    ]
