"""Records made before a 催告 named its obligation take it from the rule that stood then."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.models import Decision
from enforcement.models import EnforcementRecord
from enforcement.tests.test_services import decided

BEFORE = ("enforcement", "0002_deferral")
AFTER = ("enforcement", "0003_enforcement_obligation")


def _migrate(target: tuple[str, str]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_notice_with_an_amount_enforces_money_and_one_without_or_an_immediate_one_an_act(org):
    case = decided(org)
    decision = Decision.objects.get(case=case)
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        record = old.get_model("enforcement", "EnforcementRecord")
        common = {
            "case_id": case.pk,
            "decision_id": decision.pk,
            "opened_by_id": org.handler.pk,
            "opened_on": case.filed_on,
            "step": "end",
        }
        money = record.objects.create(notice={"amount": "5000.00"}, **common).pk
        act = record.objects.create(notice={"amount": "0"}, **common).pk
        unread = record.objects.create(notice={"amount": "壹佰"}, **common).pk
        immediate = record.objects.create(notice={}, immediate=True, **common).pk
        _migrate(AFTER)
        got = dict(EnforcementRecord.objects.values_list("pk", "obligation"))
        assert got == {
            money: "money",
            act: "performance",
            unread: "performance",
            immediate: "performance",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
