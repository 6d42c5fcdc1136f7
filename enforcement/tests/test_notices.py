"""强制执行 tells whom its steps wait for: the unit's 业务科长 at 陈述申辩复核, its 分管局长 at the
decision to approve; once each, never the actor, never the case's officers or another unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password

from cases.models import Case
from conftest import PASSWORD
from demo.testing import certified_person
from enforcement.services import enforcement_act, enforcement_open
from enforcement.tests.test_services import NOTICE, at, decided, noticed
from notices.models import Notice
from procedure.roles import Role

pytestmark = pytest.mark.django_db


def told(subject: str) -> list[str]:
    rows = Notice.objects.filter(kind=Notice.Kind.APPROVAL, subject=subject)
    return sorted(rows.values_list("user__username", flat=True))


def test_the_statements_review_tells_the_units_chief_once_and_reviewing_reads_it(org):
    certified_person(
        "scjg-chief", org.scjg, Role.SECTION_CHIEF, password_hash=make_password(PASSWORD)
    )
    case = decided(org)
    at(dt.date(2025, 9, 29))
    r = enforcement_open(
        case_id=case.pk, actor=org.handler, party=0, data={**NOTICE, "term_ends": "2025-09-30"}
    )
    subject = f"{case.stream}/enforcement:{r.pk}"
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": "2025-09-29"}
    )
    assert told(subject) == []  # the officers' own steps wait in their 待办 only
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="record", data={"no_statement": True}
    )
    assert r.step == "en_review"
    assert told(subject) == ["chief"]
    notice = Notice.objects.get(subject=subject)
    assert "陈述申辩复核" in notice.text and notice.url == f"/cases/{case.pk}/enforcement/"
    enforcement_act(record_id=r.pk, actor=org.chief, decision="reject", data={"opinion": "不成立"})
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert told(subject) == ["chief"]  # 选择执行途径 is the handler's: no one else is told


def test_the_enforcement_decision_to_approve_tells_the_director_and_not_the_handler(org):
    certified_person(
        "scjg-director", org.scjg, Role.DEPUTY_DIRECTOR, password_hash=make_password(PASSWORD)
    )
    case = decided(org, own_power=True, scope="money")
    r = noticed(org, case)
    at(dt.date(2025, 10, 9))
    r = enforcement_act(record_id=r.pk, actor=org.handler, decision="agency", data={})
    r = enforcement_act(
        record_id=r.pk,
        actor=org.handler,
        decision="draft",
        data={"reason": "逾期不缴纳罚款", "type": "transfer_funds", "remedies_told": True},
    )
    assert r.step == "en_decide_approve"
    subject = f"{case.stream}/enforcement:{r.pk}"
    # The chief was told of the review earlier; now the director alone, of this step.
    assert told(subject) == ["chief", "director"]
    notice = Notice.objects.get(subject=subject, user=org.director)
    assert "待您办理" in notice.text and notice.url == f"/cases/{case.pk}/enforcement/"


def test_a_chief_who_is_an_officer_of_the_case_is_not_told_of_its_review(org):
    certified_person("chief2", org.cgj, Role.SECTION_CHIEF, password_hash=make_password(PASSWORD))
    case = decided(org)
    Case.objects.filter(pk=case.pk).update(co_handler=org.chief)
    at(dt.date(2025, 9, 29))
    r = enforcement_open(
        case_id=case.pk, actor=org.handler, party=0, data={**NOTICE, "term_ends": "2025-09-30"}
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="serve", data={"served_on": "2025-09-29"}
    )
    r = enforcement_act(
        record_id=r.pk, actor=org.handler, decision="record", data={"no_statement": True}
    )
    assert r.step == "en_review"
    # The step refuses the case's own officers (g.not_own_work): the other chief alone is told.
    assert told(f"{case.stream}/enforcement:{r.pk}") == ["chief2"]
