from __future__ import annotations

from typing import Any

import pytest

from cases.models import Case, Decision
from cases.tests.flow import PERSON_ID, advance, register
from demo.testing import certified_person
from orgs.models import User
from procedure.roles import Role

PERSON = {
    "kind": "person",
    "name": "张三丰",
    "id_number": PERSON_ID,
    "address": "聊城市东昌府区柳园路8号",
    "phone": "13912345678",
}


@pytest.fixture
def decided(org: Any) -> Case:
    """A case of 城管局 whose decision on a natural person was issued on 2025-03-03 (Monday)."""
    return advance(org, register(org, parties=[dict(PERSON)]), until="execution")


@pytest.fixture
def decision(decided: Case) -> Decision:
    return Decision.objects.select_related("party").get(case=decided)


@pytest.fixture
def other_legal(org: Any) -> User:
    """The legal reviewer of another agency (市场监管局) of the same city."""
    from django.contrib.auth.hashers import make_password

    return certified_person(
        "scjg-legal", org.scjg, Role.LEGAL_REVIEWER, password_hash=make_password("x")
    )
