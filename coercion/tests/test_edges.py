"""Nobody approves their own measure: an officer who also holds the agency head's role passes
the role check, so only the self-approval guard stands between the proposal and its approval."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from cases.tests.flow import register
from coercion import services
from coercion.models import CoerciveMeasure
from coercion.tests.test_services import ITEMS, on_site
from conftest import PASSWORD
from demo.testing import certified_person
from ledger.models import Entry
from orgs.models import User
from procedure.roles import Role
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db

OWN_WORK = ["承办人、协办人不能审核或审批本人承办的案件"]


@pytest.fixture
def both(org) -> User:
    """A certified officer of the case's unit who is also its deputy director."""
    return certified_person(
        "officer-and-head",
        org.cgj,
        Role.HANDLER,
        Role.DEPUTY_DIRECTOR,
        password_hash=make_password(PASSWORD),
    )


def propose(case: Any, actor: User) -> CoerciveMeasure:
    return services.measure_propose(
        case_id=case.pk,
        actor=actor,
        type="seize",
        items=ITEMS,
        reason="涉案广告牌可能被转移，需扣押",
        basis="《广告法》第四十九条第二款",
    )


def decide(case: Any, m: CoerciveMeasure, actor: User, **kw: Any) -> CoerciveMeasure:
    return services.measure_decide(
        case_id=case.pk, measure_id=m.pk, actor=actor, decision="approve", opinion="同意", **kw
    )


def refused_without_trace(call) -> list[str]:
    """The reasons, which must be the self-approval one alone, and no ledger entry written."""
    return assert_refused(call, OWN_WORK[0], unchanged=Entry.objects.count).errors


def test_the_officer_who_proposed_a_measure_cannot_approve_it_though_he_is_also_the_head(org, both):
    case = register(org)
    m = propose(case, both)
    assert refused_without_trace(lambda: decide(case, m, both)) == OWN_WORK
    assert decide(case, m, org.director).step == "cm_carry_out"


def test_the_officer_who_seized_in_an_emergency_cannot_approve_it_afterwards_as_the_head(org, both):
    case = register(org)
    m = services.measure_emergency(
        case_id=case.pk,
        actor=both,
        type="seize",
        items=ITEMS,
        reason="当事人正在转移涉案物品",
        basis="《广告法》第四十九条第二款",
        emergency_reason="当事人正在装车转移，不当场扣押将无法取证",
        officers=[both.pk, org.co_handler.pk],
        on_site=on_site(org),
    )
    assert m.step == "cm_report"
    assert refused_without_trace(lambda: decide(case, m, both)) == OWN_WORK
    assert decide(case, m, org.director).step == "cm_in_force"


def test_the_officer_who_proposed_a_measure_cannot_approve_its_extension_as_the_head(org, both):
    case = register(org)
    m = decide(case, propose(case, both), org.director)
    m = services.measure_carry_out(
        case_id=case.pk,
        measure_id=m.pk,
        actor=both,
        officers=[both.pk, org.handler.pk],
        on_site=on_site(org),
    )
    m = services.measure_extend(
        case_id=case.pk, measure_id=m.pk, actor=both, days=15, reason="需技术鉴定，情况复杂"
    )
    assert m.step == "cm_extend"
    errors = refused_without_trace(lambda: decide(case, m, both, notice_in_writing=True))
    assert errors == OWN_WORK
    assert decide(case, m, org.director, notice_in_writing=True).step == "cm_in_force"
