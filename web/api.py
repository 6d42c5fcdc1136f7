"""The 待办 and the step drafts over HTTP: what the home page's list and the case page's
保存草稿 offer, for the phone apps and other agencies' programs.

They read what only the workbench knows (whom a step waits for, the merged 待办), so the
workbench registers this router with the API (web.apps) rather than the API importing the
workbench. Cases out of scope are 404; a refused save is 422 by field and keeps nothing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cases import selectors as case_selectors
from cases.models import StepDraft
from cases.payloads import ErrorOut
from cases.runner import FieldsRefused
from cases.services import drafts as case_drafts
from orgs.models import User
from procedure.engine import Refused
from procedure.roles import ROLE_LABELS, Role
from web import selectors

todo_router = Router(tags=["待办"])
drafts_router = Router(tags=["案件"])

MAX_PAGE = 10_000


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- 待办 -----------------------------------------------------------------------------------


class TodoKindOut(Schema):
    kind: str
    label: str
    count: str = Field(description="件数；超过上限时为“1000+”")


class TodoRowOut(Schema):
    kind: str = Field(description="类别：case（案件办理）或各模块登记的类别")
    kind_label: str
    subject: str = Field(description="对象：案号及当事人，或模块事项的名称")
    asked: str = Field(description="待办的事（环节名称等）")
    url: str = Field(description="办理页面在平台内的链接")
    case_id: int | None = Field(description="案件的ID；非案件的待办为 null")
    count: int
    note: str = Field(description="附注：被退回的案件写明由谁、何时、为何退回")
    due: dt.date | None = Field(description="最早届满的期限；无期限为 null")
    due_name: str
    days_left: int | None = Field(description="距期限届满的天数（已超期为负）")
    days_over: int
    since: dt.date | None


class TodoPageOut(Schema):
    role: str = Field(description="按哪个角色列出待办")
    page: int
    has_next: bool
    total: str = Field(description="待办总数；案件超过上限时带“+”")
    kinds: list[TodoKindOut] = Field(description="各类待办的件数（有待办的类别）")
    items: list[TodoRowOut] = Field(description="按期限（最早在前，无期限在后）再按时间排序")


def _role(user: User, wanted: str | None) -> Role | None:
    held = [r for r in ROLE_LABELS if r in user.role_set]
    if not wanted:
        return held[0] if held else None
    for r in held:
        if r.value == wanted:
            return r
    raise FieldsRefused({"role": ["您不具备该角色"]})


@todo_router.get(
    "",
    response={200: TodoPageOut, 422: ErrorOut},
    summary="本人的待办（与首页待办列表相同，每页50件）",
    description=(
        "按 role 角色列出（不填为本人的第一个角色，本人不具备的角色返回422）；kind 只列一类"
        "（case 为案件办理，其余见应答的 kinds）。只读。"
    ),
)
def todo_list(
    request: HttpRequest,
    role: Annotated[str | None, Field(max_length=30, description="角色代码")] = None,
    kind: Annotated[str, Field(max_length=20, description="只列这一类")] = "",
    page: Annotated[int, Field(ge=1, le=MAX_PAGE, description="页码（每页50件）")] = 1,
) -> Any:
    user = _user(request)
    active = _role(user, role)
    found = selectors.todo_page(user, active, page, kind)
    return {
        "role": active.value if active else "",
        "page": found.number,
        "has_next": found.has_next,
        "total": found.total_label,
        "kinds": [{"kind": k, "label": label, "count": n} for k, label, n in found.counts],
        "items": [
            {
                "kind": r.kind,
                "kind_label": r.kind_label,
                "subject": r.subject,
                "asked": r.asked,
                "url": r.url,
                "case_id": r.case.pk if r.case is not None else None,
                "count": r.count,
                "note": r.note,
                "due": r.due,
                "due_name": r.due_name,
                "days_left": r.days_left,
                "days_over": r.days_over,
                "since": r.since,
            }
            for r in found.rows
        ],
    }


# --- step drafts ------------------------------------------------------------------------------

StepCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]


class StepDraftIn(Schema):
    data: dict[str, Any] = Field(
        description=(
            "办理表单的内容（与办理该环节的请求正文同形，可不完整）；"
            f"不超过{case_drafts.DRAFT_MAX_BYTES // 1024}KB、{case_drafts.DRAFT_MAX_DEPTH}层"
        )
    )


class StepDraftOut(Schema):
    case_id: int
    step: str
    data: dict[str, Any] | None = Field(description="本人保存的草稿；没有草稿为 null")
    saved_at: dt.datetime | None


def _draft(case_id: int, step: str, draft: StepDraft | None) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "step": step,
        "data": draft.data if draft is not None and isinstance(draft.data, dict) else None,
        "saved_at": draft.saved_at if draft is not None else None,
    }


@drafts_router.get(
    "/{case_id}/drafts/{step}",
    response=StepDraftOut,
    summary="读取本人保存的环节草稿",
    description="每人只读到本人的草稿；办理该环节后草稿即删除。只读。",
)
def draft_get(request: HttpRequest, case_id: int, step: StepCode) -> Any:
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    draft = StepDraft.objects.filter(case=case, step=step, user=user).first()
    return _draft(case.pk, step, draft)


@drafts_router.post(
    "/{case_id}/drafts/{step}",
    response={200: StepDraftOut, 422: ErrorOut},
    summary="保存草稿：保存办理到一半的环节表单",
    description=(
        "只有案件当前环节等待办理的执法人员可以保存（与案件页面的“保存草稿”相同），"
        "同一人同一环节只保留最新一份。草稿不作决定，不记入全过程记录，办理时仍按该环节校验。"
        "环节不是当前环节、不由本人办理、草稿过大或层级过深时返回422，不作任何改动。"
    ),
)
def draft_post(request: HttpRequest, case_id: int, step: StepCode, body: StepDraftIn) -> Any:
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    if step != case.step:
        raise FieldsRefused({"step": [f"案件当前环节已不是“{step}”，草稿未保存，请刷新"]})
    held = [r for r in ROLE_LABELS if r in user.role_set]
    if not any(selectors.is_waiting_for(case, user, r) for r in held):
        raise FieldsRefused({"step": ["当前环节不由您办理，草稿未保存"]})
    try:
        draft = case_drafts.draft_save(case=case, step=step, user=user, data=body.data)
    except FieldsRefused:
        raise
    except Refused as exc:
        raise FieldsRefused({"data": exc.errors}) from None
    return Status(200, _draft(case.pk, step, draft))
