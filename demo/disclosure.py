"""The demo's 执法公示: the city agencies' 事前公示 lines, and the 事后公示 of 城管局's live
cases (published by its legal reviewer, one withdrawn after a 复议 revoked it, the newest still a
draft)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.models import Case, Decision
from cases.services.reviews import review_conclude, review_file
from disclosure.models import AgencyProfile, Publication
from disclosure.selectors import in_scope
from disclosure.services import (
    agency_profile_set,
    publication_approve,
    publication_draft,
    publication_publish,
    publication_withdraw,
)
from orgs.models import Unit, User
from zhifa import clock

CITY = "371500-GOV"
UNIT = "371500-cgj"


def agency_profiles_load() -> int:
    """The basis and redress lines of the city's agencies (demo wording), once."""
    n = 0
    for unit in Unit.objects.filter(parent__code=CITY, kind=Unit.Kind.AGENCY).order_by("code"):
        if AgencyProfile.objects.filter(unit=unit).exists():
            continue
        agency_profile_set(
            unit=unit,
            basis=(
                f"《聊城市{unit.name.removeprefix('聊城市')}职能配置、内设机构和人员编制规定》"
                f"（演示数据）：{unit.name}为市人民政府工作部门，依法以自己的名义实施行政处罚和"
                "行政强制，并承担相应的法律责任。"
            ),
            reconsideration_organ="聊城市人民政府",
            court="聊城市东昌府区人民法院",
            address="聊城市东昌府区东昌路（演示地址）",
            phone="0635-12345",
        )
        n += 1
    return n


@transaction.atomic
def publications_load() -> int:
    """The live cases' decisions in scope: published, one withdrawn, the newest a draft."""
    if Publication.objects.filter(unit__code=UNIT.upper()).exists():
        return 0
    handler = User.objects.get(username=f"{UNIT}-handler1")
    legal = User.objects.get(username=f"{UNIT}-legal")
    decisions = [
        d
        for d in Decision.objects.filter(
            case__unit__code=UNIT.upper(),
            case__imported=False,
            case__procedure=Case.Procedure.GENERAL,
        )
        .select_related("case", "party")
        .order_by("decided_on", "pk")
        if in_scope(d)
    ]
    if not decisions:
        return 0
    *published, newest = decisions
    publication_draft(decision_id=newest.pk, actor=handler)
    for d in published:
        publication_draft(decision_id=d.pk, actor=handler)
        publication_approve(decision_id=d.pk, actor=legal)
        publication_publish(decision_id=d.pk, actor=legal)
    if published:
        first = published[0]
        today = clock.today()
        common: dict[str, Any] = {
            "case_id": first.case_id,
            "actor": legal,
            "party": first.party.index,
        }
        review_file(
            **common,
            kind="reconsideration",
            filed_on=today,
            organ="聊城市人民政府",
            organ_case_no="聊政复〔演示〕1号",
        )
        review_conclude(**common, kind="reconsideration", ending="revoked", decided_on=today)
        publication_withdraw(
            decision_id=first.pk,
            actor=legal,
            reason="该处罚决定已被聊城市人民政府行政复议决定撤销（《行政处罚法》第四十八条）",
        )
    return len(decisions)
