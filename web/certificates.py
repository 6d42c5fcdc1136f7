"""The register of 执法证 in pages: the 执法证管理员 issues, suspends, reinstates and revokes within
the subtree it keeps; the 执法监督员 reads the register of its subtree and what needs attention
(certificates about to expire, acts without a valid certificate, staff who never enforce)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.certified import uncertified_acts, uncertified_cases
from law.certificates import REVOKE_LABELS, STATUS_LABELS
from ledger.labels import action_label, actor_text
from ledger.models import Entry
from orgs import selectors, services
from orgs.models import Certificate, Region, User
from procedure.engine import Refused
from procedure.roles import Role
from web.views import _user
from zhifa import clock

PAGE = 50
ACTIONS = {"suspend": "暂扣", "reinstate": "恢复", "revoke": "吊销（注销）"}


class IssueForm(forms.Form):
    holder = forms.TypedChoiceField(label="持证人", coerce=int)
    number = forms.CharField(label="证件号", max_length=30)
    scope = forms.CharField(label="执法领域", max_length=100)
    region = forms.ChoiceField(label="执法区域")
    issuer = forms.CharField(label="发证机关", max_length=100)
    valid_from = forms.DateField(label="有效期起", widget=forms.DateInput({"type": "date"}))
    valid_until = forms.DateField(label="有效期至", widget=forms.DateInput({"type": "date"}))
    training_hours = forms.IntegerField(label="培训学时", min_value=0, max_value=1000)
    exam_on = forms.DateField(label="考试日期", widget=forms.DateInput({"type": "date"}))
    exam_score = forms.DecimalField(
        label="考试成绩", min_value=0, max_value=100, max_digits=4, decimal_places=1
    )

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = selectors.officers_for_admin(admin)
        holder = self.fields["holder"]
        region = self.fields["region"]
        assert isinstance(holder, forms.ChoiceField) and isinstance(region, forms.ChoiceField)
        holder.choices = [("", "请选择")] + [
            (u.pk, f"{u} · {u.unit.name if u.unit else ''} · {u.get_employment_display()}")
            for u in people
        ]
        root = selectors.certificate_admin_root(admin)
        regions = Region.objects.all()
        if root is not None:
            home = root.region_id
            regions = regions.filter(code=home) | regions.filter(parent_code=home)
        region.choices = [("", "请选择")] + [(r.code, r.name) for r in regions]
        self.fields["issuer"].initial = settings.CERTIFICATE_ISSUER
        if root is not None:
            self.fields["region"].initial = root.region_id


class ChangeForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)
    on = forms.DateField(label="生效日期", required=False, widget=forms.DateInput({"type": "date"}))
    kind = forms.ChoiceField(
        label="吊销或注销",
        required=False,
        choices=[("", "请选择")] + [(k.value, label) for k, label in REVOKE_LABELS.items()],
    )


def _refused_into(form: forms.Form, exc: Refused, rename: dict[str, str] | None = None) -> None:
    """The service's reasons by field onto the form's fields (others above the form)."""
    rename = rename or {}
    for field, reasons in (exc.fields or {"": exc.errors}).items():
        name = rename.get(field, field)
        for reason in reasons:
            form.add_error(name if name in form.fields else None, reason)


def _reader(request: HttpRequest) -> User:
    """Who may open the register: its keepers and the supervisors; anyone else finds nothing."""
    user = _user(request)
    if selectors.certificate_admin_root(user) is None and selectors.supervised_root(user) is None:
        raise Http404("页面不存在")
    return user


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    today = clock.today()
    status = request.GET.get("status", "")
    status = status if status in {s.value for s in STATUS_LABELS} else ""
    query = request.GET.get("q", "")
    rows = selectors.certificate_rows(user, today, status=status, query=query)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    for cert in page.object_list:
        cert.label = cert.status_label(today)
        cert.state = cert.status_for(today).value
    return render(
        request,
        "certificates/list.html",
        {
            "page": page,
            "status": status,
            "q": query.replace("\x00", ""),
            "statuses": [(s.value, label) for s, label in STATUS_LABELS.items()],
            "may_issue": selectors.certificate_admin_root(user) is not None,
        },
    )


@login_required
def certificate_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if selectors.certificate_admin_root(user) is None:
        raise Http404("页面不存在")
    form = IssueForm(request.POST or None, admin=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                cert = services.certificate_register(
                    actor=user,
                    holder_id=data["holder"],
                    number=data["number"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    scope=data["scope"],
                    region_code=data["region"],
                    issuer=data["issuer"],
                    training_hours=data["training_hours"],
                    exam_on=data["exam_on"],
                    exam_score=data["exam_score"],
                )
            except Refused as exc:
                _refused_into(form, exc)
            else:
                messages.success(request, f"已发放执法证{cert.number}")
                return redirect("certificate-detail", certificate_id=cert.pk)
        status = 422
    return render(request, "certificates/new.html", {"form": form}, status=status)


def _history(cert: Certificate) -> list[dict[str, Any]]:
    entries = Entry.objects.filter(stream=f"certificate:{cert.pk}").order_by("seq")
    return [
        {
            "at": e.at,
            "action": action_label(e.action),
            "actor": actor_text(e.actor_name, e.role),
            "reason": e.payload.get("reason", ""),
            "on": e.payload.get("on", ""),
        }
        for e in entries
    ]


def _detail(
    request: HttpRequest, cert: Certificate, forms_by_action: dict[str, ChangeForm], status: int
) -> HttpResponse:
    user = _user(request)
    today = clock.today()
    manage = selectors.certificate_admin_root(user) is not None
    return render(
        request,
        "certificates/detail.html",
        {
            "cert": cert,
            "label": cert.status_label(today),
            "state": cert.status_for(today).value,
            "history": _history(cert),
            "manage": manage,
            "forms": forms_by_action,
            "actions": ACTIONS,
        },
        status=status,
    )


@login_required
def certificate_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    cert = selectors.certificate_for_user(_reader(request), certificate_id)
    return _detail(request, cert, {a: ChangeForm(prefix=a) for a in ACTIONS}, 200)


@login_required
@require_POST
def certificate_change(request: HttpRequest, certificate_id: int, action: str) -> HttpResponse:
    user = _reader(request)
    cert = selectors.certificate_for_user(user, certificate_id)
    if action not in ACTIONS:
        raise Http404("页面不存在")
    forms_by_action = {a: ChangeForm(prefix=a) for a in ACTIONS}
    form = forms_by_action[action] = ChangeForm(request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "suspend":
                services.certificate_suspend(
                    actor=user, certificate_id=cert.pk, reason=data["reason"], on=data["on"]
                )
            elif action == "reinstate":
                services.certificate_reinstate(
                    actor=user, certificate_id=cert.pk, reason=data["reason"]
                )
            else:
                services.certificate_revoke(
                    actor=user,
                    certificate_id=cert.pk,
                    kind=data["kind"],
                    reason=data["reason"],
                    on=data["on"],
                )
        except Refused as exc:
            _refused_into(form, exc)
        else:
            messages.success(request, f"执法证{cert.number}已{ACTIONS[action]}")
            return redirect("certificate-detail", certificate_id=cert.pk)
    cert.refresh_from_db()
    return _detail(request, cert, forms_by_action, 422)


@login_required
def certificate_oversight(request: HttpRequest) -> HttpResponse:
    """The supervisor's page: what in the register of its subtree needs attention."""
    user = _user(request)
    if selectors.supervised_root(user) is None:
        raise Http404("页面不存在")
    today = clock.today()
    days = settings.CERTIFICATE_EXPIRY_WARN_DAYS
    expiring = list(selectors.expiring_certificates(user, today, days)[:200])
    for cert in expiring:
        cert.days_left = (cert.valid_until - today).days  # type: ignore[attr-defined]
    # No count: over a city's cases the list costs a scan (about 1.5 s per 100,000 cases on
    # PostgreSQL), so it is read once, a page and one row more to know whether a next exists.
    number = request.GET.get("page", "1")
    number_int = int(number) if number.isascii() and number.isdigit() else 1
    number_int = min(max(number_int, 1), 200)
    start = (number_int - 1) * PAGE
    found = list(uncertified_cases(user)[start : start + PAGE + 1])
    shown = found[:PAGE]
    acts: dict[int, list[Any]] = {}
    for act in uncertified_acts(shown):
        acts.setdefault(act.case_id, []).append(act)
    rows = [{"case": c, "acts": acts.get(c.pk, [])} for c in shown]
    page = {
        "number": number_int,
        "previous": number_int - 1 if number_int > 1 else None,
        "next": number_int + 1 if len(found) > PAGE and number_int < 200 else None,
    }
    return render(
        request,
        "certificates/oversight.html",
        {
            "days": days,
            "expiring": expiring,
            "page": page,
            "rows": rows,
            "staff": list(selectors.non_enforcing_staff(user)[:200]),
            "role": Role.SUPERVISOR,
        },
    )
