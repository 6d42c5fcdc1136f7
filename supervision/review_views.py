"""案卷评查 pages (行政执法监督条例 Arts. 18-19): the published standard (any logged-in user), the
rounds, the score sheets, publishing the results, raising a finding as a supervision item.

Thin: reads through supervision.review_selectors (out of scope is 404), writes through
supervision.review_services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from orgs.models import User
from orgs.selectors import supervised_root
from procedure.engine import Refused
from procedure.roles import CASE_ROLES
from supervision import review_selectors as rs
from supervision import review_services, standards
from supervision.models import FileReview, FileReviewCase
from zhifa.query import query_day


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def standard_page(request: HttpRequest) -> HttpResponse:
    """Art. 19: the standard is public to every user of the platform, each version of it."""
    version = request.GET.get("version") or standards.CURRENT
    if version not in standards.STANDARDS:
        raise Http404("评查标准不存在")
    return render(
        request,
        "supervision/standard.html",
        {
            "standard": standards.standard(version),
            "versions": standards.STANDARDS.values(),
            "grades": review_services.grade_bands(),
        },
    )


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    supervisor = supervised_root(user) is not None
    if not supervisor and not (user.unit_id and user.role_set & CASE_ROLES):
        raise Http404("页面不存在")
    qs = rs.reviews_for_user(user)
    errors: list[str] = []
    if request.method == "POST":
        if not supervisor:
            raise Http404("页面不存在")
        try:
            per_unit = int(request.POST.get("per_unit") or 0)
            start = query_day(request.POST.get("from"))
            end = query_day(request.POST.get("to"))
            if start is None or end is None:
                raise Refused(["请填写结案日期范围"])
            review = review_services.file_review_create(
                actor=user,
                name=request.POST.get("name", ""),
                method=request.POST.get("method", ""),
                period_start=start,
                period_end=end,
                per_unit=per_unit,
                seed=request.POST.get("seed", ""),
            )
        except (ValueError, OverflowError):
            errors = ["每单位抽取件数应为整数"]
        except Refused as exc:
            errors = exc.errors
        else:
            return redirect("supervision:review", review_id=review.pk)
    return render(
        request,
        "supervision/reviews.html",
        {
            "reviews": qs.order_by("-created_at", "-pk"),
            "errors": errors,
            "methods": FileReview.Method.choices,
            "supervisor": supervisor,
            "values": request.POST,
        },
        status=400 if errors else 200,
    )


@dataclass(frozen=True, slots=True)
class Line:
    item: standards.StandardItem
    value: Any
    reason: str


def _sheet(
    std: standards.Standard, entry: FileReviewCase, posted: Mapping[str, Any] | None
) -> list[tuple[standards.Heading, int | None, list[Line]]]:
    """The score sheet of a file by heading: what was posted (a refused form keeps its input) or
    what is stored."""
    scores = entry.scores or {}
    reasons = entry.reasons or {}
    totals = standards.heading_totals(std, scores) if entry.total is not None else {}
    out = []
    for h in std.headings:
        lines = [
            Line(
                i,
                posted.get(i.code, "") if posted is not None else scores.get(i.code, ""),
                posted.get(f"why-{i.code}", "") if posted is not None else reasons.get(i.code, ""),
            )
            for i in h.items
        ]
        out.append((h, totals.get(h.code), lines))
    return out


def _detail(
    request: HttpRequest,
    access: rs.Access,
    *,
    errors: list[str] | None = None,
    posted_entry: int | None = None,
) -> HttpResponse:
    std = access.standard
    entries = list(rs.entries_for(access))
    sheets = [(e, _sheet(std, e, request.POST if e.pk == posted_entry else None)) for e in entries]
    results = rs.review_results(access.review, None if access.supervisor else access.unit_id)
    return render(
        request,
        "supervision/review_detail.html",
        {
            "review": access.review,
            "supervisor": access.supervisor,
            "standard": std,
            "sheets": sheets,
            "results": [(r, r.heading_averages(std)) for r in results],
            "grade_labels": standards.GRADE_LABELS,
            "unscored": sum(1 for e in entries if e.total is None),
            "errors": errors or [],
            "posted_entry": posted_entry,
        },
        status=400 if errors else 200,
    )


@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    return _detail(request, rs.review_for_user(_user(request), review_id))


@login_required
@require_POST
def review_score(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    user = _user(request)
    entry = rs.entry_for_user(user, review_id, entry_id)
    access = rs.review_for_user(user, review_id)
    std = access.standard
    try:
        review_services.file_review_score(
            actor=user,
            entry_id=entry.pk,
            scores={i.code: request.POST.get(i.code, "") for i in std.items},
            reasons={i.code: request.POST.get(f"why-{i.code}", "") for i in std.items},
            remarks=request.POST.get("remarks", ""),
        )
    except Refused as exc:
        return _detail(request, access, errors=exc.errors, posted_entry=entry.pk)
    messages.success(request, f"{entry.case.case_no}评分已保存")
    return redirect(f"/supervision/reviews/{review_id}/#entry-{entry.pk}")


@login_required
@require_POST
def review_publish(request: HttpRequest, review_id: int) -> HttpResponse:
    user = _user(request)
    access = rs.review_for_user(user, review_id)
    if not access.supervisor:
        raise Http404("页面不存在")
    try:
        review_services.file_review_publish(actor=user, review_id=access.review.pk)
    except Refused as exc:
        return _detail(request, access, errors=exc.errors)
    messages.success(request, "评查结果已公布，被评查单位可以查看本单位的结果")
    return redirect("supervision:review", review_id=review_id)


@login_required
@require_POST
def review_item(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    user = _user(request)
    entry = rs.entry_for_user(user, review_id, entry_id)
    try:
        item = review_services.file_review_raise_item(
            actor=user,
            entry_id=entry.pk,
            title=request.POST.get("title", ""),
            detail=request.POST.get("detail", ""),
        )
    except Refused as exc:
        access = rs.review_for_user(user, review_id)
        return _detail(request, access, errors=exc.errors)
    messages.success(request, "已提出监督事项")
    return redirect("supervision:item", item_id=item.pk)
