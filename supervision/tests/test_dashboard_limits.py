"""The dashboard's 期限预警 flags limits while they run: a limit stopped after its day is history
(the irregularity scan's to find), not a warning for ever after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases.tests.flow import advance, register
from deadlines.models import Deadline
from supervision.selectors import Period, dashboard, drill_cases, supervisor_root
from zhifa import clock

pytestmark = pytest.mark.django_db


def _filed(org: Any, days_ago: int) -> Any:
    """A filed case (its 作出处罚决定 limit running), its act a few days apart from the others'."""
    case = register(org, act_on=clock.today() - dt.timedelta(days=days_ago))
    return advance(org, case, "investigation")


def test_an_overdue_limit_is_flagged_while_it_runs_and_not_once_it_stopped_late(org):
    running, stopped, approaching = _filed(org, 20), _filed(org, 21), _filed(org, 22)
    Deadline.objects.filter(case=running).update(status=Deadline.Status.OVERDUE)
    Deadline.objects.filter(case=stopped).update(
        status=Deadline.Status.OVERDUE, stopped_on=clock.today()
    )
    Deadline.objects.filter(case=approaching).update(status=Deadline.Status.APPROACHING)
    root = supervisor_root(org.supervisor)
    assert root is not None
    period = Period.year(clock.today().year)

    board = dashboard(root, period)
    assert (board["totals"]["overdue"], board["totals"]["approaching"]) == (1, 1)
    assert [c.pk for c in drill_cases(root, "overdue", period)] == [running.pk]
    assert [c.pk for c in drill_cases(root, "approaching", period)] == [approaching.pk]
