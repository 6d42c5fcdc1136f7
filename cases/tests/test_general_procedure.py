from __future__ import annotations

import pytest

from cases.models import Case, Decision
from cases.tests.flow import ORDER, act, advance, register
from deadlines.models import Deadline
from ledger.models import Entry
from ledger.services import ledger_verify

pytestmark = pytest.mark.django_db


def test_a_case_goes_through_all_eighteen_steps_with_five_different_officers(org):
    case = register(org)
    assert case.step == "lead_approve" and case.lead_no == "聊城管案源〔2025〕1号"
    case = advance(org, case, until="closing_approve")
    case = act(org, case, "closing_approve")
    assert case.status == Case.Status.CLOSED and case.outcome == Case.Outcome.PENALTY
    assert case.case_no == "聊城管罚立〔2025〕1号"
    decision = Decision.objects.get(case=case)
    assert decision.number == "聊城管罚决〔2025〕1号" and decision.heaviest == "fine"
    actions = list(
        Entry.objects.filter(stream=case.stream).order_by("seq").values_list("action", flat=True)
    )
    assert [a for a in actions if a != "evidence_add"] == ["lead_register", *ORDER]
    actors = set(Entry.objects.filter(stream=case.stream).values_list("actor_id", flat=True))
    assert {org.handler.pk, org.chief.pk, org.legal.pk, org.director.pk} <= actors
    assert ledger_verify() == []
    assert not Deadline.objects.filter(case=case, stopped_on__isnull=True).exists()


def test_a_matter_on_the_lenient_list_is_proposed_for_a_first_offender_only(org):
    from cases.selectors import lenient_suggestions

    org.matter.lenient = {
        "kind": "no_penalty_first",
        "conditions": "首次违法、及时改正",
        "source": "免罚清单",
    }
    org.matter.save()
    first = advance(org, register(org), until="investigation")
    assert "首违不罚" in lenient_suggestions(first)[0]
    first = advance(org, first, until="closing_approve")
    second = advance(org, register(org), until="investigation")
    assert "不属于首次违法" in lenient_suggestions(second)[0]


def test_the_record_keeps_what_each_step_computed(org):
    case = advance(org, register(org), until="notice_response")
    entries = {
        e.action: e.payload for e in Entry.objects.filter(stream=case.stream).order_by("seq")
    }
    assert entries["filing_approve"]["result"]["case_no"] == "聊城管罚立〔2025〕1号"
    notice = entries["notice_issue"]["result"]
    assert notice["response_window_end"] == "2025-03-10"
    assert notice["notified"][0]["rights"] == ["陈述", "申辩"]
