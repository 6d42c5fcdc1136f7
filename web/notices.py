"""The officer's notices (站内提醒): the list with its unread count (the bell in the top bar),
marking them read (POST), and which kinds also come by SMS."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from law.personal import mask_phone
from notices import selectors, services
from notices.models import Notice
from procedure.engine import Refused
from web.views import _user

PAGE = 30


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.notices_for(user), PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/notices.html",
        {"page": page, "notices": page.object_list, "unread": selectors.unread_count(user)},
    )


@login_required
@require_POST
def notice_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Mark one notice read and open what it is about (its own link, inside the platform)."""
    notice = services.notice_read(user=_user(request), notice_id=notice_id)
    target = notice.url
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(target, None):
        return redirect("notices")
    return redirect(target)


@login_required
@require_POST
def notices_read_all(request: HttpRequest) -> HttpResponse:
    n = services.notices_read_all(user=_user(request))
    messages.success(request, f"已将 {n} 条提醒标为已读")
    return redirect("notices")


@login_required
def notice_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    errors: dict[str, list[str]] = {}
    chosen = selectors.sms_kinds_of(user)
    if request.method == "POST":
        chosen = request.POST.getlist("sms_kinds")
        try:
            services.notice_settings_set(user=user, sms_kinds=chosen)
        except Refused as exc:
            errors = exc.fields or {"sms_kinds": exc.errors}
        else:
            messages.success(request, "提醒设置已保存")
            return redirect("notice-settings")
    return render(
        request,
        "web/notice_settings.html",
        {
            "kinds": Notice.Kind.choices,
            "chosen": chosen,
            "phone": mask_phone(user.phone) if user.phone else "",
            "errors": errors,
        },
        status=422 if errors else 200,
    )
