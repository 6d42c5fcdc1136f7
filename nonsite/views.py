"""Thin views of 非现场执法: stations, the queue, records, device reviews, the party's page."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.batch import run_batch, selected_ids
from joint.vehicles import registry
from nonsite import limits, selectors, services
from nonsite.models import WimRecord
from orgs.models import User
from procedure.engine import Refused
from zhifa.query import query_day


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, exc: Refused) -> None:
    for e in exc.errors:
        messages.error(request, e)


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "nonsite/stations.html",
        {
            "stations": selectors.stations_for_user(user).select_related("unit"),
            "queued": selectors.review_queue(user).count(),
        },
    )


@login_required
def station_detail(request: HttpRequest, station_id: int) -> HttpResponse:
    user = _user(request)
    station = selectors.get_station_for_user(user, station_id)
    series = selectors.station_series(station)
    devices = [(d, selectors.device_state(d)) for d in station.devices.all()]
    chart = {
        "labels": [r["day"].isoformat() for r in series],
        "total": [r["total"] for r in series],
        "rate": [r["rate"] for r in series],
    }
    total = sum(r["total"] for r in series)
    over = sum(r["over"] for r in series)
    return render(
        request,
        "nonsite/station.html",
        {
            "station": station,
            "series": series[-14:],
            "chart": json.dumps(chart),
            "devices": devices,
            "rule": services.rule_for(station.unit),
            "total": total,
            "rate": f"{100 * over / total:.2f}%" if total else "—",
        },
    )


def _queue_filters(data: Any) -> dict[str, Any]:
    station = data.get("station", "")
    return {
        "station": int(station) if station.isdigit() and len(station) < 10 else None,
        "status": data.get("status", ""),
        "plate": data.get("plate", "").replace("\x00", "").strip()[:10],
        "since": query_day(data.get("since", "")),
        "until": query_day(data.get("until", "")),
        "flagged": data.get("flagged") == "1",
    }


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """超限 records to review: filters, pages of 50, and batch 确认 / 排除 of the ticked ones."""
    user = _user(request)
    filters = _queue_filters(request.GET)
    rows = selectors.review_queue(user, **filters).prefetch_related("photos")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "nonsite/queue.html",
        {
            "page": page,
            "records": page.object_list,
            "filters": filters,
            "stations": selectors.stations_for_user(user).order_by("name"),
            "statuses": [
                (s.value, s.label) for s in (WimRecord.Status.QUEUED, WimRecord.Status.UNUSABLE)
            ],
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def queue_batch(request: HttpRequest) -> HttpResponse:
    """确认 or 排除 each ticked record through the same services as its own page."""
    user = _user(request)
    back = redirect(f"{reverse('nonsite-queue')}?{request.POST.get('query', '')}")
    ids = selected_ids(request.POST.getlist("ids"))
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    if not ids:
        messages.error(request, "请勾选要办理的记录（每次最多100条）")
        return back
    if decision not in ("confirm", "dismiss"):
        messages.error(request, "请选择确认或排除")
        return back
    if decision == "dismiss" and not reason.strip():
        messages.error(request, "批量排除须填写排除理由")
        return back

    def act(record_id: int) -> None:
        rec = selectors.get_record_for_user(user, record_id)
        if decision == "confirm":
            services.wim_record_confirm(record_id=rec.pk, actor=user)
        else:
            services.wim_record_dismiss(record_id=rec.pk, actor=user, reason=reason)

    plates = dict(selectors.records_for_user(user).filter(pk__in=ids).values_list("pk", "plate"))
    result = run_batch((f"{plates.get(i, '记录')}（{i}）", partial(act, i)) for i in ids)
    done, refused = result.summary("确认立案" if decision == "confirm" else "排除")
    messages.success(request, done)
    for line in refused:
        messages.error(request, line)
    return back


@login_required
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _user(request)
    rec = selectors.get_record_for_user(user, record_id)
    problems = selectors.device_state(rec.device, rec.passed_on) if rec.device else ["无设备"]
    return render(
        request,
        "nonsite/record.html",
        {
            "r": rec,
            "config": limits.configuration_label(rec.axles, limits.VehicleType(rec.vehicle_type)),
            "flag": limits.FLAG_LABELS[limits.Flag(rec.flag)],
            "problems": problems,
            "citation": limits.CITATION,
            "photos": list(rec.photos.all()),
            "owner": registry().lookup(rec.plate) if rec.case_id is None else None,
        },
    )


def _owner_given(data: Any) -> dict[str, str] | None:
    """The owner entered by hand on the record's page, or None when the form was left empty."""
    owner = {
        k: str(data.get(f"owner_{k}", "")).strip()
        for k in ("kind", "name", "id_number", "phone", "address")
    }
    return owner if any(owner[k] for k in ("name", "id_number", "phone", "address")) else None


@login_required
def record_photo(request: HttpRequest, record_id: int, index: int) -> FileResponse:
    """A station's photo of a record, to whoever sees the record (any other is 404)."""
    rec = selectors.get_record_for_user(_user(request), record_id)
    photo = rec.photos.filter(index=index).first()
    if photo is None:
        raise Http404("图像不存在")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def record_review(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _user(request)
    rec = selectors.get_record_for_user(user, record_id)
    try:
        if request.POST.get("decision") == "confirm":
            case = services.wim_record_confirm(
                record_id=rec.pk, actor=user, owner=_owner_given(request.POST)
            )
            messages.success(request, f"已确认超限并登记案源{case.lead_no}，已告知当事人")
        else:
            services.wim_record_dismiss(
                record_id=rec.pk, actor=user, reason=request.POST.get("reason", "")
            )
            messages.success(request, "已排除")
    except Refused as exc:
        _refused(request, exc)
    return redirect("nonsite-record", record_id=rec.pk)


@login_required
@require_POST
def device_review(request: HttpRequest, device_id: int) -> HttpResponse:
    user = _user(request)
    device = selectors.get_device_for_user(user, device_id)
    try:
        services.device_review_record(
            device_id=device.pk,
            actor=user,
            reviewed_on=dt.date.fromisoformat(request.POST.get("reviewed_on", "")),
            valid_until=dt.date.fromisoformat(request.POST.get("valid_until", "")),
            legal_ok=request.POST.get("legal_ok") == "on",
            technical_ok=request.POST.get("technical_ok") == "on",
            opinion=request.POST.get("opinion", ""),
        )
        messages.success(request, "已记录设备的法制和技术审核")
    except ValueError:
        messages.error(request, "日期格式应为YYYY-MM-DD")
    except Refused as exc:
        _refused(request, exc)
    return redirect("nonsite-station", station_id=device.station_id)


def party_photo(request: HttpRequest, token: str, index: int) -> FileResponse:
    """A photo of the party's own record, through the link of its SMS (行政处罚法第四十一条:
    the party may query the record); any other token or photo is 404."""
    rec = services.record_for_party(token)
    photo = rec.photos.filter(index=index).first() if rec is not None else None
    if photo is None:
        raise Http404("图像不存在")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def party(request: HttpRequest, token: str) -> HttpResponse:
    """The party's page from the SMS (no login): the record, the device's review, a statement."""
    rec = services.record_for_party(token)
    if rec is None:
        raise Http404("链接无效")
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.wim_party_statement(token=token, statement=request.POST.get("statement", ""))
            messages.success(request, "陈述、申辩已提交，执法机关将予以复核")
            return redirect("nonsite-party", token=token)
        except Refused as exc:
            errors = exc.errors
    review = (
        rec.device.reviews.filter(reviewed_on__lte=rec.passed_on).first() if rec.device else None
    )
    return render(
        request,
        "nonsite/party.html",
        {
            "r": rec,
            "config": limits.configuration_label(rec.axles, limits.VehicleType(rec.vehicle_type)),
            "review": review,
            "statements": services.statements(rec),
            "photos": list(rec.photos.all()),
            "token": token,
            "errors": errors,
            "citation": limits.CITATION,
        },
    )
