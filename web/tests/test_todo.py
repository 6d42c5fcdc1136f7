"""The 待办: everything waiting for the officer in one list, and a returned step that keeps the
officer's work (the return's reason on top, the last submission or a draft in the form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from cases.models import Case, StepDraft
from cases.services.drafts import DRAFT_MAX_BYTES, draft_save
from cases.services.preservations import preservation_request
from cases.services.recusals import recusal_request
from cases.tests.flow import act, advance, register
from coercion.services import measure_decide, measure_propose
from conftest import PASSWORD
from demo.testing import certified_person
from ledger.models import Entry
from orgs.models import User
from procedure.roles import Role
from web.selectors import todo_page
from web.tests.test_workspace import login, page

pytestmark = pytest.mark.django_db

SEIZE = {
    "type": "seize",
    "items": [{"name": "户外广告牌", "quantity": "1块", "description": "6米×3米"}],
    "reason": "防止涉案广告牌被转移",
    "basis": "《广告法》第四十九条第二款",
}


def director_of_another_unit(org: Any) -> User:
    return certified_person(
        "scjg-director", org.scjg, Role.DEPUTY_DIRECTOR, password_hash=make_password(PASSWORD)
    )


def kinds(user: User, role: Role) -> list[tuple[str, str]]:
    return [(r.kind, r.asked) for r in todo_page(user, role, 1).rows]


def test_a_seizure_waits_for_the_head_of_its_unit_and_then_for_the_handler_to_carry_it_out(org):
    case = register(org)
    measure = measure_propose(case_id=case.pk, actor=org.handler, **SEIZE)
    html = page(login(org.director), "/")
    assert "审批强制措施" in html and f"/cases/{case.pk}/?open=measures#measures" in html
    assert "户外广告牌" in html and "强制措施 1" in html
    assert ("measure", "审批强制措施") not in kinds(org.handler, Role.HANDLER)
    assert ("measure", "审批强制措施") not in kinds(org.chief, Role.SECTION_CHIEF)
    other = director_of_another_unit(org)
    assert ("measure", "审批强制措施") not in kinds(other, Role.DEPUTY_DIRECTOR)
    measure_decide(
        case_id=case.pk,
        measure_id=measure.pk,
        actor=org.director,
        decision="approve",
        opinion="同意扣押",
    )
    assert ("measure", "审批强制措施") not in kinds(org.director, Role.DEPUTY_DIRECTOR)
    assert ("measure", "实施强制措施") in kinds(org.handler, Role.HANDLER)
    assert ("measure", "实施强制措施") not in kinds(org.co_handler, Role.HANDLER)


def test_a_head_never_finds_his_own_proposal_to_approve(org):
    case = register(org)
    org.director.roles.create(role=Role.HANDLER.value)
    Case.objects.filter(pk=case.pk).update(handler=org.director)
    measure_propose(case_id=case.pk, actor=org.director, **SEIZE)
    org.director.refresh_from_db()
    assert ("measure", "审批强制措施") not in kinds(org.director, Role.DEPUTY_DIRECTOR)


def test_a_recusal_application_waits_for_the_head_and_not_for_the_chief_or_another_unit(org):
    case = advance(org, register(org), until="investigation")
    recusal_request(
        case_id=case.pk,
        actor=org.handler,
        officer=org.co_handler.username,
        source="party",
        reason="当事人称协办人系其亲属",
    )
    assert ("recusal", "作出回避决定") in kinds(org.director, Role.DEPUTY_DIRECTOR)
    assert "recusal" not in dict(kinds(org.chief, Role.SECTION_CHIEF))
    assert "recusal" not in dict(kinds(director_of_another_unit(org), Role.DEPUTY_DIRECTOR))
    assert f"/cases/{case.pk}/?open=recusals#recusals" in page(login(org.director), "/")


def test_a_preservation_waits_for_the_heads_approval_and_not_for_another_role(org):
    case = advance(org, register(org), until="investigation")
    preservation_request(
        case_id=case.pk,
        actor=org.handler,
        items=[{"name": "广告牌", "quantity": "1块"}],
        reason="广告牌可能被拆除转移",
    )
    assert ("preservation", "审批先行登记保存") in kinds(org.director, Role.DEPUTY_DIRECTOR)
    assert "preservation" not in dict(kinds(org.chief, Role.SECTION_CHIEF))
    assert "preservation" not in dict(kinds(org.handler, Role.HANDLER))
    assert "preservation" not in dict(kinds(director_of_another_unit(org), Role.DEPUTY_DIRECTOR))


def test_the_list_runs_by_limit_first_and_items_without_one_come_last(org):
    waiting = advance(org, register(org, clue="巡查发现占道经营"), until="filing_request")
    filed = advance(org, register(org), until="investigation")  # the 90-day decision limit
    measure = measure_propose(case_id=waiting.pk, actor=org.handler, **SEIZE)
    measure_decide(
        case_id=waiting.pk, measure_id=measure.pk, actor=org.director, decision="approve",
        opinion="同意扣押",
    )  # fmt: skip
    rows = todo_page(org.handler, Role.HANDLER, 1).rows
    assert rows[0].case is not None and rows[0].case.pk == filed.pk and rows[0].days_left == 90
    assert {(r.kind, r.due) for r in rows[1:]} == {("case", None), ("measure", None)}
    only = todo_page(org.handler, Role.HANDLER, 1, kind="case").rows
    assert [r.case.pk for r in only if r.case] == [filed.pk, waiting.pk]
    assert [r.kind for r in todo_page(org.handler, Role.HANDLER, 1, kind="measure").rows] == [
        "measure"
    ]


def test_the_list_pages_across_the_kinds(org, monkeypatch):
    monkeypatch.setattr("web.selectors.PAGE_SIZE", 2)
    for n in range(3):
        register(org, clue=f"巡查发现占道经营{n}")
    first = todo_page(org.chief, Role.SECTION_CHIEF, 1)
    second = todo_page(org.chief, Role.SECTION_CHIEF, 2)
    assert len(first.rows) == 2 and first.has_next
    assert len(second.rows) == 1 and not second.has_next
    assert {r.case.pk for r in first.rows}.isdisjoint({r.case.pk for r in second.rows})
    assert first.counts == [("case", "案件办理", "3")]


# --- returns ----------------------------------------------------------------------------------


def returned(org: Any) -> Case:
    case = advance(org, register(org), until="filing_review")
    return act(org, case, "filing_review", decision="return", opinion="请补充违法行为发生日期")


def test_a_returned_case_is_marked_with_who_sent_it_back_and_why(org):
    case = returned(org)
    html = page(login(org.handler), "/")
    assert "退回" in html and "请补充违法行为发生日期" in html and str(org.chief) in html
    assert "业务科长" in html
    act(org, case, "filing_request")
    assert "请补充违法行为发生日期" not in page(login(org.handler), "/")
    assert "请补充违法行为发生日期" not in page(login(org.chief), "/")


def test_a_case_that_moved_on_normally_is_not_marked(org):
    advance(org, register(org), until="filing_approve")
    row = todo_page(org.director, Role.DEPUTY_DIRECTOR, 1).rows[0]
    assert row.note == ""


def test_a_returned_step_opens_with_the_reason_and_the_last_submission(org):
    case = returned(org)
    html = page(login(org.handler), f"/cases/{case.pk}/")
    assert 'id="returned"' in html and "请补充违法行为发生日期" in html
    assert "涉嫌擅自设置大型户外广告设施</textarea>" in html
    assert f'<option value="{org.co_handler.username}" selected>' in html
    assert f'<option value="{org.matter.code}" selected>' in html


def test_a_step_not_returned_opens_with_the_cases_defaults(org):
    case = advance(org, register(org), until="filing_request")
    html = page(login(org.handler), f"/cases/{case.pk}/")
    assert 'id="returned"' not in html and "涉嫌擅自设置大型户外广告设施" not in html


# --- drafts -----------------------------------------------------------------------------------

HALF = {"summary": "当事人在柳园路设置广告牌，尚待核实", "act_on": "2025-02-20"}


def test_a_draft_is_saved_restored_and_cleared_when_the_step_is_taken(org):
    case = advance(org, register(org), until="filing_request")
    handler = login(org.handler)
    entries = Entry.objects.count()
    r = handler.post(f"/cases/{case.pk}/draft/filing_request/", HALF)
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/#act"
    assert Entry.objects.count() == entries  # a draft decides nothing: no record
    draft = StepDraft.objects.get()
    assert draft.data == HALF and draft.user == org.handler
    html = page(handler, f"/cases/{case.pk}/")
    assert "以下为您保存的草稿" in html and "尚待核实</textarea>" in html
    assert StepDraft.objects.count() == 1  # reading it wrote nothing
    act(org, case, "filing_request")
    assert not StepDraft.objects.exists()


def test_a_draft_over_the_size_limit_is_refused_and_keeps_the_one_before(org):
    case = advance(org, register(org), until="filing_request")
    handler = login(org.handler)
    handler.post(f"/cases/{case.pk}/draft/filing_request/", HALF)
    r = handler.post(
        f"/cases/{case.pk}/draft/filing_request/", {"summary": "字" * (DRAFT_MAX_BYTES // 3 + 1)}
    )
    assert r.status_code == 422 and "草稿过大" in r.content.decode()
    assert StepDraft.objects.get().data == HALF


def test_a_draft_with_a_nul_character_is_refused_on_the_page_and_stripped_by_the_service(org):
    case = advance(org, register(org), until="filing_request")
    r = login(org.handler).post(f"/cases/{case.pk}/draft/filing_request/", {"summary": "广\x00告"})
    assert r.status_code in (400, 422) and not StepDraft.objects.exists()
    draft_save(case=case, step="filing_request", user=org.handler, data={"summary": "广\x00告"})
    assert StepDraft.objects.get().data == {"summary": "广告"}


def test_a_draft_is_refused_to_an_officer_the_step_does_not_wait_for(org):
    case = advance(org, register(org), until="filing_request")
    r = login(org.chief).post(f"/cases/{case.pk}/draft/filing_request/", HALF)
    assert r.status_code == 422 and "当前环节不由您办理" in r.content.decode()
    r = login(org.handler).post(f"/cases/{case.pk}/draft/filing_review/", HALF)
    assert r.status_code == 422
    assert not StepDraft.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "county_officer"])
def test_a_draft_on_a_case_out_of_scope_is_404(org, who):
    case = advance(org, register(org), until="filing_request")
    r = login(getattr(org, who)).post(f"/cases/{case.pk}/draft/filing_request/", HALF)
    assert r.status_code == 404 and not StepDraft.objects.exists()


def test_a_draft_is_only_posted(org):
    case = advance(org, register(org), until="filing_request")
    assert login(org.handler).get(f"/cases/{case.pk}/draft/filing_request/").status_code == 405


def test_a_draft_is_the_officers_own(org):
    case = advance(org, register(org), until="investigation")
    login(org.handler).post(f"/cases/{case.pk}/draft/investigation/", {"records.0.title": "甲"})
    html = page(login(org.co_handler), f"/cases/{case.pk}/")
    assert "以下为您保存的草稿" not in html


def test_kept_evidence_waits_for_its_officers_decision_and_is_late_the_day_after_its_limit(org):
    from cases.services.preservations import preservation_approve, preservation_carry_out
    from zhifa import clock

    case = advance(org, register(org), until="investigation")
    item = preservation_request(
        case_id=case.pk,
        actor=org.handler,
        items=[{"name": "广告牌", "quantity": "1块"}],
        reason="广告牌可能被拆除转移",
    )
    preservation_approve(
        case_id=case.pk, actor=org.director, preservation_id=item.pk, approved=True, opinion="同意"
    )
    item = preservation_carry_out(
        case_id=case.pk, actor=org.handler, preservation_id=item.pk, on=clock.today()
    )
    assert item.decision_due is not None
    clock.set_now(clock.now().replace(month=item.decision_due.month, day=item.decision_due.day))
    (row,) = [r for r in todo_page(org.co_handler, Role.CO_HANDLER, 1).rows if r.kind != "case"]
    assert (row.kind, row.asked, row.due, row.days_left) == (
        "preservation", "作出处理决定", item.decision_due, 0,
    )  # fmt: skip
    assert row.badge is None or row.badge[1] != "已超期"
    clock.set_now(clock.now() + dt.timedelta(days=1))
    (row,) = [r for r in todo_page(org.handler, Role.HANDLER, 1).rows if r.kind != "case"]
    assert row.badge == ("bad", "已超期") and row.days_over == 1
    assert "preservation" not in dict(kinds(org.chief, Role.SECTION_CHIEF))
