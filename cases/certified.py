"""Reads for the supervisor (执法监督员): cases in which an officer acted without a valid 执法证
on the day of the act (处罚法 Arts. 42, 55, 76(5); 山东监督条例 Art. 10), imported cases included.

The days read are those every case records, platform or imported: 案源登记 (discovered_on,
the handler), 立案 (filed_on), each 决定 (decided_on) and 结案 (closed_on), for the handler and
the co-handler. The register answers for a past day (law.certificates.status_on): a
certificate suspended later does not make earlier acts irregular.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import Case, Decision
from orgs.models import Certificate, User
from orgs.selectors import certified_then, supervised_root


def _uncertified_q() -> Q:
    handler_lead = Q(~certified_then("handler_id", "discovered_on"))
    on_filing = Q(filed_on__isnull=False) & (
        ~certified_then("handler_id", "filed_on")
        | (Q(co_handler__isnull=False) & ~certified_then("co_handler_id", "filed_on"))
    )
    on_closing = Q(closed_on__isnull=False) & (
        ~certified_then("handler_id", "closed_on")
        | (Q(co_handler__isnull=False) & ~certified_then("co_handler_id", "closed_on"))
    )
    decisions = Decision.objects.filter(case_id=OuterRef("pk")).filter(
        ~certified_then("case__handler_id", "decided_on")
        | (Q(case__co_handler__isnull=False) & ~certified_then("case__co_handler_id", "decided_on"))
    )
    return handler_lead | on_filing | on_closing | Q(Exists(decisions))


def uncertified_cases(user: User) -> QuerySet[Case]:
    """The cases of the supervisor's subtree with an act by an officer without a valid 执法证 on
    its day, newest first; nothing for anyone who supervises nothing."""
    root = supervised_root(user)
    if root is None:
        return Case.objects.none()
    return (
        Case.objects.filter(unit__path__startswith=root.path)
        .filter(_uncertified_q())
        .select_related("unit", "handler", "co_handler")
        .order_by("-discovered_on", "-pk")
    )


@dataclass(frozen=True)
class UncertifiedAct:
    case_id: int
    step: str
    day: dt.date
    officer: str
    why: str


def uncertified_acts(cases: Iterable[Case]) -> list[UncertifiedAct]:
    """What each of these cases (a page of `uncertified_cases`) did without a valid 执法证: the
    act, its day, the officer and the certificate's status that day (or none held)."""
    cases = list(cases)
    officers = {o for c in cases for o in (c.handler_id, c.co_handler_id) if o is not None}
    certs: dict[int, list[Certificate]] = defaultdict(list)
    for cert in Certificate.objects.filter(user_id__in=officers).select_related("user"):
        certs[cert.user_id].append(cert)
    decided: dict[int, list[dt.date]] = defaultdict(list)
    for case_id, day in Decision.objects.filter(case__in=cases).values_list(
        "case_id", "decided_on"
    ):
        decided[case_id].append(day)
    out: list[UncertifiedAct] = []
    for case in cases:
        acts: list[tuple[str, dt.date, User | None]] = [
            ("案源登记", case.discovered_on, case.handler)
        ]
        for step, when in (("立案", case.filed_on), ("结案", case.closed_on)):
            if when is not None:
                acts += [(step, when, case.handler), (step, when, case.co_handler)]
        for day in sorted(set(decided[case.pk])):
            acts += [("处罚决定", day, case.handler), ("处罚决定", day, case.co_handler)]
        for step, day, officer in acts:
            if officer is None:
                continue
            held = certs.get(officer.pk, [])
            if any(c.is_valid_on(day) for c in held):
                continue
            if held and officer.employment == "staff":
                nearest = min(held, key=lambda c: abs((c.valid_until - day).days))
                why = f"执法证{nearest.number}当日状态：{nearest.status_label(day)}"
            elif held:
                why = f"{officer.get_employment_display()}人员，不得从事行政执法"
            else:
                why = "未持有执法证"
            out.append(UncertifiedAct(case.pk, step, day, str(officer), why))
    return out
