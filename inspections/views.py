"""Thin views of 双随机、一公开: the officers' pages (login, scope by the access functions) and
the public site's pages (no login, cached, only what is frozen or published)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from disclosure.portal import public_page, site_context
from inspections import random_selectors as sel
from inspections import random_services as rs
from inspections.models import RandomPhoto, RandomTask
from law import random_draw as rd
from orgs.models import Unit, User
from procedure.engine import Refused
from zhifa import clock
from zhifa.query import query_day


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _officer(request: HttpRequest) -> User:
    """Only officers of a unit (the roles that handle cases) and supervisors read these pages."""
    user = _user(request)
    if not sel.may_read_random(user):
        raise Http404
    return user


def _fields(exc: Refused) -> dict[str, list[str]]:
    return dict(getattr(exc, "fields", {}) or {"": exc.errors})


MAX_ID = 2**31 - 1


def _id(value: str | None) -> int | None:
    """A row id typed into a form: digits within the database's integer, else None."""
    text = str(value or "")
    if not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) > MAX_ID:
        return None
    return int(text)


def _is_planner(user: User) -> bool:
    return (
        user.unit is not None
        and user.unit.kind == Unit.Kind.AGENCY
        and any(user.has_role(r) for r in rs.PLANNER_ROLES)
    )


# --- officers ---------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    return render(
        request,
        "inspections/index.html",
        {
            "plans": sel.random_plans_for_user(user).order_by("-pk")[:100],
            "todo": sel.random_todo(user),
            "planner": _is_planner(user),
        },
    )


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """The 检查对象名录库: list, and upload a CSV or xlsx file to import (planners): the upload is
    kept and queued, and the answer is the import's progress page (the worker imports it)."""
    user = _officer(request)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not _is_planner(user):
            raise Http404
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise Refused(["请选择要导入的CSV或xlsx文件"])
            run = rs.targets_import_request(
                actor=user, filename=upload.name or "", content=upload.read()
            )
        except Refused as exc:
            errors = _fields(exc)
        else:
            return redirect("random:targets_import_run", run_id=run.pk)
    rows = sel.targets_of_unit(user)
    return render(
        request,
        "inspections/targets.html",
        {
            "rows": rows[:500],
            "total": rows.count(),
            "inspectors": sel.inspectors_today(user),
            "errors": errors,
            "planner": _is_planner(user),
            "runs": sel.targets_import_runs(user)[:5],
        },
        status=422 if errors else 200,
    )


@login_required
def targets_import_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """An import's progress, then its count or its errors by row and column; the page reloads
    itself (no script) until the worker has finished. Only the unit's planners see it."""
    run = sel.targets_import_run_for(_user(request), run_id)
    return render(request, "inspections/import_run.html", {"run": run})


@login_required
def matters(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not _is_planner(user):
            raise Http404
        try:
            rs.matter_save(
                actor=user,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                basis=request.POST.get("basis", ""),
                checklist=request.POST.get("checklist", "").splitlines(),
            )
        except Refused as exc:
            errors = _fields(exc)
        else:
            messages.success(request, "已保存抽查事项")
            return redirect("random:matters")
    return render(
        request,
        "inspections/matters.html",
        {
            "rows": sel.matters_of_unit(user),
            "errors": errors,
            "form": request.POST,
            "planner": _is_planner(user),
        },
        status=422 if errors else 200,
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _is_planner(user):
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        p = request.POST
        try:
            starts_on, ends_on = query_day(p.get("starts_on")), query_day(p.get("ends_on"))
            bad = {}
            if starts_on is None:
                bad["starts_on"] = ["请填写有效的检查开始日期"]
            if ends_on is None:
                bad["ends_on"] = ["请填写有效的检查结束日期"]
            matter_id = _id(p.get("matter_id"))
            if matter_id is None:
                bad["matter_id"] = ["请选择抽查事项"]
            partners = [_id(x) for x in p.getlist("partners")]
            if any(x is None for x in partners):
                bad["partner_ids"] = ["联合抽查单位无效"]
            if bad:
                from cases.runner import FieldsRefused

                raise FieldsRefused(bad)
            assert starts_on is not None and ends_on is not None and matter_id is not None
            plan = rs.plan_create(
                actor=user,
                title=p.get("title", ""),
                matter_id=matter_id,
                categories=p.getlist("categories"),
                ratios={g: p.get(f"ratio_{g}", "") for g in rd.GRADES},
                ratio_confirmed=p.get("ratio_confirmed") == "on",
                starts_on=starts_on,
                ends_on=ends_on,
                partner_ids=[x for x in partners if x is not None],
            )
        except Refused as exc:
            errors = _fields(exc)
        else:
            messages.success(request, "已制定抽查计划")
            return redirect("random:plan", plan_id=plan.pk)
    own = sel.targets_of_unit(user)
    return render(
        request,
        "inspections/plan_new.html",
        {
            "errors": errors,
            "form": request.POST,
            "matters": sel.matters_of_unit(user),
            "categories": sorted(set(own.values_list("category", flat=True))),
            "ratios": {
                g: request.POST.get(f"ratio_{g}", v) for g, v in rs.default_ratios().items()
            },
            "agencies": Unit.objects.filter(kind=Unit.Kind.AGENCY).exclude(pk=user.unit_id or 0),
        },
        status=422 if errors else 200,
    )


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    plan = sel.get_random_plan_for_user(user, plan_id)
    own = _is_planner(user) and plan.unit_id == user.unit_id
    return render(
        request,
        "inspections/plan.html",
        {
            "plan": plan,
            "own": own,
            "tasks": plan.tasks.select_related("lead", "second", "case").order_by("order"),
            "conflicts": plan.conflicts.select_related("officer"),
            "redraws": plan.redraws.select_related("by").order_by("number"),
            "officers": User.objects.filter(unit__in=rs.plan_units(plan)).order_by("username"),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def plan_act(request: HttpRequest, plan_id: int, action: str) -> HttpResponse:
    """冻结名录 / 摇号 / 公示结果 / 登记回避 (the planner of the plan's own agency)."""
    user = _user(request)
    plan = sel.get_random_plan_for_user(user, plan_id)
    try:
        if action == "freeze":
            rs.plan_freeze(actor=user, plan_id=plan.pk)
            messages.success(request, "名录已冻结，种子承诺值已公布")
        elif action == "draw":
            rs.plan_draw(actor=user, plan_id=plan.pk)
            messages.success(request, "已摇号，结果可在公示网站核验")
        elif action == "publish":
            rs.plan_publish(actor=user, plan_id=plan.pk)
            messages.success(request, "抽查结果已公示")
        elif action == "redraw":
            rs.plan_redraw(actor=user, plan_id=plan.pk, reason=request.POST.get("reason", ""))
            messages.success(request, "已撤销本次摇号，请重新冻结名录后摇号")
        elif action == "conflict":
            rs.conflict_add(
                actor=user,
                plan_id=plan.pk,
                officer_id=_id(request.POST.get("officer_id")) or 0,
                reg_no=request.POST.get("reg_no", "")[:40],
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "已登记回避")
        else:
            raise Http404
    except Refused as exc:
        for m in exc.errors:
            messages.error(request, m)
    return redirect("random:plan", plan_id=plan.pk)


@login_required
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    """The phone page of one drawn target: checklist, result, photos."""
    user = _user(request)
    found = sel.get_random_task_for_user(user, task_id)
    errors: dict[str, list[str]] = {}
    mine = user.pk in (found.lead_id, found.second_id)
    checklist = found.plan.matter.checklist
    if request.method == "POST":
        if not mine:
            raise Http404
        p = request.POST
        items: list[dict[str, Any]] = []
        for n in range(len(checklist)):
            value = p.get(f"item_{n}", "")
            passed = {"pass": True, "fail": False}.get(value)
            items.append({"passed": passed, "note": p.get(f"note_{n}", "")})
        checked_on = query_day(p.get("checked_on"))
        photos = [rs.Photo(f.read(), f.name or "") for f in request.FILES.getlist("photos")[:10]]
        try:
            if checked_on is None:
                from cases.runner import FieldsRefused

                raise FieldsRefused({"checked_on": ["请填写有效的检查日期"]})
            rs.task_complete(
                actor=user,
                task_id=found.pk,
                checked_on=checked_on,
                items=items,
                result=p.get("result", ""),
                note=p.get("note", ""),
                photos=photos,
            )
        except Refused as exc:
            errors = _fields(exc)
        else:
            messages.success(request, "已记录检查结果")
            return redirect("random:task", task_id=found.pk)
    return render(
        request,
        "inspections/task.html",
        {
            "task": found,
            "mine": mine,
            "rows": [
                (n, text, request.POST.get(f"item_{n}", ""), request.POST.get(f"note_{n}", ""))
                for n, text in enumerate(checklist)
            ],
            "results": RandomTask.Result.choices,
            "errors": errors,
            "form": request.POST,
            "today": clock.today(),
        },
        status=422 if errors else 200,
    )


@login_required
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    found = RandomPhoto.objects.filter(pk=photo_id).first()
    if found is None:
        raise Http404
    sel.get_random_task_for_user(_user(request), found.task_id)
    return FileResponse(found.file.open("rb"), content_type=found.content_type)


# --- the public site --------------------------------------------------------------------------


@public_page
def public_plans(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inspections/public_list.html",
        {
            **site_context(request),
            "plans": sel.public_plans()[:200],
            "algorithm": rd.ALGORITHM_TEXT,
            "version": rd.ALGORITHM_VERSION,
        },
    )


@public_page
def public_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = sel.get_public_plan(plan_id)
    return render(
        request,
        "inspections/public_plan.html",
        {**site_context(request), "plan": plan, "data": sel.public_plan_data(plan)},
    )


@public_page
def public_plan_json(request: HttpRequest, plan_id: int) -> JsonResponse:
    plan = sel.get_public_plan(plan_id)
    data = sel.public_plan_data(plan)
    data["lists"] = sel.public_lists(plan)
    for shown, kept in zip(data["redraws"], plan.redraws.order_by("number"), strict=True):
        shown["lists"] = {
            "targets": kept.targets_text,
            "inspectors": kept.inspectors_text,
            "conflicts": kept.conflicts_text,
        }
    data["algorithm_text"] = list(rd.ALGORITHM_TEXT)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@public_page
def public_verify(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = sel.get_public_plan(plan_id)
    return render(
        request,
        "inspections/public_verify.html",
        {**site_context(request), "plan": plan, "v": sel.verify_plan(plan)},
    )


@public_page
def public_verify_json(request: HttpRequest, plan_id: int) -> JsonResponse:
    plan = sel.get_public_plan(plan_id)
    v = sel.verify_plan(plan)
    return JsonResponse(
        {
            "plan_no": plan.plan_no,
            "pools_sm3": plan.pools_hash,
            "pools_match": v.pools_match,
            "commitment_match": v.commitment_match,
            "draw_match": v.draw_match,
            "ok": v.ok,
            "recomputed": v.recomputed,
            "published": v.published,
        },
        json_dumps_params={"ensure_ascii": False},
    )
