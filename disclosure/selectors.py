"""事前公示 and 事后公示 (reads).

Officers: `decision_for_user` is the one access function for a decision's publication (the
case's unit for its officers, the subtree for a supervisor, nothing for anyone else: 404).
The public: `public_publications` and `public_publication` read only what is on the site (a
publication published or withdrawn and not past its retention), never the case.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import Case, Decision
from catalog.models import Matter
from deadlines.models import Deadline
from deadlines.services import working_calendar
from disclosure.models import AgencyProfile, Publication
from law import disclosure as rules
from law.calendar import CalendarNotCovered
from law.limits import (
    DISCLOSURE_PENALTY,
    DISCLOSURE_WITHDRAWAL,
    LITIGATION,
    RECONSIDERATION,
    due_date,
)
from law.penalties import PenaltyType
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


def items_of(decision: Decision) -> list[tuple[PenaltyType, Decimal | None]]:
    return [(PenaltyType(i.type), i.amount) for i in decision.items.all()]


def in_scope(decision: Decision) -> bool:
    """Whether the decision is one the site publishes (law.disclosure.publishable, the settings)."""
    return publishable(decision.case.procedure, decision, [t for t, _ in items_of(decision)])


def publishable(procedure: str, decision: Decision, types: list[PenaltyType]) -> bool:
    """in_scope for a decision of a case of `procedure` whose items' types are given."""
    return rules.publishable(
        procedure=procedure,
        outcome=decision.outcome,
        types=types,
        include_warning_only=settings.DISCLOSURE_INCLUDE_WARNING_ONLY,
    )


def publish_due(decision: Decision) -> dt.date | None:
    """The last day to publish: its limit's row (even one cancelled when the case closed), else
    counted from the decision (one made before the limit was recorded); None where the calendar
    does not reach."""
    row = (
        Deadline.objects.filter(
            case_id=decision.case_id, party_id=decision.party_id, code=DISCLOSURE_PENALTY.code
        )
        .order_by("-id")
        .values_list("due_on", flat=True)
        .first()
    )
    if row is not None:
        return row
    limit = dataclasses.replace(DISCLOSURE_PENALTY, amount=settings.DISCLOSURE_PENALTY_WORKING_DAYS)
    try:
        return due_date(limit, decision.decided_on, working_calendar())
    except CalendarNotCovered:
        return None


@dataclass(frozen=True)
class QueueRow:
    decision: Decision
    publication: Publication | None
    publish_due: dt.date | None
    withdraw_due: dt.date | None
    withdraw_status: str
    today: dt.date

    @property
    def state(self) -> str:
        if self.publication is None:
            return "待拟写"
        return self.publication.get_status_display()

    @property
    def publish_overdue(self) -> bool:
        """Not yet on the site and past its last day."""
        done = self.publication is not None and self.publication.status in ON_SITE
        return not done and self.publish_due is not None and self.today > self.publish_due


PENDING = (Publication.Status.DRAFT, Publication.Status.APPROVED)


def queue(user: User, *, pending_only: bool = True, limit: int = 200) -> list[QueueRow]:
    """The 公示 queue: the general-procedure penalty decisions of the user's scope made on the
    platform that are still to be published or to be withdrawn (every one, imported included,
    with `pending_only` off), in scope only, the nearest limit first."""
    qs = (
        decisions_for_user(user)
        .filter(case__procedure=Case.Procedure.GENERAL, outcome=Decision.Outcome.PENALTY)
        .select_related("case__unit", "party", "publication")
        .prefetch_related("items")
    )
    withdrawals = Deadline.objects.filter(code=DISCLOSURE_WITHDRAWAL.code)
    if pending_only:
        owed = withdrawals.filter(stopped_on=None)
        qs = qs.filter(case__imported=False).filter(
            Q(publication=None)
            | Q(publication__status__in=PENDING)
            | Q(party_id__in=owed.values("party_id"))
        )
    rows = [d for d in qs.order_by("-decided_on", "-pk")[:limit] if in_scope(d)]
    found = {
        w.party_id: w
        for w in withdrawals.filter(party_id__in=[d.party_id for d in rows]).order_by("id")
    }
    today = clock.today()
    out = []
    for decision in rows:
        pub = getattr(decision, "publication", None)
        w = found.get(decision.party_id)
        out.append(
            QueueRow(
                decision=decision,
                publication=pub,
                publish_due=pub.publish_due if pub and pub.publish_due else publish_due(decision),
                withdraw_due=w.due_on if w else None,
                withdraw_status=w.get_status_display() if w else "",
                today=today,
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
        # By the unit's id, known when the statement is planned: the agency's own index is read
        # in order (a join on the code is planned for an average agency, not this one).
        unit_id = Unit.objects.filter(code=unit).values_list("pk", flat=True).first()
        qs = qs.filter(unit_id=unit_id) if unit_id is not None else qs.none()
    if party:
        qs = qs.filter(party_name__contains=party)
        if len(party) == 2 and connection.vendor == "postgresql":
            # Two characters hold no trigram: the index of character pairs (migration 0003)
            # finds them, the LIKE above keeps the result the same as on SQLite.
            qs = qs.extra(
                where=["zhifa_bigrams(disclosure_publication.party_name) @> ARRAY[%s]::text[]"],
                params=[party],
            )
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
