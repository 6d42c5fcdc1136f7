"""The public site's pages (no login, cached by anyone): 事前公示 of each agency and the published
penalty decisions, with their JSON feed. They read only what is published (disclosure.selectors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from disclosure import selectors
from disclosure.models import Publication
from disclosure.portal import agency_parts, public_page, site_context
from law.penalties import PENALTY_LABELS, PenaltyType

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
MAX_PAGE = 500  # deeper than this, narrow the search
_TYPES = frozenset(t.value for t in PenaltyType)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/home.html", site_context(request))


class AgencySearch(forms.Form):
    q = forms.CharField(label="名称", max_length=50, required=False)


@public_page
def agencies(request: HttpRequest) -> HttpResponse:
    form = AgencySearch(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "disclosure/agencies.html",
        {**site_context(request), "form": form, "agencies": selectors.public_agencies(query)},
    )


class OfficerSearch(forms.Form):
    q = forms.CharField(label="执法人员姓名", max_length=50, required=False)


def _bands(raw: Any) -> list[tuple[str, str]]:
    names = {"lighter": "从轻", "ordinary": "一般", "heavier": "从重"}
    if not isinstance(raw, dict):
        return []
    return [
        (names.get(k, str(k)), f"{v.get('min', '')}元至{v.get('max', '')}元")
        for k, v in raw.items()
        if isinstance(v, dict)
    ]


@public_page
def agency(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.public_agency(code)
    form = OfficerSearch(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    matters = [
        {
            "matter": m,
            "types": "、".join(
                PENALTY_LABELS[PenaltyType(t)] for t in m.penalty_types if t in _TYPES
            ),
            "bands": _bands(m.bands),
        }
        for m in selectors.public_matters(unit)
    ]
    return render(
        request,
        "disclosure/agency.html",
        {
            **site_context(request),
            "unit": unit,
            "form": form,
            "officers": selectors.public_officers(unit, query),
            "matters": matters,
            "redress": selectors.redress(unit),
            "parts": agency_parts(unit),
        },
    )


class AgencySelect(forms.Select):
    """The agency list (every agency and township: a hundred options and more) written in Python:
    rendered option by option through the widget templates it was most of the list page's time."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, mark_safe(" selected") if str(code) == chosen else "", label)
                for code, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class DecisionSearch(forms.Form):
    unit = forms.ChoiceField(label="执法机关", required=False, widget=AgencySelect)
    party = forms.CharField(label="当事人", max_length=50, required=False)
    number = forms.CharField(label="决定书文号", max_length=60, required=False)
    since = forms.DateField(
        label="决定日期自", required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label="至", required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "全部")] + [
            (u.code, u.name) for u in selectors.public_agencies().only("code", "name")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("since", "until"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, "日期应在2000年至2100年之间")
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "结束日期不能早于开始日期")
        return data


def _search(request: HttpRequest) -> tuple[DecisionSearch, Any]:
    form = DecisionSearch(request.GET)
    form.is_valid()
    data = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if k not in form.errors}
    rows = selectors.public_publications(
        unit=data.get("unit") or "",
        party=(data.get("party") or "").strip(),
        number=(data.get("number") or "").strip(),
        since=data.get("since"),
        until=data.get("until"),
    )
    return form, rows


class BoundedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts no further than its last page (MAX_PAGE pages): a million decisions on the site are
    not counted on every visit. `more` says there were more than `count`."""

    def __init__(self, rows: QuerySet[Publication], per_page: int, max_pages: int) -> None:
        super().__init__(rows, per_page)
        self.rows = rows
        self.cap = per_page * max_pages

    @cached_property
    def _bounded(self) -> int:
        # Which rows are counted does not matter, only whether there are more than the cap: no
        # order, so the database stops at the first cap + 1 it meets.
        return self.rows.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded, self.cap)

    @property
    def more(self) -> bool:
        return self._bounded > self.cap


def _paginate(request: HttpRequest, rows: Any) -> Any:
    size = settings.DISCLOSURE_PAGE_SIZE
    return BoundedPaginator(rows, size, MAX_PAGE).get_page(_page_number(request))


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


@public_page
def decisions(request: HttpRequest) -> HttpResponse:
    form, rows = _search(request)
    page = _paginate(request, rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/decisions.html",
        {**site_context(request), "form": form, "page": page, "query": query.urlencode()},
    )


@public_page
def decision(request: HttpRequest, publication_id: int) -> HttpResponse:
    pub = selectors.public_publication(publication_id)
    return render(request, "disclosure/decision.html", {**site_context(request), "pub": pub})


def feed_item(pub: Publication) -> dict[str, Any]:
    """One decision as the feed gives it: a withdrawn one without its text."""
    withdrawn = pub.status == Publication.Status.WITHDRAWN
    return {
        "id": pub.pk,
        "url": reverse("disclosure:decision", args=[pub.pk]),
        "agency": {"code": pub.unit.code, "name": pub.unit.name},
        "number": pub.number,
        "party": pub.party_name,
        "credit_code": pub.credit_code or None,
        "penalty": pub.summary,
        "decided_on": pub.decided_on.isoformat(),
        "published_on": pub.published_on.isoformat() if pub.published_on else None,
        "status": pub.status,
        "text": None if withdrawn else pub.text,
        "withdrawn_on": pub.withdrawn_on.isoformat() if pub.withdrawn_on else None,
        "withdrawal_reason": pub.withdrawal_reason if withdrawn else None,
    }


@public_page
def feed(request: HttpRequest) -> HttpResponse:
    """The published decisions as plain JSON, paged, with the list page's filters."""
    form, rows = _search(request)
    page = _paginate(request, rows)
    query = request.GET.copy()
    query.pop("page", None)
    base = reverse("disclosure:feed")

    def link(n: int) -> str:
        query["page"] = str(n)
        return f"{base}?{query.urlencode()}"

    body = {
        "count": page.paginator.count,
        "count_more": page.paginator.more,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "errors": {k: [str(m) for m in v] for k, v in form.errors.items()},
        "items": [feed_item(p) for p in page.object_list],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
