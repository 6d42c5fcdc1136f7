"""事前公示 and 事后公示 (reads).

Officers: `decision_for_user` is the one access function for a decision's publication (the
case's unit for its officers, the subtree for a supervisor, nothing for anyone else: 404).
The public: `public_publications` and `public_publication` read only what is on the site (a
publication published or withdrawn and not past its retention), never the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import Case, Decision
from catalog.models import Matter
from deadlines.models import Deadline
from disclosure.models import AgencyProfile, Publication
from law.limits import DISCLOSURE_PENALTY, DISCLOSURE_WITHDRAWAL, LITIGATION, RECONSIDERATION
from orgs.models import Unit, User
from orgs.selectors import unit_scope_q, valid_certificates
from zhifa import clock

ON_SITE = (Publication.Status.PUBLISHED, Publication.Status.WITHDRAWN)


# --- officers ------------------------------------------------------------------------------------


def decisions_for_user(user: User) -> QuerySet[Decision]:
    scope = unit_scope_q(user, "case__unit")
    if scope is None:
        return Decision.objects.none()
    return Decision.objects.filter(scope)


def decision_for_user(user: User, decision_id: int) -> Decision:
    """The one access function for a decision's publication: out of scope is 404."""
    try:
        return (
            decisions_for_user(user)
            .select_related("case__unit", "party", "publication")
            .prefetch_related("items")
            .get(pk=decision_id)
        )
    except (Decision.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("处罚决定不存在") from None


@dataclass(frozen=True)
class QueueRow:
    decision: Decision
    publication: Publication | None
    publish_due: dt.date | None
    publish_status: str  # the publication limit's row: running, approaching, overdue, met…
    withdraw_due: dt.date | None
    withdraw_status: str

    @property
    def state(self) -> str:
        if self.publication is None:
            return "待拟写"
        return self.publication.get_status_display()


def queue(user: User, *, pending_only: bool = True, limit: int = 200) -> list[QueueRow]:
    """The 公示 queue: the general-procedure penalty decisions of the user's scope that are to be
    published or withdrawn (all of them with `pending_only` off), oldest limit first."""
    qs = (
        decisions_for_user(user)
        .filter(case__procedure=Case.Procedure.GENERAL, outcome=Decision.Outcome.PENALTY)
        .select_related("case__unit", "party", "publication")
        .prefetch_related("items")
    )
    limits = Deadline.objects.filter(
        code__in=(DISCLOSURE_PENALTY.code, DISCLOSURE_WITHDRAWAL.code),
        case_id__in=qs.values("case_id"),
    ).exclude(status=Deadline.Status.CANCELLED)
    if pending_only:
        open_limit = limits.filter(stopped_on=None)
        qs = qs.filter(
            Q(party_id__in=open_limit.values("party_id"))
            | Q(publication__status__in=(Publication.Status.DRAFT, Publication.Status.APPROVED))
        )
    rows = list(qs.order_by("-decided_on", "-pk")[:limit])
    found: dict[tuple[int | None, str], Deadline] = {}
    for d in limits.filter(party_id__in=[r.party_id for r in rows]).order_by("id"):
        found[(d.party_id, d.code)] = d
    out = []
    for decision in rows:
        pub = getattr(decision, "publication", None)
        p = found.get((decision.party_id, DISCLOSURE_PENALTY.code))
        w = found.get((decision.party_id, DISCLOSURE_WITHDRAWAL.code))
        out.append(
            QueueRow(
                decision=decision,
                publication=pub,
                publish_due=p.due_on if p else (pub.publish_due if pub else None),
                publish_status=p.get_status_display() if p else "",
                withdraw_due=w.due_on if w else None,
                withdraw_status=w.get_status_display() if w else "",
            )
        )
    out.sort(key=lambda r: r.withdraw_due or r.publish_due or dt.date.max)
    return out


# --- the public site -----------------------------------------------------------------------------


def public_publications(
    *,
    unit: str = "",
    party: str = "",
    number: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Publication]:
    """What the site lists: published or withdrawn and within retention, newest first."""
    today = clock.today()
    qs = Publication.objects.filter(status__in=ON_SITE, shown_until__gte=today)
    if unit:
        qs = qs.filter(unit__code=unit)
    if party:
        qs = qs.filter(party_name__contains=party)
    if number:
        qs = qs.filter(number__contains=number)
    if since:
        qs = qs.filter(decided_on__gte=since)
    if until:
        qs = qs.filter(decided_on__lte=until)
    return qs.select_related("unit").order_by("-published_on", "-pk")


def public_publication(publication_id: int) -> Publication:
    try:
        return public_publications().get(pk=publication_id)
    except (Publication.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("公示信息不存在或已停止公示") from None


def public_agencies(query: str = "") -> QuerySet[Unit]:
    """The 执法主体 the 事前公示 lists (the agencies and townships), by name."""
    qs = Unit.objects.filter(kind__in=(Unit.Kind.AGENCY, Unit.Kind.TOWNSHIP))
    if query:
        qs = qs.filter(name__contains=query)
    return qs.order_by("path")


def public_agency(code: str) -> Unit:
    try:
        return public_agencies().get(code=code)
    except (Unit.DoesNotExist, ValueError):
        raise Http404("执法主体不存在") from None


@dataclass(frozen=True)
class PublicOfficer:
    """Name and 执法证 number: nothing else of an officer is published."""

    name: str
    number: str
    scope: str


def public_officers(unit: Unit, query: str = "") -> list[PublicOfficer]:
    """The unit's officers holding a 执法证 valid today (orgs.selectors.valid_certificates)."""
    rows = valid_certificates(clock.today()).filter(user__unit=unit, user__is_active=True)
    if query:
        rows = rows.filter(user__full_name__contains=query)
    return [
        PublicOfficer(c.user.full_name or "", c.number, c.scope)
        for c in rows.select_related("user").order_by("user__full_name", "number")
    ]


def public_matters(unit: Unit) -> QuerySet[Matter]:
    """The unit's 权责清单 entries in force today."""
    today = clock.today()
    return (
        Matter.objects.filter(implementing_units=unit)
        .filter(Q(valid_from=None) | Q(valid_from__lte=today))
        .filter(Q(valid_until=None) | Q(valid_until__gte=today))
        .order_by("code")
    )


@dataclass(frozen=True)
class Redress:
    basis: str
    reconsideration_organ: str
    court: str
    address: str
    phone: str
    reconsideration: str  # the period and its article
    litigation: str


def redress(unit: Unit) -> Redress:
    """How a party seeks 复议 and 诉讼 against the unit's decisions, with the periods' articles;
    the organ defaults to the government above the agency (行政复议法第二十四条)."""
    profile = AgencyProfile.objects.filter(unit=unit).first()
    government = unit.parent
    while government is not None and government.kind != Unit.Kind.GOVERNMENT:
        government = government.parent
    organ = (profile.reconsideration_organ if profile else "") or (
        government.name if government is not None else ""
    )
    return Redress(
        basis=profile.basis if profile else "",
        reconsideration_organ=organ,
        court=(profile.court if profile else "") or "有管辖权的人民法院",
        address=profile.address if profile else "",
        phone=profile.phone if profile else "",
        reconsideration=f"自知道该行政行为之日起{RECONSIDERATION.duration_label}内（{RECONSIDERATION.citation}）",
        litigation=f"自知道或者应当知道作出行政行为之日起{LITIGATION.duration_label}内（{LITIGATION.citation}）",
    )
