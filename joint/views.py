"""Thin views: load through the access function, call one service, render or redirect."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.batch import run_batch, selected_ids
from joint import selectors, services
from joint.documents import notice_pdf
from joint.models import ParkingReport
from orgs.models import User
from procedure.engine import END, Refused
from procedure.joint import JOINT_PARKING
from procedure.roles import Role
from zhifa import clock
from zhifa.query import query_day

# Streets of the joint team's area offered on the phone page (any other may be typed).
STREETS = ("东昌路", "柳园路", "兴华路", "花园路", "建设路", "湖南路", "光岳路", "振兴路", "东关街")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _photo(f: UploadedFile) -> services.PhotoIn:
    return services.PhotoIn(f.read(), f.name or "", f.content_type or "")


def _photos(request: HttpRequest, *names: str) -> list[services.PhotoIn]:
    return [_photo(f) for name in names for f in request.FILES.getlist(name)]


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """The phone page: plate, place (GPS or typed), at least two photos."""
    user = _user(request)
    if not user.has_role(Role.HANDLER):
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        try:
            report = services.parking_report_submit(
                actor=user,
                plate=request.POST.get("plate", ""),
                street=request.POST.get("street", ""),
                cross_street=request.POST.get("cross_street", ""),
                place=request.POST.get("place", ""),
                latitude=request.POST.get("latitude"),
                longitude=request.POST.get("longitude"),
                accuracy_m=request.POST.get("accuracy"),
                photos=_photos(request, "photo1", "photo2", "photo3"),
            )
        except Refused as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"已提交，{'已短信提醒车主' if report.owner_found else '未查到车主手机号'}，"
                f"请在{timezone.localtime(report.window_ends_at):%H:%M}前确认是否驶离",
            )
            return redirect("joint-detail", report_id=report.pk)
    recent = selectors.reports_for_user(user).filter(officer=user, step="park_window")
    return render(
        request,
        "joint/report_new.html",
        {
            "errors": errors,
            "form": request.POST,
            "streets": STREETS,
            "waiting": recent.order_by("window_ends_at")[:20],
            "now": clock.now(),
        },
        status=422 if errors else 200,
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = selectors.reports_for_user(user).select_related("officer").order_by("-reported_at")
    step = request.GET.get("step", "")
    if step:
        qs = qs.filter(step=step)
    names = {s.code: s.name for s in JOINT_PARKING.steps} | {END: "已办结"}
    reports = list(qs[:100])
    for r in reports:
        r.step_name = names.get(r.step, r.step)  # type: ignore[attr-defined]
    return render(
        request,
        "joint/report_list.html",
        {"reports": reports, "steps": JOINT_PARKING.steps, "step": step},
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _user(request)
    return _detail_page(request, user, selectors.get_report_for_user(user, report_id))


def _detail_page(
    request: HttpRequest,
    user: User,
    report: ParkingReport,
    revealed: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    step = None if report.step == END else JOINT_PARKING.step(report.step)
    return render(
        request,
        "joint/report_detail.html",
        {
            "r": report,
            "step": step,
            "photos": report.photos.all(),
            "timeline": selectors.timeline(report),
            "messages_out": selectors.messages(report),
            "remaining": int(services.window_now(report).total_seconds()),
            "is_officer": user.unit_id == report.unit_id and user.has_role(Role.HANDLER),
            # The owner's phone is masked on every read; the officer who handles the report
            # reveals it with one click (a POST, logged) to call the owner.
            "may_reveal": services.owner_phone_sight(user, report).value == "full",
            "revealed": revealed,
            "is_reviewer": user.unit_id == report.review_unit_id
            and user.has_role(Role.TRAFFIC_REVIEWER),
            "may_print": user.unit_id in {report.unit_id, report.review_unit_id},
            "first_offence": services.first_offence(report)
            if report.step == "park_review"
            else None,
        },
        status=status,
    )


@login_required
@require_POST
def owner_phone_reveal(request: HttpRequest, report_id: int) -> HttpResponse:
    """显示完整: the owner's whole phone number on this answer only, the access logged."""
    user = _user(request)
    report = selectors.get_report_for_user(user, report_id)
    try:
        phones = services.owner_phone_reveal(actor=user, report_id=report.pk)
    except Refused as exc:
        for e in exc.errors:
            messages.error(request, e)
        return _detail_page(request, user, report, status=422)
    return _detail_page(request, user, report, revealed=phones)


def _act(request: HttpRequest, report_id: int, fn: object, **kwargs: object) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report_for_user(user, report_id)
    try:
        fn(report_id=report.pk, actor=user, **kwargs)  # type: ignore[operator]
    except Refused as exc:
        for e in exc.errors:
            messages.error(request, e)
    else:
        messages.success(request, "已办理")
    return redirect("joint-detail", report_id=report.pk)


@login_required
@require_POST
def drive_away(request: HttpRequest, report_id: int) -> HttpResponse:
    files = _photos(request, "photo")
    return _act(request, report_id, services.parking_drive_away, photo=files[0] if files else None)


@login_required
@require_POST
def claim_reject(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(
        request, report_id, services.parking_claim_reject, reason=request.POST.get("reason", "")
    )


@login_required
@require_POST
def review(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(
        request,
        report_id,
        services.parking_review,
        decision=request.POST.get("decision", ""),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(
        request,
        report_id,
        services.parking_resubmit,
        note=request.POST.get("note", ""),
        photos=_photos(request, "photo"),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(
        request, report_id, services.parking_withdraw, reason=request.POST.get("reason", "")
    )


@login_required
@require_POST
def posted(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(request, report_id, services.parking_notice_posted)


@login_required
@require_POST
def upload_retry(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(request, report_id, services.parking_upload_retry)


@login_required
@require_POST
def notice_print(request: HttpRequest, report_id: int) -> HttpResponse:
    """Print the 《违法停车提示单》: record the print, answer the PDF (the page's form opens it in
    a new tab). There is no GET of the PDF: every print is in the record, and a GET that served
    it unrecorded would be a print the record misses."""
    user = _user(request)
    report = selectors.get_report_for_user(user, report_id)
    try:
        report = services.parking_notice_print(report_id=report.pk, actor=user)
    except Refused as exc:
        for e in exc.errors:
            messages.error(request, e)
        return redirect("joint-detail", report_id=report.pk)
    response = HttpResponse(notice_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{report.notice_no}.pdf"'
    return response


@login_required
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    row = selectors.get_photo_for_user(_user(request), photo_id)
    return FileResponse(row.file.open("rb"), content_type=row.content_type)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The traffic reviewer's queue: filters, pages of 50, batch 审核 of the ticked reports."""
    user = _user(request)
    g = request.GET
    filters: dict[str, Any] = {
        "street": g.get("street", "").strip()[:60],
        "plate": g.get("plate", "").strip()[:10],
        "since": query_day(g.get("since", "")),
        "until": query_day(g.get("until", "")),
    }
    page = Paginator(selectors.review_queue(user, **filters), 50).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    return render(
        request,
        "joint/review_queue.html",
        {
            "reviewer": user.has_role(Role.TRAFFIC_REVIEWER),
            "page": page,
            "reports": page.object_list,
            "filters": filters,
            "streets": STREETS,
            "query": query.urlencode(),
            "failed": selectors.failed_uploads(user)[:50],
        },
    )


BATCH_DECISIONS = {"approve": "审核通过", "warn": "警告", "reject": "退回"}


@login_required
@require_POST
def review_batch(request: HttpRequest) -> HttpResponse:
    """审核 of each ticked report through the same service as its own page."""
    user = _user(request)
    back = redirect(f"{reverse('joint-review-queue')}?{request.POST.get('query', '')}")
    ids = selected_ids(request.POST.getlist("ids"))
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    if not ids:
        messages.error(request, "请勾选要审核的记录（每次最多100条）")
        return back
    if decision not in BATCH_DECISIONS:
        messages.error(request, "请选择审核结果")
        return back
    if decision == "reject" and not reason.strip():
        messages.error(request, "批量退回须填写退回理由")
        return back

    def act(report_id: int) -> None:
        selectors.review_queued_or_404(user, report_id)
        services.parking_review(report_id=report_id, actor=user, decision=decision, reason=reason)

    plates = dict(
        ParkingReport.objects.filter(pk__in=ids, review_unit_id=user.unit_id).values_list(
            "pk", "plate"
        )
    )
    result = run_batch((f"{plates.get(i, '记录')}（{i}）", partial(act, i)) for i in ids)
    done, refused = result.summary(BATCH_DECISIONS[decision])
    messages.success(request, done)
    for line in refused:
        messages.error(request, line)
    return back


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    day = clock.today()
    raw = request.GET.get("day", "")
    if raw:
        try:
            day = type(day).fromisoformat(raw)
        except ValueError:
            messages.error(request, "日期格式应为YYYY-MM-DD")
    return render(request, "joint/dashboard.html", selectors.dashboard(user, day))


def owner_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The owner's link from the SMS (no login): confirm the car has been driven away."""
    import hashlib

    digest = hashlib.sha256(token.encode()).hexdigest()
    report = ParkingReport.objects.filter(owner_token_hash=digest).first()
    if report is None:
        raise Http404("链接无效")
    done, errors = False, []
    if request.method == "POST":
        try:
            services.parking_drive_away(report_id=report.pk, owner_token=token)
            done = True
        except Refused as exc:
            errors = exc.errors
        report.refresh_from_db()
    return render(
        request,
        "joint/owner_confirm.html",
        {"r": report, "done": done, "errors": errors, "open": report.step == "park_window"},
    )
