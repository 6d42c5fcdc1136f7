"""The supervisor's list of acts by officers without a valid 执法证 on the day of the act."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.certified import uncertified_acts, uncertified_cases
from cases.models import Case
from cases.tests.flow import advance, register
from conftest import move
from orgs.models import Certificate, User
from orgs.services import certificate_suspend, user_upsert
from procedure.roles import Role
from zhifa import clock

pytestmark = pytest.mark.django_db


def imported(org, handler: User, *, filed_on: dt.date, closed_on: dt.date) -> Case:
    """A historical case as the exchange loads it: its dates and its officers, no steps."""
    return Case.objects.create(
        unit=org.cgj,
        procedure="general",
        source="patrol",
        clue="历史案件",
        discovered_on=filed_on - dt.timedelta(days=3),
        filed_on=filed_on,
        closed_on=closed_on,
        step="end",
        status="closed",
        handler=handler,
        co_handler=org.co_handler,
        imported=True,
    )


def test_acts_taken_while_valid_stay_regular_after_a_later_suspension(org):
    case = advance(org, register(org), until="investigation")
    admin = user_upsert(
        username="adm", full_name="adm", unit=org.cgj, roles=[Role.CERT_ADMIN], password_hash="!"
    )
    move(days=2)
    cert = Certificate.objects.get(user=org.handler)
    certificate_suspend(actor=admin, certificate_id=cert.pk, reason="违纪", on=clock.today())
    assert case.pk not in set(uncertified_cases(org.supervisor).values_list("pk", flat=True))


def test_an_imported_case_closed_the_day_after_expiry_is_listed_with_its_act(org):
    cert = Certificate.objects.get(user=org.handler)
    last = cert.valid_until
    on_time = imported(org, org.handler, filed_on=last - dt.timedelta(days=30), closed_on=last)
    late = imported(
        org, org.handler, filed_on=last - dt.timedelta(days=30), closed_on=last + dt.timedelta(1)
    )
    listed = list(uncertified_cases(org.supervisor))
    assert [c.pk for c in listed] == [late.pk]
    assert on_time.pk not in {c.pk for c in listed}
    acts = uncertified_acts(listed)
    assert [(a.step, a.day, a.officer) for a in acts] == [
        ("结案", last + dt.timedelta(1), "handler"),
        ("结案", last + dt.timedelta(1), "cohandler"),  # both certificates end on the same day
    ]
    assert "已过期" in acts[0].why


def test_a_contract_worker_named_handler_is_listed(org):
    worker = user_upsert(
        username="worker",
        full_name="worker",
        unit=org.cgj,
        roles=[Role.HANDLER],
        password_hash="!",
    )
    User.objects.filter(pk=worker.pk).update(employment="contract")
    case = imported(org, worker, filed_on=dt.date(2025, 1, 6), closed_on=dt.date(2025, 2, 6))
    listed = list(uncertified_cases(org.supervisor))
    assert [c.pk for c in listed] == [case.pk]
    assert {a.why for a in uncertified_acts(listed)} == {"未持有执法证"}


def test_the_list_follows_the_supervisor_subtree_only(org):
    worker = user_upsert(
        username="worker",
        full_name="worker",
        unit=org.cgj,
        roles=[Role.HANDLER],
        password_hash="!",
    )
    case = imported(org, worker, filed_on=dt.date(2025, 1, 6), closed_on=dt.date(2025, 2, 6))
    assert case in uncertified_cases(org.supervisor)
    for outsider in (org.county_supervisor, org.chief, org.handler):
        assert not uncertified_cases(outsider).exists()
