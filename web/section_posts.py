"""The forms of the case page's module sections (复议诉讼, 回避, 先行登记保存, 行政强制措施): a
recorded one reloads the page where it is, a refused one comes back with its errors by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from ninja import Schema

from api import schemas
from cases import selectors as case_selectors
from cases.models import Case
from cases.services import preservations as case_preservations
from cases.services import recusals as case_recusals
from cases.services import reviews as case_reviews
from cases.services.common import FieldsRefused
from coercion import schemas as coercion_schemas
from coercion import services as coercion_services
from law.limits import EMERGENCY_MEASURE_REPORT
from orgs.models import User
from procedure.engine import Refused
from web import stepforms
from web.nav import active_role
from web.sections import (
    MeasurePosted,
    PreservationPosted,
    RecusalPosted,
    ReviewPosted,
    _measure_context,
    _preservation_context,
    _recusal_context,
    _review_context,
)
from web.views import _case_page, _user

# --- the case page's sections (复议诉讼, 回避, 先行登记保存, 行政强制措施) ------------------------


def _section_done(request: HttpRequest, case: Case, anchor: str, message: str) -> HttpResponse:
    """A section's form was recorded: through htmx reload the page where it is (a redirect to
    the same page and #anchor would only scroll, not show the record grown); else redirect."""
    messages.success(request, message)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(f"/cases/{case.pk}/?open={anchor}#{anchor}")


def _section_refused(
    request: HttpRequest,
    case: Case,
    template: str,
    section_context: Callable[..., dict[str, Any]],
    posted: Any,
    page_kwarg: str,
) -> HttpResponse:
    """A section's form was refused: the section alone through htmx, else the whole page, with
    what was typed and the errors by field."""
    user = _user(request)
    if request.headers.get("HX-Request"):
        context = {"case": case, **section_context(case, user, active_role(request), posted)}
        return render(request, template, context)
    return _case_page(request, case, **{page_kwarg: posted})


# --- 复议诉讼 ----------------------------------------------------------------------------------


def _review_post(request: HttpRequest, case_id: int, which: str) -> HttpResponse:
    """File or conclude a review from the case page. With htmx a refused form comes back as the
    section alone, its errors by field; a recorded one reloads the page (its record grows)."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    data = stepforms.collect(request.POST)
    schema = schemas.ReviewFileIn if which == "file" else schemas.ReviewConcludeIn
    valid, errors = stepforms.validate(schema, data)
    if valid is not None:
        try:
            if which == "file":
                case_reviews.review_file(
                    case_id=case.pk,
                    actor=user,
                    party=valid["party"],
                    kind=valid["kind"],
                    filed_on=dt.date.fromisoformat(valid["filed_on"]),
                    organ=valid["organ"],
                    organ_case_no=valid["organ_case_no"],
                )
            else:
                case_reviews.review_conclude(
                    case_id=case.pk,
                    actor=user,
                    party=valid["party"],
                    kind=valid["kind"],
                    ending=valid["ending"],
                    decided_on=dt.date.fromisoformat(valid["decided_on"]),
                )
        except FieldsRefused as exc:
            errors = exc.fields
        except Refused as exc:
            errors = {"form": exc.errors}
        else:
            done = "已登记复议诉讼申请" if which == "file" else "已登记复议诉讼结果"
            return _section_done(request, case, "reviews", done)
    try:
        party = int(str(data.get("party", "")))
    except ValueError:
        party = -1
    kind = str(data.get("kind", "")) if which == "conclude" else ""
    posted: ReviewPosted = ((which, party, kind), data, errors)
    return _section_refused(
        request, case, "web/_reviews.html", _review_context, posted, "review_posted"
    )


@login_required
@require_POST
def review_file(request: HttpRequest, case_id: int) -> HttpResponse:
    return _review_post(request, case_id, "file")


@login_required
@require_POST
def review_conclude(request: HttpRequest, case_id: int) -> HttpResponse:
    return _review_post(request, case_id, "conclude")


# --- 回避 --------------------------------------------------------------------------------------


def _recusal_post(request: HttpRequest, case_id: int, recusal_id: int | None) -> HttpResponse:
    """Record a 回避 (recusal_id None) or decide one from the case page; like the reviews' forms."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    data = stepforms.collect(request.POST)
    if recusal_id is None:
        valid, errors = stepforms.validate(schemas.RecusalIn, data)
    else:
        if "granted" in data:
            data["granted"] = data["granted"] == "true"
        valid, errors = stepforms.validate(schemas.RecusalDecideIn, data)
    if valid is not None:
        try:
            if recusal_id is None:
                case_recusals.recusal_request(case_id=case.pk, actor=user, **valid)
            else:
                case_recusals.recusal_decide(
                    case_id=case.pk, actor=user, recusal_id=recusal_id, **valid
                )
        except FieldsRefused as exc:
            errors = exc.fields
        except Refused as exc:
            errors = {"form": exc.errors}
        else:
            return _section_done(
                request,
                case,
                "recusals",
                "已登记回避申请" if recusal_id is None else "已作出回避决定",
            )
    key = ("request", 0) if recusal_id is None else ("decide", recusal_id)
    posted: RecusalPosted = (key, data, errors)
    return _section_refused(
        request, case, "web/_recusals.html", _recusal_context, posted, "recusal_posted"
    )


@login_required
@require_POST
def recusal_request(request: HttpRequest, case_id: int) -> HttpResponse:
    return _recusal_post(request, case_id, None)


@login_required
@require_POST
def recusal_decide(request: HttpRequest, case_id: int, recusal_id: int) -> HttpResponse:
    return _recusal_post(request, case_id, recusal_id)


# --- 证据先行登记保存 ---------------------------------------------------------------------------


PRESERVATION_FORMS: dict[str, tuple[type[Any], Any]] = {
    "request": (schemas.PreservationIn, case_preservations.preservation_request),
    "approve": (schemas.PreservationApproveIn, case_preservations.preservation_approve),
    "carry-out": (schemas.PreservationCarryOutIn, case_preservations.preservation_carry_out),
    "decide": (schemas.PreservationDecideIn, case_preservations.preservation_decide),
}


def _preservation_items(data: dict[str, Any]) -> None:
    """The item list of the form: one line per item, "名称 数量 [说明]"."""
    lines = data.pop("items", None)
    if lines is None:
        return
    items = []
    for line in lines if isinstance(lines, list) else [lines]:
        parts = str(line).split(maxsplit=2)
        items.append(
            {
                "name": parts[0] if parts else "",
                "quantity": parts[1] if len(parts) > 1 else "",
                "note": parts[2] if len(parts) > 2 else "",
            }
        )
    data["items"] = items


ITEM_FIELDS = {"name": "名称", "quantity": "数量", "note": "说明"}


def _item_messages(key: str, messages: list[str]) -> list[str]:
    """ "items.0.quantity" errors said of the item they belong to."""
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit():
        what = f"第{int(parts[1]) + 1}项物品的{ITEM_FIELDS.get(parts[2], parts[2])}"
        return [f"{what}：{m}" for m in messages]
    return messages


@login_required
@require_POST
def preservation_post(
    request: HttpRequest, case_id: int, preservation_id: int = 0, action: str = "request"
) -> HttpResponse:
    """Request, approve, carry out or decide a 先行登记保存 from the case page."""
    if action not in PRESERVATION_FORMS:
        raise Http404
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    schema, service = PRESERVATION_FORMS[action]
    data = stepforms.collect(request.POST)
    shown = dict(data)
    if action == "request":
        _preservation_items(data)
    valid, errors = stepforms.validate(schema, data)
    errors = {key: _item_messages(key, messages) for key, messages in errors.items()}
    if valid is not None:
        if action == "carry-out":
            valid["on"] = dt.date.fromisoformat(valid["on"])
        kwargs = {} if action == "request" else {"preservation_id": preservation_id}
        try:
            service(case_id=case.pk, actor=user, **kwargs, **valid)
        except FieldsRefused as exc:
            errors = exc.fields
        except Refused as exc:
            errors = {"form": exc.errors}
        else:
            return _section_done(request, case, "preservations", "已办理证据先行登记保存")
    posted: PreservationPosted = ((action, preservation_id), shown, errors)
    return _section_refused(
        request,
        case,
        "web/_preservations.html",
        _preservation_context,
        posted,
        "preservation_posted",
    )


# --- 行政强制措施 ------------------------------------------------------------------------------


MEASURE_SCHEMAS: dict[str, type[Schema]] = {
    "propose": coercion_schemas.MeasureProposeIn,
    "emergency": coercion_schemas.MeasureEmergencyIn,
    "decide": coercion_schemas.MeasureDecideIn,
    "carry_out": coercion_schemas.OnSiteIn,
    "withdraw": coercion_schemas.MeasureWithdrawIn,
    "extend": coercion_schemas.MeasureExtendIn,
    "lift": coercion_schemas.MeasureLiftIn,
    "handle": coercion_schemas.MeasureHandleIn,
    "appraise": coercion_schemas.MeasureAppraiseIn,
    "appraised": coercion_schemas.MeasureAppraisedIn,
}
MEASURE_DONE = {
    "propose": "已报请负责人批准",
    "emergency": f"已当场实施，请在{EMERGENCY_MEASURE_REPORT.duration_label}内报告负责人补办批准",
    "decide": "已作出审批决定",
    "carry_out": "已实施行政强制措施",
    "withdraw": "已登记不再实施",
    "extend": "已报请延长期限",
    "lift": "已解除行政强制措施",
    "handle": "已登记随案处理",
    "appraise": "已登记送检测鉴定，期间不计入期限",
    "appraised": "已登记检测鉴定完成",
}


def _measure_call(case: Case, user: User, action: str, measure_id: int, v: dict[str, Any]) -> None:
    cs = coercion_services
    if action in ("propose", "emergency"):
        kind, items, reason, basis = v.pop("type"), v.pop("items"), v.pop("reason"), v.pop("basis")
        if action == "propose":
            cs.measure_propose(
                case_id=case.pk, actor=user, type=kind, items=items, reason=reason, basis=basis
            )
            return
        cs.measure_emergency(
            case_id=case.pk,
            actor=user,
            type=kind,
            items=items,
            reason=reason,
            basis=basis,
            emergency_reason=v.pop("emergency_reason"),
            officers=v.pop("officers"),
            on_site=v,
        )
    elif action == "carry_out":
        officers = v.pop("officers")
        cs.measure_carry_out(
            case_id=case.pk, measure_id=measure_id, actor=user, officers=officers, on_site=v
        )
    elif action == "decide":
        cs.measure_decide(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    elif action == "withdraw":
        cs.measure_withdraw(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    elif action == "extend":
        cs.measure_extend(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    elif action == "appraise":
        cs.measure_appraise(
            case_id=case.pk,
            measure_id=measure_id,
            actor=user,
            kind=v["kind"],
            until=dt.date.fromisoformat(v["until"]),
            notice_in_writing=v["notice_in_writing"],
        )
    elif action == "appraised":
        cs.measure_appraised(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    elif action == "lift":
        cs.measure_lift(case_id=case.pk, measure_id=measure_id, actor=user, **v)
    else:
        cs.measure_handle(case_id=case.pk, measure_id=measure_id, actor=user, **v)


def _measure_post(request: HttpRequest, case_id: int, action: str, measure_id: int) -> HttpResponse:
    """Act on a measure from the case page; htmx gets the section back with errors by field."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    schema = MEASURE_SCHEMAS.get(action)
    if schema is None:
        raise Http404("操作不存在")
    data = stepforms.collect(request.POST)
    valid, errors = stepforms.validate(schema, data, request.POST.get("decision", ""))
    if valid is not None:
        try:
            _measure_call(case, user, action, measure_id, valid)
        except Refused as exc:
            errors = {"form": exc.errors}
        else:
            return _section_done(request, case, "measures", MEASURE_DONE[action])
    posted: MeasurePosted = ((action, measure_id), data, errors)
    return _section_refused(
        request, case, "web/_measures.html", _measure_context, posted, "measure_posted"
    )


@login_required
@require_POST
def measure_new(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    if action not in ("propose", "emergency"):
        raise Http404("操作不存在")
    return _measure_post(request, case_id, action, 0)


@login_required
@require_POST
def measure_act(request: HttpRequest, case_id: int, measure_id: int, action: str) -> HttpResponse:
    if action in ("propose", "emergency"):
        raise Http404("操作不存在")
    return _measure_post(request, case_id, action, measure_id)
