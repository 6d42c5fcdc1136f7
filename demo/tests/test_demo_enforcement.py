"""The 强制执行 demo cases are made through the services and wait where the demo says."""

from __future__ import annotations

import pytest

from coercion.models import Enforcement
from deadlines.models import Deadline
from demo.enforcement import SCENARIOS
from demo.tests.test_demo_history import demo  # noqa: F401  (the fixture)
from documents.models import Document
from enforcement.models import EnforcementRecord
from enforcement.selectors import deferral_of, unpaid_overdue, waiting_for
from orgs.models import User
from procedure.roles import Role
from zhifa import clock

pytestmark = pytest.mark.django_db

STAGES = {
    "enf_statement": ("en_statement", "handler1", Role.HANDLER),
    "enf_review": ("en_review", "chief", Role.SECTION_CHIEF),
    "enf_court_sign": ("en_court_sign", "director", Role.DEPUTY_DIRECTOR),
    "enf_suspended": ("en_suspended", "handler1", Role.HANDLER),
    "enf_court_granted": ("en_done", None, None),
}
PLAN = "enf_instalment"  # no enforcement record: its missed instalment waits in the inbox


def test_the_enforcement_demo_cases_wait_at_their_stages_for_their_roles(demo):  # noqa: F811
    records = {r.case.clue: r for r in EnforcementRecord.objects.select_related("case")}
    assert len(records) == len(SCENARIOS) - 1
    for s in SCENARIOS:
        if s.key == PLAN:
            continue
        step, persona, role = STAGES[s.key]
        record = records[s.clue]
        assert record.step == step, s.key
        if persona is not None and role is not None:
            user = User.objects.get(username=f"371500-cgj-{persona}")
            assert record in waiting_for(user, role), s.key
    granted = records[next(s.clue for s in SCENARIOS if s.key == "enf_court_granted")]
    assert Enforcement.objects.get(case=granted.case).type == "court"
    suspended = records[next(s.clue for s in SCENARIOS if s.key == "enf_suspended")]
    assert Deadline.objects.filter(case=suspended.case, code="enforcement_suspension").exists()
    # The granted case shows its 催告书 and 强制执行申请书, issued from its record.
    issued = Document.objects.filter(subject_kind="enforcement", subject_id=granted.pk)
    assert sorted(issued.values_list("kind", flat=True)) == [
        "court_application",
        "enforcement_notice",
    ]


def test_the_instalment_plan_with_a_missed_instalment_waits_in_the_handlers_inbox(demo):  # noqa: F811
    clue = next(s.clue for s in SCENARIOS if s.key == PLAN)
    handler = User.objects.get(username="371500-cgj-handler1")
    decision = next(d for d in unpaid_overdue(handler) if d.case.clue == clue)
    deferral = deferral_of(decision)
    assert deferral is not None and deferral.ends_on > clock.today()
    assert [bool(r.get("paid_on")) for r in deferral.schedule] == [True, False, False]
