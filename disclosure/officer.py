"""The officers' side of 事后公示: the 公示 queue of the unit (the supervisor reads its subtree's)
and a decision's publication with its actions (拟写, 审核, 发布, 撤回), each refusal by field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.models import Decision
from disclosure import selectors, services
from disclosure.models import AgencyProfile, Correction
from ledger.labels import action_label, actor_text
from ledger.models import Entry
from orgs.models import User
from orgs.selectors import unit_scope_q
from procedure.engine import Refused


class TextForm(forms.Form):
    text = forms.CharField(
        label="公示内容（已隐去个人信息）",
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea({"rows": 12}),
    )


class PublishForm(forms.Form):
    pass


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由（向社会公开）", max_length=services.REASON_MAX, required=True
    )


class CorrectForm(forms.Form):
    ending = forms.ChoiceField(label="纠错方式", choices=Correction.Ending.choices)
    corrected_on = forms.DateField(label="纠错决定日期", widget=forms.DateInput({"type": "date"}))
    reason = forms.CharField(
        label="纠错理由（撤回公示时向社会公开）", max_length=services.REASON_MAX, required=True
    )


class ProfileForm(forms.Form):
    basis = forms.CharField(
        label="执法主体资格依据", max_length=2000, widget=forms.Textarea({"rows": 5})
    )
    reconsideration_organ = forms.CharField(label="行政复议机关", max_length=100, required=False)
    court = forms.CharField(label="管辖人民法院", max_length=100, required=False)
    address = forms.CharField(label="办公地址", max_length=200, required=False)
    phone = forms.CharField(label="咨询电话", max_length=30, required=False)


ACTIONS: dict[str, tuple[str, type[forms.Form]]] = {
    "draft": ("保存公示内容", TextForm),
    "approve": ("审核同意", TextForm),
    "publish": ("发布公示", PublishForm),
    "withdraw": ("撤回公示", WithdrawForm),
    "correct": ("登记自行纠错", CorrectForm),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if unit_scope_q(user) is None:
        raise Http404("页面不存在")
    everything = request.GET.get("all") == "1"
    rows = selectors.queue(user, pending_only=not everything)
    return render(request, "disclosure/queue.html", {"rows": rows, "everything": everything})


def _history(decision: Decision) -> list[dict[str, Any]]:
    entries = Entry.objects.filter(
        stream=decision.case.stream, action__in=list(services.ACTIONS)
    ).order_by("seq")
    return [
        {"at": e.at, "action": action_label(e.action), "actor": actor_text(e.actor_name, e.role)}
        for e in entries
        if e.payload.get("decision") == decision.number
    ]


def _page(
    request: HttpRequest, decision: Decision, bound: dict[str, forms.Form], status: int
) -> HttpResponse:
    pub = getattr(decision, "publication", None)
    forms_by_action = {a: bound.get(a) or cls(prefix=a) for a, (_, cls) in ACTIONS.items()}
    text = pub.text if pub is not None else services.default_text(decision)
    for a in ("draft", "approve"):
        if a not in bound:
            forms_by_action[a].initial = {"text": text}
    return render(
        request,
        "disclosure/publication.html",
        {
            "decision": decision,
            "pub": pub,
            "in_scope": selectors.in_scope(decision),
            "due": selectors.publish_due(decision),
            "forms": forms_by_action,
            "names": {a: name for a, (name, _) in ACTIONS.items()},
            "history": _history(decision),
            "correction": Correction.objects.filter(decision=decision).first(),
        },
        status=status,
    )


@login_required
def publication(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = selectors.decision_for_user(_user(request), decision_id)
    return _page(request, decision, {}, 200)


@login_required
@require_POST
def publication_act(request: HttpRequest, decision_id: int, action: str) -> HttpResponse:
    user = _user(request)
    decision = selectors.decision_for_user(user, decision_id)
    if action not in ACTIONS:
        raise Http404("页面不存在")
    name, cls = ACTIONS[action]
    form = cls(request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "draft":
                services.publication_draft(decision_id=decision.pk, actor=user, text=data["text"])
            elif action == "approve":
                services.publication_approve(decision_id=decision.pk, actor=user, text=data["text"])
            elif action == "publish":
                services.publication_publish(decision_id=decision.pk, actor=user)
            elif action == "correct":
                services.decision_correct(decision_id=decision.pk, actor=user, **data)
            else:
                services.publication_withdraw(
                    decision_id=decision.pk, actor=user, reason=data["reason"]
                )
        except Refused as exc:
            for field, reasons in (getattr(exc, "fields", None) or {"": exc.errors}).items():
                for reason in reasons:
                    form.add_error(field if field in form.fields else None, reason)
        else:
            messages.success(request, f"已{name}")
            return redirect("publication:detail", decision_id=decision.pk)
    decision = selectors.decision_for_user(user, decision_id)
    return _page(request, decision, {action: form}, 422)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """事前公示 of the officer's own agency: its basis and how to seek redress, edited by its
    法制审核员 or 分管局长 (anyone else: 404)."""
    user = _user(request)
    unit = services.profile_unit(user)
    if unit is None:
        raise Http404("页面不存在")
    current = AgencyProfile.objects.filter(unit=unit).first()
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.agency_profile_edit(actor=user, **form.cleaned_data)
            except Refused as exc:
                for field, reasons in (getattr(exc, "fields", None) or {"": exc.errors}).items():
                    for reason in reasons:
                        form.add_error(field if field in form.fields else None, reason)
            else:
                messages.success(request, "已保存，公示网站即时更新")
                return redirect("publication:profile")
        status = 422
    else:
        initial = {}
        if current is not None:
            initial = {f: getattr(current, f) for f in ProfileForm.base_fields}
        form = ProfileForm(initial=initial)
    return render(request, "disclosure/profile.html", {"form": form, "unit": unit}, status=status)
