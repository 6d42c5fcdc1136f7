"""投诉举报 handled by the unit it is addressed to, as a step table. Pure.

A member of the public files the complaint (no step: the service records it); it waits at
受理审查 in the queue of the unit it names, or of the city's dispatcher (the justice bureau) when
the complainant did not know. There the unit accepts it (受理), refuses it with the reason the
complainant reads (不予受理), or transfers it to another unit (转办; the dispatcher can only
transfer, since it enforces nothing itself). An accepted complaint becomes a lead (立案: 案源登记
with source 投诉举报, step 1 of the general procedure, by a 承办人) or is closed with a short public
result (办结); a complaint that became a lead is closed the same way when its outcome is known.

Facts the service supplies in `CaseFacts.extra`: unit_kind (the addressed unit's kind),
target (the unit a transfer names: {"id", "kind"} or None), and at (the step the complaint waits
at, END once closed, so an action on a complaint another officer has just moved is refused).
"""

from __future__ import annotations

from collections.abc import Iterator

from law.complaints import MAX_REASON
from procedure.engine import END, Act, CaseFacts, Procedure, Step, Transition, on_field
from procedure.roles import Role

# Who decides on 受理 and transfers: the section chief, the director, and the dispatcher's
# supervisor. Who registers the lead: the 承办人 (案源登记 is theirs). Who closes: either.
DECIDERS = frozenset({Role.SECTION_CHIEF, Role.DEPUTY_DIRECTOR, Role.SUPERVISOR})
HANDLERS = frozenset({Role.HANDLER, Role.SECTION_CHIEF})
FILERS = frozenset({Role.HANDLER})
# Units that enforce, and so may accept a complaint and open a lead.
ENFORCING_KINDS = frozenset({"agency", "township"})

STATUS_LABELS = {
    "pending": "待受理",
    "accepted": "受理",
    "rejected": "不予受理",
    "filed": "已立案",
    "concluded": "办结",
}


def _text(act: Act, name: str) -> str:
    return str(act.data.get(name, "")).strip()


def still_here(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra.get("at") != facts.step:
        yield "该投诉举报已被他人处理，请刷新后查看"


def enforcing_unit(facts: CaseFacts, act: Act) -> Iterator[str]:
    if facts.extra.get("unit_kind") not in ENFORCING_KINDS:
        yield "本单位不是执法单位，不能直接受理，请转办至主管的执法单位"


def reason_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    reason = _text(act, "reason")
    if not reason:
        yield "请填写不予受理的理由（将告知投诉举报人）"
    elif len(reason) > MAX_REASON:
        yield f"理由不能超过{MAX_REASON}字"


on_field("reason")(reason_given)


def result_given(facts: CaseFacts, act: Act) -> Iterator[str]:
    result = _text(act, "result")
    if not result:
        yield "请填写办理结果（将向投诉举报人公开，不写个人信息）"
    elif len(result) > MAX_REASON:
        yield f"办理结果不能超过{MAX_REASON}字"


on_field("result")(result_given)


def transfer_target(facts: CaseFacts, act: Act) -> Iterator[str]:
    target = facts.extra.get("target")
    if target is None:
        yield "请选择转办的单位"
    elif target["id"] == facts.unit_id:
        yield "不能转办给本单位"
    elif target["kind"] not in ENFORCING_KINDS | {"justice"}:
        yield "只能转办给执法单位或司法行政机关"


on_field("unit")(transfer_target)


def filer_only(facts: CaseFacts, act: Act) -> Iterator[str]:
    if not act.roles & FILERS:
        yield "立案（案源登记）须由承办人办理"


COMPLAINT = Procedure(
    code="complaint",
    name="投诉举报",
    first="complaint_intake",
    steps=(
        Step(
            "complaint_intake",
            "投诉举报受理审查",
            "受理",
            DECIDERS,
            (
                Transition("accept", "受理", "complaint_handling", guards=(enforcing_unit,)),
                Transition("reject", "不予受理", END, "rejected", guards=(reason_given,)),
                Transition("transfer", "转办", "complaint_intake", guards=(transfer_target,)),
            ),
            requires=(still_here,),
        ),
        Step(
            "complaint_handling",
            "投诉举报办理",
            "办理",
            HANDLERS,
            (
                Transition("file", "立案（登记案源）", "complaint_filed", guards=(filer_only,)),
                Transition("conclude", "办结", END, "concluded", guards=(result_given,)),
            ),
            requires=(still_here,),
        ),
        Step(
            "complaint_filed",
            "已立案",
            "办理",
            HANDLERS,
            (Transition("conclude", "办结", END, "concluded", guards=(result_given,)),),
            requires=(still_here,),
        ),
    ),
)

# Where each step leaves the complaint, as the complainant reads it.
STATUS_OF_STEP = {
    "complaint_intake": "pending",
    "complaint_handling": "accepted",
    "complaint_filed": "filed",
}
