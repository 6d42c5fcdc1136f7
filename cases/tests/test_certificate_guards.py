"""Every path that asks "certified?" honours the register: a suspended, revoked or expired 执法证,
or an officer whose employment excludes enforcement (山东监督条例 Art. 10), stops the step on
the ORM path (case_act fast=False) and on the step path (cases.steppath's compiled SQL) alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases.models import Case
from cases.services.steps import case_act
from cases.tests.flow import add_evidence, advance, payloads, register, written
from conftest import move
from demo.testing import Org
from orgs.models import Certificate, User
from orgs.services import certificate_revoke, certificate_suspend, user_upsert
from procedure.roles import Role
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db

UNCERTIFIED = "您没有有效的行政执法证件"


@pytest.fixture
def admin(org: Org) -> User:
    return user_upsert(
        username="cgj-certadmin",
        full_name="执法证管理员",
        unit=org.cgj,
        roles=[Role.CERT_ADMIN],
        password_hash="!",
    )


def step(org: Org, case: Case, name: str, *, fast: bool, **changes: Any) -> Case:
    actor, decision, data = payloads(org, case)[name]
    return case_act(
        case_id=case.pk,
        actor=changes.pop("actor", actor),
        step=name,
        decision=decision,
        data={**data, **changes},
        fast=fast,
    )


def suspend(admin: User, officer: User) -> None:
    cert = Certificate.objects.get(user=officer)
    certificate_suspend(actor=admin, certificate_id=cert.pk, reason="涉嫌违纪", on=clock.today())


def test_a_suspended_handler_cannot_act_on_the_orm_path(org, admin):
    case = advance(org, register(org), until="filing_request")
    suspend(admin, org.handler)
    assert_refused(
        lambda: step(org, case, "filing_request", fast=False), UNCERTIFIED, unchanged=written
    )
    assert Case.objects.get(pk=case.pk).step == "filing_request"


def test_a_suspended_handler_cannot_act_on_the_step_path(org, admin):
    case = advance(org, register(org), until="filing_request")
    suspend(admin, org.handler)
    assert_refused(
        lambda: step(org, case, "filing_request", fast=True), UNCERTIFIED, unchanged=written
    )


def test_a_suspended_officer_cannot_be_named_co_handler(org, admin):
    case = advance(org, register(org), until="filing_request")
    suspend(admin, org.co_handler)
    for fast in (False, True):
        assert_refused(
            lambda f=fast: step(org, case, "filing_request", fast=f),
            "协办人没有有效的行政执法证件",
            unchanged=written,
        )
    assert Case.objects.get(pk=case.pk).co_handler_id is None


def test_a_revoked_certificate_stops_the_handler_on_both_paths(org, admin):
    case = advance(org, register(org), until="filing_request")
    cert = Certificate.objects.get(user=org.handler)
    certificate_revoke(
        actor=admin, certificate_id=cert.pk, kind="revoke", reason="徇私枉法", on=clock.today()
    )
    for fast in (False, True):
        assert_refused(
            lambda f=fast: step(org, case, "filing_request", fast=f),
            UNCERTIFIED,
            unchanged=written,
        )


@pytest.mark.parametrize("fast", [False, True])
def test_the_handler_acts_on_the_last_valid_day_and_not_the_day_after(org, fast):
    case = advance(org, register(org), until="filing_request")
    Certificate.objects.filter(user=org.handler).update(valid_until=clock.today())
    case = step(org, case, "filing_request", fast=fast)
    assert case.step == "filing_review"
    case = step(org, case, "filing_review", fast=fast)
    case = step(org, case, "filing_approve", fast=fast)
    assert case.step == "investigation"
    move(days=1)
    assert clock.today() == dt.date(2025, 3, 4)
    case = Case.objects.get(pk=case.pk)
    add_evidence(org, case)
    assert_refused(
        lambda: step(org, case, "investigation", fast=fast, actor=org.handler),
        UNCERTIFIED,
        unchanged=written,
    )


@pytest.mark.parametrize("fast", [False, True])
def test_a_seconded_officer_holding_a_certificate_is_treated_as_uncertified(org, fast):
    case = advance(org, register(org), until="filing_request")
    User.objects.filter(pk=org.handler.pk).update(employment="seconded")
    assert_refused(
        lambda: step(org, case, "filing_request", fast=fast), UNCERTIFIED, unchanged=written
    )
