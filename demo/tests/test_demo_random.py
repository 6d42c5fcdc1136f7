"""The demo's 双随机抽查: one plan drawn and partly inspected, verifiable on the public site."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from inspections.models import RandomPlan

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_drawn_plan_partly_inspected_that_verifies(frozen):
    call_command("demo", "--no-history", stdout=StringIO())
    call_command("demo", "--no-history", stdout=StringIO())
    plan = RandomPlan.objects.get()
    assert plan.status == RandomPlan.Status.DRAWN
    done = plan.tasks.exclude(result="").count()
    assert done == 1 and plan.tasks.count() > 1
    answer = Client().get(f"/gs/choucha/{plan.pk}/verify.json").json()
    assert answer["ok"] and answer["draw_match"]
