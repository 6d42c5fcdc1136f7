"""保存草稿: a half-written step form kept for the officer who wrote it, until the step is taken.

A draft decides nothing, so it is no ledger entry and runs no guard: it is checked only
loosely (the form's shape, a size limit, no NUL character) and the step's own validation
applies when the form is submitted. Only an officer the case's current step waits for keeps a
draft of it; taking the step deletes every draft of it (cases.services.steps).
"""

from __future__ import annotations

import json
from typing import Any

from cases.models import Case, StepDraft
from orgs.models import User
from procedure.engine import Refused
from zhifa import clock

# A form's fields as JSON: far above any step's form (the 调查终结报告 of ten parties), far
# below what would burden the table.
DRAFT_MAX_BYTES = 64 * 1024
DRAFT_MAX_DEPTH = 6


def _clean(value: Any, depth: int = 0) -> Any:
    """The posted shape with NUL characters removed; anything else than text, lists and
    objects of them becomes text."""
    if depth > DRAFT_MAX_DEPTH:
        raise Refused(["草稿的层级过深"])
    if isinstance(value, dict):
        return {str(k).replace("\x00", ""): _clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, depth + 1) for v in value]
    return str(value).replace("\x00", "")


def draft_save(*, case: Case, step: str, user: User, data: dict[str, Any]) -> StepDraft:
    """Keep (or replace) the user's draft of the case's current step. The caller has checked
    that the step waits for the user (web.selectors.is_waiting_for)."""
    if case.step != step:
        raise Refused([f"案件当前环节已不是“{step}”，草稿未保存，请刷新"])
    cleaned = _clean(data)
    if len(json.dumps(cleaned, ensure_ascii=False).encode()) > DRAFT_MAX_BYTES:
        raise Refused([f"草稿过大（超过{DRAFT_MAX_BYTES // 1024}KB），未保存"])
    draft, _ = StepDraft.objects.update_or_create(
        case=case, step=step, user=user, defaults={"data": cleaned, "saved_at": clock.now()}
    )
    return draft


def draft_discard(*, case: Case, step: str, user: User) -> None:
    StepDraft.objects.filter(case=case, step=step, user=user).delete()
