"""显示完整 on the case page: a party's whole numbers on one answer only, the access logged."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from cases import personal as case_personal
from cases import selectors as case_selectors
from cases.models import Party
from procedure.engine import Refused
from web.views import _case_page, _user


@dataclass(frozen=True)
class RevealPosted:
    """A reveal asked on the case page: the party shown whole, or the reasons it was refused."""

    index: int
    party: Party | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    reason: str = ""


@login_required
@require_POST
def party_reveal(request: HttpRequest, case_id: int, index: int) -> HttpResponse:
    """显示完整: the party's whole numbers on this answer only, the access logged."""
    user = _user(request)
    case = case_selectors.get_case_for_user(user, case_id)
    reason = request.POST.get("reason", "")
    try:
        party = case_personal.party_reveal(actor=user, case_id=case.pk, index=index, reason=reason)
    except Refused as exc:
        errors = getattr(exc, "fields", None) or {"reason": exc.errors}
        posted = RevealPosted(index=index, errors=errors, reason=reason[:200])
        return _case_page(request, case, revealed=posted, status=422)
    return _case_page(request, case, revealed=RevealPosted(index=index, party=party))
