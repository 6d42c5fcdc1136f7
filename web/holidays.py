"""The holiday arrangement page (系统管理员): a year of the State Council's 放假安排 entered,
previewed and loaded, for the years the shipped calendar does not cover."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from deadlines import selectors as deadline_selectors
from deadlines import services as deadline_services
from law.calendar import OverrideTableError, library_years
from orgs.models import User
from procedure.roles import Role
from web.forms import CalendarForm
from web.views import _user


def _calendar_admin(request: HttpRequest) -> User:
    """The holiday arrangement is the 系统管理员's: anyone else finds no such page."""
    user = _user(request)
    if not user.has_role(Role.SYS_ADMIN):
        raise Http404("页面不存在")
    return user


@login_required
def calendar_admin(request: HttpRequest) -> HttpResponse:
    """Load one year of the State Council's 放假安排: enter it, preview it, then load it."""
    user = _calendar_admin(request)
    form = CalendarForm(request.POST or None)
    preview: list[deadline_selectors.PreviewDay] = []
    table_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        year, text = form.cleaned_data["year"], form.cleaned_data["table"]
        try:
            if request.POST.get("action") == "load":
                years = deadline_services.calendar_load(text=text, year=year, actor=user)
                messages.success(request, f"已载入{'、'.join(map(str, years))}年的节假日安排")
                return redirect("calendar-admin")
            preview = deadline_selectors.calendar_rows(text, year)
        except OverrideTableError as exc:
            table_errors = exc.errors
    return render(
        request,
        "web/calendar.html",
        {
            "form": form,
            "preview": preview,
            "holidays": sum(1 for r in preview if not r.working),
            "workdays": sum(1 for r in preview if r.working),
            "table_errors": table_errors,
            "cliff": deadline_selectors.calendar_cliff_now(),
            "loaded": deadline_selectors.calendar_loaded_years(),
            "shipped": max(library_years()),
        },
    )
