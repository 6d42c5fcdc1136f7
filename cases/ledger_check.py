"""The case rows against their ledger streams (ledger.services.register_check): a case is a
projection of its stream, so a case without its stream, or whose step is not the one its last
step entry led to, was changed behind the record.

One pass over the cases in chunks of CHUNK ids: per chunk one query for the cases and one for
the registration and step entries of their streams (the (stream, seq) index). Imported cases are
skipped: the old system's record is the import's own stream (exchange)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cases.models import Case
from ledger.chain import Break
from ledger.models import Entry
from procedure.engine import END
from procedure.general import GENERAL
from procedure.simple import SIMPLE

CHUNK = 2000
_OPEN = "case_open"
# The entries that move a case's step: its procedures' own steps (recusal, preservation,
# reviews and the modules write on the stream too, but never move the step).
_STEPS = frozenset(GENERAL.codes) | frozenset(SIMPLE.codes)
_FIRST = {GENERAL.code: GENERAL.first, SIMPLE.code: SIMPLE.first}
_NAMES = {s.code: s.name for p in (GENERAL, SIMPLE) for s in p.steps} | {END: "结束"}


def _name(step: str) -> str:
    return f"“{_NAMES.get(step, step)}”"


def _expected(action: str, payload: Any) -> str | None:
    if action == _OPEN:
        return _FIRST.get(str(payload.get("procedure")))
    nxt = payload.get("next") if isinstance(payload, dict) else None
    return str(nxt) if nxt else None


def check_cases(stream: str | None = None) -> Iterator[Break]:
    cases = Case.objects.filter(imported=False).order_by("pk")
    if stream is not None:
        if not stream.startswith("case:") or not stream[5:].isdigit():
            return
        cases = cases.filter(pk=int(stream[5:]))
    rows = cases.values_list("pk", "case_no", "lead_no", "step", "status")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1][0]
        yield from _check_chunk(chunk)


def _check_chunk(chunk: list[tuple[int, str, str, str, str]]) -> Iterator[Break]:
    first: dict[str, str] = {}
    moved: dict[str, tuple[int, str | None]] = {}
    entries = (
        Entry.objects.filter(stream__in=[f"case:{pk}" for pk, *_ in chunk])
        .filter(action__in=[*_STEPS, _OPEN])
        .order_by("stream", "seq")
        .values_list("stream", "seq", "action", "payload")
    )
    for name, seq, action, payload in entries.iterator(chunk_size=5000):
        if seq == 1:
            first[name] = action
        moved[name] = (seq, _expected(action, payload))
    for pk, case_no, lead_no, step, status in chunk:
        name, number = f"case:{pk}", case_no or lead_no or f"#{pk}"
        if name not in moved:
            yield Break(name, 1, f"案件{number}没有登记记录（记录链缺失或被删除）")
            continue
        if first.get(name) not in (GENERAL.first, _OPEN):
            yield Break(name, 1, f"案件{number}的首条记录不是案件登记")
            continue
        seq, expected = moved[name]
        if step != expected:
            yield Break(
                name,
                seq,
                f"案件{number}的当前环节{_name(step)}与最后一条环节记录"
                f"（{_name(expected or '')}）不符：环节被改动而未记录",
            )
        elif (status == Case.Status.CLOSED) != (step == END):
            yield Break(name, seq, f"案件{number}的状态与其环节记录不符：状态被改动而未记录")
