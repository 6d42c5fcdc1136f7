"""执法监督 API: the dashboard figures, the five statistics forms and the supervision items.

All endpoints need a supervisor (执法监督员) token or session, except the items, which an officer
of the unit an item was sent to may also read and answer. Out of scope is 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from cases.payloads import Day
from orgs.models import Unit, User
from supervision import selectors, services
from supervision.review_api import router as review_router
from supervision.tables import FORMS
from zhifa import clock

router = Router(tags=["执法监督"])
router.add_router("/reviews", review_router)  # 案卷评查


class ItemOut(Schema):
    id: int
    unit: str
    case_id: int | None
    rule: str
    title: str
    statute: str
    detail: str
    status: str
    kind: str
    due_on: dt.date | None
    answer: str


class SendIn(Schema):
    kind: str
    due_on: Day | None = None
    note: str = ""


class AnswerIn(Schema):
    answer: str


class NoteIn(Schema):
    note: str = ""


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _root(request: HttpRequest, unit: str | None = None) -> Unit:
    root = selectors.supervisor_root(_user(request))
    if root is None:
        raise Http404("不存在")
    if unit:
        picked = (
            Unit.objects.select_related("region")
            .filter(code=unit, path__startswith=root.path)
            .first()
        )
        if picked is None:
            raise Http404("单位不存在")
        return picked
    return root


def _period(year: int | None, start: dt.date | None, end: dt.date | None) -> selectors.Period:
    if start and end and start <= end:
        return selectors.Period(start, end)
    return selectors.Period.year(year or clock.today().year)


def _item(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "unit": item.unit.code,
        "case_id": item.case_id,
        "rule": item.rule,
        "title": item.title,
        "statute": item.statute,
        "detail": item.detail,
        "status": item.status,
        "kind": item.kind,
        "due_on": item.due_on,
        "answer": item.answer,
    }


@router.get("/dashboard", summary="监督总览：各单位立案、结案、办理中、结案率、期限预警、监督事项")
def dashboard(
    request: HttpRequest,
    year: Annotated[int, Field(ge=2000, le=2099, description="统计年度")] | None = None,
    start: Day | None = None,
    end: Day | None = None,
) -> dict[str, Any]:
    root = _root(request)
    data = selectors.dashboard(root, _period(year, start, end))
    return {
        "unit": root.code,
        "rows": [
            {
                "unit": r["unit"].code,
                "name": r["unit"].name,
                **{k: r[k] for k in (*selectors.DRILL_KINDS, "rate")},
            }
            for r in data["rows"]
        ],
        "totals": data["totals"],
        "limits": data["limits"],
        "irregularities": data["by_rule"],
    }


@router.get(
    "/forms/{form}",
    summary="统计报表（permit 行政许可、penalty 行政处罚、coercion 行政强制、levy 行政征收征用、"
    "inspection 行政检查）；万元金额为精确小数字符串",
)
def form(
    request: HttpRequest,
    form: str,
    year: Annotated[int, Field(ge=2000, le=2099, description="统计年度")] | None = None,
    start: Day | None = None,
    end: Day | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    if form not in FORMS:
        raise Http404("报表不存在")
    table = selectors.form_table(form, root=_root(request, unit), period=_period(year, start, end))
    return selectors.table_json(table)


@router.get(
    "/items", response=list[ItemOut], summary="监督事项（监督员：辖区；执法单位：本单位已下发的）"
)
def items(request: HttpRequest, status: str | None = None) -> list[dict[str, Any]]:
    qs = selectors.items_for_user(_user(request)).order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    return [_item(i) for i in qs[:500]]


@router.post("/items/{item_id}/send", response=ItemOut, summary="下发（通报/督办），或退回重新整改")
def item_send(request: HttpRequest, item_id: int, body: SendIn) -> dict[str, Any]:
    item = selectors.get_item_for_user(_user(request), item_id)
    return _item(
        services.item_send(
            actor=_user(request),
            item_id=item.pk,
            kind=body.kind,
            due_on=body.due_on,
            note=body.note,
        )
    )


@router.post("/items/{item_id}/answer", response=ItemOut, summary="被监督单位答复整改情况")
def item_answer(request: HttpRequest, item_id: int, body: AnswerIn) -> dict[str, Any]:
    item = selectors.get_item_for_user(_user(request), item_id)
    return _item(services.item_answer(actor=_user(request), item_id=item.pk, answer=body.answer))


@router.post("/items/{item_id}/close", response=ItemOut, summary="办结")
def item_close(request: HttpRequest, item_id: int, body: NoteIn) -> dict[str, Any]:
    item = selectors.get_item_for_user(_user(request), item_id)
    return _item(services.item_close(actor=_user(request), item_id=item.pk, note=body.note))
