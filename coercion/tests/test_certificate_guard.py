"""A coercive measure (强制法 Arts. 17, 18(2)) is carried out by certified officers only: the
register's suspension stops it like any step."""

from __future__ import annotations

import pytest

from cases.tests.flow import register, written
from coercion.models import CoerciveMeasure
from coercion.tests.test_services import approve, carry_out, propose
from orgs.models import Certificate
from orgs.services import certificate_suspend, user_upsert
from procedure.roles import Role
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db


def test_a_coercive_measure_is_not_carried_out_by_an_officer_whose_certificate_is_suspended(org):
    admin = user_upsert(
        username="adm", full_name="adm", unit=org.cgj, roles=[Role.CERT_ADMIN], password_hash="!"
    )
    case = register(org)
    measure = approve(org, case, propose(org, case))
    cert = Certificate.objects.get(user=org.co_handler)
    certificate_suspend(actor=admin, certificate_id=cert.pk, reason="涉嫌违纪", on=clock.today())
    assert_refused(
        lambda: carry_out(org, case, measure),
        "实施行政强制措施的执法人员均须持有有效的行政执法证件",
        unchanged=written,
    )
    assert CoerciveMeasure.objects.get(pk=measure.pk).step == measure.step
