"""Fixtures of the supervision tests: the matters' world (three imported cases of 2026)."""

from __future__ import annotations

from typing import Any

import pytest

from exchange.export import dump
from exchange.load import import_lines
from orgs.services import regions_ensure
from supervision.tests.records import ORG, PERSON, case, decision, fine, party
from supervision.tests.test_matters import SENT, at


@pytest.fixture
def world(org: Any) -> Any:
    regions_ensure()
    litigation = {"filed_on": "2026-03-01", "result": None}
    records = [
        case("cgj", "M-1", "2026-01-05", None, [party("person", "甲", PERSON, decision(
            "M-1-1", "2026-02-10", [fine("100.00")]))]),
        case("cgj", "M-2", "2026-01-05", None, [party("organisation", "乙", ORG, decision(
            "M-2-1", "2026-02-10", [fine("100.00")], litigation=litigation))]),
        case("dcf", "M-3", "2026-01-05", None, [party("person", "丙", PERSON, decision(
            "M-3-1", "2026-02-10", [fine("100.00")]))]),
    ]  # fmt: skip
    import_lines(dump(records).splitlines())
    at(SENT)
    return org
