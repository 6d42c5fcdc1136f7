"""The officer's notices (站内提醒) over HTTP (mounted at /api/notices): what the notices page
and its settings page offer. Each user reads and marks only their own; another's is 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Router, Schema

from cases.payloads import ErrorOut
from cases.runner import FieldsRefused
from law.personal import mask_phone
from notices import selectors, services
from notices.models import Notice
from orgs.models import User
from procedure.engine import Refused

router = Router(tags=["提醒"])

PAGE = 30  # as the page
KINDS = Notice.Kind.choices
MAX_PAGE = 10_000


class NoticeOut(Schema):
    id: int
    kind: str = Field(description="类型：" + "、".join(f"{k}（{n}）" for k, n in KINDS))
    kind_name: str
    text: str
    url: str = Field(description="所涉对象在平台内的链接")
    created_at: dt.datetime
    read_at: dt.datetime | None = Field(description="已读时间；未读为 null")


class NoticePageOut(Schema):
    count: int
    unread: int = Field(description="未读条数（顶栏铃铛上的数字）")
    page: int
    items: list[NoticeOut]


class NoticesReadOut(Schema):
    marked: int = Field(description="本次标为已读的条数")
    unread: int


class NoticeKindOut(Schema):
    code: str
    name: str


class NoticeSettingsOut(Schema):
    sms_kinds: list[str] = Field(description="同时以短信提醒的类型")
    kinds: list[NoticeKindOut] = Field(description="全部提醒类型")
    phone: str = Field(description="接收短信的手机号（部分隐藏）；未登记为空")


class NoticeSettingsIn(Schema):
    sms_kinds: list[Annotated[str, Field(max_length=20)]] = Field(
        max_length=len(Notice.Kind.values) * 2, description="同时以短信提醒的类型；空表示不发短信"
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _notice(n: Notice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_name": n.get_kind_display(),
        "text": n.text,
        "url": n.url,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


def _settings(user: User) -> dict[str, Any]:
    return {
        "sms_kinds": selectors.sms_kinds_of(user),
        "kinds": [{"code": k, "name": str(n)} for k, n in Notice.Kind.choices],
        "phone": mask_phone(user.phone) if user.phone else "",
    }


@router.get("", response=NoticePageOut, summary="本人的提醒（新的在前，每页30条）及未读条数")
def notice_list(
    request: HttpRequest,
    page: Annotated[int, Field(ge=1, le=MAX_PAGE, description="页码（每页30条）")] = 1,
) -> Any:
    user = _user(request)
    paged = Paginator(selectors.notices_for(user), PAGE).get_page(page)
    return {
        "count": paged.paginator.count,
        "unread": selectors.unread_count(user),
        "page": paged.number,
        "items": [_notice(n) for n in paged.object_list],
    }


@router.post("/read-all", response=NoticesReadOut, summary="将本人全部提醒标为已读")
def notices_read_all(request: HttpRequest) -> Any:
    user = _user(request)
    marked = services.notices_read_all(user=user)
    return {"marked": marked, "unread": selectors.unread_count(user)}


@router.post("/{notice_id}/read", response=NoticeOut, summary="将本人的一条提醒标为已读")
def notice_read(request: HttpRequest, notice_id: int) -> Any:
    return _notice(services.notice_read(user=_user(request), notice_id=notice_id))


@router.get("/settings", response=NoticeSettingsOut, summary="哪些类型的提醒同时发短信")
def notice_settings_get(request: HttpRequest) -> Any:
    return _settings(_user(request))


@router.put(
    "/settings",
    response={200: NoticeSettingsOut, 422: ErrorOut},
    summary="设置哪些类型的提醒同时发短信",
    description=(
        "类型不正确或账户未登记手机号而要开启短信时返回422（按字段 sms_kinds），不作任何改动。"
    ),
)
def notice_settings_put(request: HttpRequest, body: NoticeSettingsIn) -> Any:
    user = _user(request)
    try:
        services.notice_settings_set(user=user, sms_kinds=body.sms_kinds)
    except Refused as exc:
        raise FieldsRefused(exc.fields or {"sms_kinds": exc.errors}) from None
    return _settings(user)
