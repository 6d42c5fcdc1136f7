"""A limit whose figure is a setting is started with the setting's amount, not the statute's."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.tests.flow import register
from deadlines.services import deadline_start


@pytest.mark.django_db
def test_a_limit_started_with_an_amount_counts_that_many_working_days(org):
    case = register(org)
    monday = dt.date(2025, 3, 3)
    own = deadline_start(case=case, code="disclosure_penalty", starts_on=monday)
    five = deadline_start(case=case, code="disclosure_penalty", starts_on=monday, amount=5)
    assert (own.due_on, five.due_on) == (dt.date(2025, 3, 12), dt.date(2025, 3, 10))
    assert five.name == own.name and five.citation == own.citation
