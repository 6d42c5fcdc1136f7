"""Registering a case from the web: 案源登记 (step 1 of the general procedure), an on-the-spot
简易程序 case, and the matter picker of their form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.models import Case
from cases.payloads import LeadIn
from cases.services import steps as case_steps
from catalog.selectors import PICK_LIMIT, matters_for_unit, matters_search
from orgs.models import User
from procedure.engine import Refused
from web import stepforms
from web.views import _user
from zhifa import clock

# --- registering a case ------------------------------------------------------------------------


def _matters_for(user: User) -> Any:
    return matters_for_unit(user.unit_id).order_by("code")[:500]


@login_required
def matter_pick(request: HttpRequest) -> HttpResponse:
    """The matter picker's options (htmx): the unit's matters matching the search, the one
    already chosen kept first."""
    user = _user(request)
    chosen = request.GET.get("matter_code", "")
    found = matters_search(user.unit_id, request.GET.get("matter_q", ""))
    keep = (
        []
        if any(m.code == chosen for m in found)
        else list(matters_for_unit(user.unit_id).filter(code=chosen)[:1])
    )
    return render(
        request,
        "web/_matter_options.html",
        {"matters": keep + found, "chosen": chosen, "limit": PICK_LIMIT},
    )


@login_required
def case_new(request: HttpRequest, procedure: str = "general") -> HttpResponse:
    """案源登记 (step 1 of the general procedure) or an on-the-spot 简易程序 case."""
    user = _user(request)
    simple = procedure == "simple"
    data: dict[str, Any] = {
        "discovered_on": clock.today().isoformat(),
        "source": "patrol",
        "parties": [{"kind": "person"}],
    }
    errors: dict[str, list[str]] = {}
    refusals: list[str] = []
    if request.method == "POST":
        data = stepforms.collect(request.POST)
        data["procedure"] = procedure
        valid, errors = stepforms.validate(LeadIn, data)
        if simple and not data.get("matter_code"):
            errors.setdefault("matter_code", []).append("当场处罚须选择权责事项")
            valid = None
        if valid is not None:
            try:
                case = case_steps.case_register(
                    actor=user,
                    procedure=procedure,
                    source=valid["source"],
                    clue=valid["clue"],
                    discovered_on=dt.date.fromisoformat(valid["discovered_on"]),
                    act_on=_day(valid.get("act_on")),
                    act_ended_on=_day(valid.get("act_ended_on")),
                    place=valid["place"],
                    matter_code=valid.get("matter_code"),
                    parties=valid["parties"],
                )
            except Refused as exc:
                refusals = exc.errors
            else:
                messages.success(request, f"已登记：{case.lead_no}")
                return redirect("case-detail", case_id=case.pk)
    context = {
        "simple": simple,
        "data": data,
        "errors": errors,
        "error_summary": stepforms.summary(errors),
        "refusals": refusals,
        "party_rows": range(1 if simple else 3),
        "sources": Case.Source.choices,
        "kinds": [("person", "公民"), ("organisation", "法人"), ("other", "其他组织")],
        "matters": _matters_for(user),
    }
    return render(request, "web/case_new.html", context)


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
