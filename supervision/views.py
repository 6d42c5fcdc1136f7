"""Supervision pages: dashboard with drill-down, the five forms, 填报, items.

案卷评查 has its own module, review_views.

Thin: reads through supervision.selectors, writes through supervision.services. Every page is
404 for a user outside its scope (supervisor pages: users without the supervisor role)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deadlines.selectors import calendar_cliff_now
from jobs.downloads import run_file
from orgs.models import Unit, User
from procedure.engine import Refused
from procedure.roles import Role
from supervision import selectors, services
from supervision.models import Item
from supervision.publicity import KINDS as PUBLICITY_KINDS
from supervision.publicity import publicity_counts, publicity_rows
from supervision.render import as_csv, as_xlsx, cell_text
from supervision.rules import ENFORCEMENT_RULES, PRESERVATION_RULES, PUBLICITY_RULES, RULES
from supervision.tables import FORMS, Group
from zhifa import clock
from zhifa.query import query_day


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _root(request: HttpRequest) -> Unit:
    root = selectors.supervisor_root(_user(request))
    if root is None:
        raise Http404("页面不存在")
    return root


def _period(request: HttpRequest) -> selectors.Period:
    start, end = query_day(request.GET.get("from")), query_day(request.GET.get("to"))
    if start and end and start <= end:
        return selectors.Period(start, end)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = clock.today().year
    if not 2000 <= year <= 2100:
        year = clock.today().year
    return selectors.Period.year(year)


def _period_query(period: selectors.Period) -> str:
    return f"from={period.start.isoformat()}&to={period.end.isoformat()}"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    period = _period(request)
    data = selectors.dashboard(root, period)
    chart = {
        "labels": [r["unit"].name for r in data["rows"]],
        "filed": [r["filed"] for r in data["rows"]],
        "closed": [r["closed"] for r in data["rows"]],
    }
    return render(
        request,
        "supervision/dashboard.html",
        {
            "root": root,
            "period": period,
            "pq": _period_query(period),
            "year": period.start.year,
            "chart": chart,
            "kinds": selectors.DRILL_KINDS,
            "enforcement_kinds": selectors.ENFORCEMENT_KINDS,
            "forms": FORMS.values(),
            "cliff": calendar_cliff_now(),
            "matters": selectors.matters_summary(root, clock.today()),
            "publicity": publicity_counts(root, clock.today()),
            "last_scan": selectors.last_scan(root),
            **data,
        },
    )


@login_required
def drill(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    period = _period(request)
    kind = request.GET.get("kind", "")
    kind_label = selectors.drill_label(kind)
    if kind_label is None:
        raise Http404("页面不存在")
    unit_id: int | None = None
    unit = None
    if request.GET.get("unit"):
        try:
            unit_id = int(request.GET["unit"])
        except ValueError:
            raise Http404("页面不存在") from None
        unit = Unit.objects.filter(pk=unit_id, path__startswith=root.path).first()
        if unit is None:
            raise Http404("页面不存在")
    rule = request.GET.get("rule", "")
    qs = selectors.drill_cases(root, kind, period, unit_id, rule)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/drill.html",
        {
            "page": page,
            "kind_label": kind_label,
            "unit": unit,
            "period": period,
            "rule": rule,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    form = request.GET.get("form", "penalty")
    if form not in FORMS:
        raise Http404("页面不存在")
    period = _period(request)
    table = selectors.form_table(form, root=root, period=period)
    fmt = request.GET.get("format", "")
    name = f"{table.title}"
    if fmt in services.EXPORT_FORMATS and not services.export_inline(period):
        # Too long to build in the request: a page offering to queue it (a GET writes nothing).
        return _export_page(
            request,
            form=form,
            fmt=fmt,
            start=period.start.isoformat(),
            end=period.end.isoformat(),
            title=table.title,
        )
    if fmt == "xlsx":
        response = HttpResponse(
            as_xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.xlsx"
        return response
    if fmt == "csv":
        response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.csv"
        return response
    header_top: list[dict[str, Any]] = []
    header_bottom: list[str] = []
    for h in table.spec.header:
        if isinstance(h, Group):
            header_top.append({"label": h.label, "colspan": len(h.columns), "rowspan": 1})
            header_bottom.extend(c.label for c in h.columns)
        else:
            header_top.append({"label": h.label, "colspan": 1, "rowspan": 2})
    rows = [
        {"label": r.label, "cells": [cell_text(r.values[c.key]) for c in table.spec.columns]}
        for r in table.all_rows()
    ]
    return render(
        request,
        "supervision/stats.html",
        {
            "table": table,
            "forms": FORMS.values(),
            "form": form,
            "header_top": header_top,
            "header_bottom": header_bottom,
            "rows": rows,
            "pq": _period_query(period),
            "year": period.start.year,
            "queued_export": not services.export_inline(period),
            "period": period,
            "max_days": settings.STATS_INLINE_MAX_DAYS,
        },
    )


def _export_page(
    request: HttpRequest,
    *,
    form: str,
    fmt: str,
    start: str,
    end: str,
    title: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return render(
        request,
        "supervision/stats_export.html",
        {
            "form": form,
            "fmt": fmt,
            "start": start[:10],
            "end": end[:10],
            "title": title,
            "errors": errors or {},
            "max_days": settings.STATS_INLINE_MAX_DAYS,
            "runs": selectors.stats_export_runs(_user(request))[:5],
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def stats_export(request: HttpRequest) -> HttpResponse:
    """Queue a form's file over a long period for the worker; the answer is its progress page."""
    _root(request)
    data = {k: request.POST.get(k, "") for k in ("form", "format", "from", "to")}
    try:
        run = services.stats_export_request(
            actor=_user(request),
            form=data["form"],
            fmt=data["format"],
            start=data["from"],
            end=data["to"],
        )
    except Refused as exc:
        return _export_page(
            request,
            form=data["form"],
            fmt=data["format"],
            start=data["from"],
            end=data["to"],
            title=FORMS[data["form"]].title if data["form"] in FORMS else "统计报表",
            errors=dict(getattr(exc, "fields", {}) or {"": exc.errors}),
        )
    return redirect("supervision:stats-export-run", run_id=run.pk)


@login_required
def stats_export_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """A queued export's progress, then its download link; reloads itself until finished."""
    run = selectors.stats_export_run_for(_user(request), run_id)
    keep_days = settings.JOB_FILE_KEEP_DAYS
    return render(
        request, "supervision/stats_export_run.html", {"run": run, "keep_days": keep_days}
    )


@login_required
def stats_export_file(request: HttpRequest, run_id: int) -> HttpResponse:
    """The file the worker built: a GET that writes nothing, in the same scope as its page."""
    return run_file(selectors.stats_export_run_for(_user(request), run_id))


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


# --- 填报 ----------------------------------------------------------------------------------


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    units = selectors.report_units(user)
    if not units:
        raise Http404("页面不存在")
    form = request.POST.get("form") or request.GET.get("form", "permit")
    if form not in ("permit", "levy"):
        raise Http404("页面不存在")
    spec = FORMS[form]
    errors: list[str] = []
    year = clock.today().year - 1
    if request.method == "POST":
        try:
            unit = next(u for u in units if str(u.pk) == request.POST.get("unit"))
            year = int(request.POST.get("year", ""))
            period = selectors.Period.year(year)
            services.report_submit(
                actor=user,
                unit=unit,
                form=form,
                period_start=period.start,
                period_end=period.end,
                values={c.key: request.POST.get(c.key, "") for c in spec.columns},
            )
        except StopIteration:
            errors = ["请选择填报单位"]
        except ValueError:
            errors = ["请填写年度"]
        except Refused as exc:
            errors = exc.errors
        else:
            messages.success(request, f"{unit.name}{year}年{spec.title}已填报")
            return redirect(f"{reverse('supervision:report-new')}?form={form}")
    return render(
        request,
        "supervision/report_new.html",
        {
            "spec": spec,
            "form": form,
            "units": units,
            "errors": errors,
            "year": request.POST.get("year", year),
            "values": request.POST,
        },
        status=400 if errors else 200,
    )


# --- items ---------------------------------------------------------------------------------


@login_required
def items(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = selectors.items_for_user(user)
    if selectors.supervisor_root(user) is None and not (user.unit_id and user.role_set):
        raise Http404("页面不存在")
    status = request.GET.get("status", "")
    if status in Item.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/items.html",
        {"page": page, "statuses": Item.Status.choices, "status": status},
    )


@login_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = selectors.get_item_for_user(user, item_id)
    from ledger.models import Entry

    supervisor = selectors.supervisor_root(user) is not None
    return render(
        request,
        "supervision/item_detail.html",
        {
            "item": item,
            "supervisor": supervisor,
            "can_answer": item.unit_id == user.unit_id
            and (user.has_role(Role.SECTION_CHIEF) or user.has_role(Role.DEPUTY_DIRECTOR)),
            "history": Entry.objects.filter(stream=item.stream).order_by("seq"),
            "kinds": Item.Kind.choices,
            "correction_days": services.CORRECTION_DAYS,
        },
    )


@login_required
@require_POST
def item_act(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    user = _user(request)
    item = selectors.get_item_for_user(user, item_id)
    try:
        if action == "send":
            services.item_send(
                actor=user,
                item_id=item.pk,
                kind=request.POST.get("kind", ""),
                due_on=query_day(request.POST.get("due_on")),
                note=request.POST.get("note", ""),
            )
        elif action == "answer":
            services.item_answer(actor=user, item_id=item.pk, answer=request.POST.get("answer", ""))
        elif action == "close":
            services.item_close(actor=user, item_id=item.pk, note=request.POST.get("note", ""))
        else:
            raise Http404("页面不存在")
    except Refused as exc:
        for e in exc.errors:
            messages.error(request, e)
    return redirect("supervision:item", item_id=item.pk)


@login_required
@require_POST
def scan(request: HttpRequest) -> HttpResponse:
    """Queue the scan for the worker and show its progress page (the request never runs it)."""
    _root(request)
    run = services.scan_request(actor=_user(request))
    return redirect("supervision:scan-run", run_id=run.pk)


@login_required
def scan_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """A scan's progress; the page reloads itself (no script) until the scan has finished."""
    run = selectors.scan_run_for(_user(request), run_id)
    return render(request, "supervision/scan_run.html", {"run": run})


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    _root(request)
    return render(
        request,
        "supervision/rules.html",
        {"rules": (*RULES, *PRESERVATION_RULES, *ENFORCEMENT_RULES, *PUBLICITY_RULES)},
    )


@login_required
def publicity(request: HttpRequest) -> HttpResponse:
    """公示 and 双随机 behind schedule: a supervisor's subtree, an agency's own unit (its
    officers); anyone else 404."""
    user = _user(request)
    sections = publicity_rows(user, clock.today())
    if sections is None:
        raise Http404("页面不存在")
    return render(
        request,
        "supervision/publicity.html",
        {
            "sections": [(k, PUBLICITY_KINDS[k], rows) for k, rows in sections.items()],
            "supervisor": selectors.supervisor_root(user) is not None,
            "today": clock.today(),
        },
    )
