"""Replacing the boolean `revoked` by a status keeps each existing certificate's meaning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs.models import Certificate
from orgs.selectors import valid_certificates

BEFORE = ("orgs", "0002_role_traffic_reviewer")
AFTER = ("orgs", "0003_certificate_register")


def _migrate(target: tuple[str, str]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_certificate_marked_revoked_stays_revoked_on_every_day_and_the_others_stay_valid():
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        region = old.get_model("orgs", "Region").objects.create(
            code="371500", name="聊城市", level="city"
        )
        unit = old.get_model("orgs", "Unit").objects.create(
            code="U", name="聊城市城市管理局", kind="agency", region=region, path="/U/"
        )
        user_model = old.get_model("orgs", "User")
        holder = user_model.objects.create(username="holder", unit=unit)
        other = user_model.objects.create(username="other", unit=unit)
        span = {"valid_from": dt.date(2024, 1, 1), "valid_until": dt.date(2027, 12, 31)}
        cert_model = old.get_model("orgs", "Certificate")
        cert_model.objects.create(user=holder, number="R-1", revoked=True, **span)
        cert_model.objects.create(user=other, number="V-1", revoked=False, **span)
        _migrate(AFTER)
        revoked, valid = (
            Certificate.objects.get(number="R-1"),
            Certificate.objects.get(number="V-1"),
        )
        assert (revoked.status, revoked.status_on, revoked.revoke_kind) == (
            "revoked",
            None,
            "cancel",
        )
        assert valid.status == "valid" and valid.user.employment == "staff"
        for day in (dt.date(2024, 1, 1), dt.date(2025, 6, 1), dt.date(2027, 12, 31)):
            assert revoked.status_for(day) == "revoked"
            assert set(valid_certificates(day).values_list("number", flat=True)) == {"V-1"}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
