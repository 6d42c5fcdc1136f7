"""What an action on a record of a case answers over the API (issue 13 item 4): what it did —
the record's new step, the limits it started or stopped, its entry on the case's record — and
no re-read of the record or of the case's other records (the whole list is one GET away)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from cases.models import Party
from cases.runner import Done


class LimitMoveOut(Schema):
    code: str
    name: str
    party: int | None = Field(description="当事人序号（案件层面的期限为空）")
    due_on: dt.date
    status: str
    moved: Literal["started", "stopped", "cancelled"] = Field(
        description="started 起算；stopped 停止计算（按期或逾期）；cancelled 结案时终止"
    )


class EntryRefOut(Schema):
    seq: int = Field(description="本案全过程记录中的序号")
    hash: str = Field(description="该条记录的哈希（SM3链）")
    action: str


class RecordStepOut(Schema):
    """一项记录（行政强制措施、强制执行、证据先行登记保存、回避）办理一个环节后的应答：该记录新的环节、
    本次起算或停止的期限、全过程记录的序号和哈希。该记录的全貌和案件的其他记录请用相应的 GET。"""

    case_id: int
    record: Literal["measure", "enforcement", "preservation", "recusal"] = Field(
        description="measure 行政强制措施；enforcement 强制执行；preservation 证据先行登记保存；"
        "recusal 回避"
    )
    record_id: int
    step: str = Field(description="办理后的环节（end 已结束）")
    step_name: str
    status: str = Field(description="结果或状态（未结束时可为空）")
    decision: str = Field(description="本次所作的决定")
    limits: list[LimitMoveOut]
    entry: EntryRefOut


def limit_moves(case_id: int, done: Done) -> list[dict[str, Any]]:
    """The limits an action moved, each party named by its index in the case (read only when a
    limit of a party moved)."""
    index: dict[int, int] = {}
    if any(m.party_id is not None for m in done.limits):
        index = dict(Party.objects.filter(case_id=case_id).values_list("pk", "index"))
    return [
        {
            "code": m.code,
            "name": m.name,
            "party": index.get(m.party_id) if m.party_id is not None else None,
            "due_on": m.due_on,
            "status": m.status,
            "moved": m.moved,
        }
        for m in done.limits
    ]


def record_step_answer(
    *,
    case_id: int,
    record: str,
    record_id: int,
    step: str,
    step_name: str,
    status: str,
    done: Done,
) -> dict[str, Any]:
    entry = done.entry
    assert entry is not None  # an action that ran appended its entry
    return {
        "case_id": case_id,
        "record": record,
        "record_id": record_id,
        "step": step,
        "step_name": step_name,
        "status": status,
        "decision": done.decision,
        "limits": limit_moves(case_id, done),
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }


def lean(whole: str) -> str:
    """The OpenAPI description of an action answering with RecordStepOut; `whole` the GET that
    reads the record whole."""
    return (
        "不符合条件时返回422及全部理由，不作任何改动。办理成功时只应答该记录新的环节、"
        f"本次起算或停止的期限和全过程记录的序号与哈希；记录全貌请 GET {whole}。"
    )
