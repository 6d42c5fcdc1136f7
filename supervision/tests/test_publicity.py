"""公示 and 双随机 seen by the supervisor: decisions published late or not at all, withdrawals due
and late after a correction, plans behind schedule, draws redone; each irregular one raised by the
scan as an item; a supervisor reads its subtree, an agency its own unit, anyone else 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cases.models import Case, Decision
from cases.tests.flow import advance, register
from disclosure.services import (
    decision_correct,
    publication_approve,
    publication_draft,
    publication_publish,
    publication_withdraw,
)
from inspections import random_services as rs
from inspections.models import RandomTask
from inspections.tests.random_helpers import drawn_plan
from supervision.models import Item
from supervision.publicity import publicity_rows
from supervision.services import supervision_scan
from zhifa import clock

pytestmark = pytest.mark.django_db
ALL = {g: "100" for g in "ABCD"}


def on(day: dt.date) -> None:
    clock.set_now(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=clock.now().tzinfo))


@pytest.fixture
def decision(org: Any) -> Decision:
    """城管局's penalty decision of Monday 2025-03-03: published by Wednesday 2025-03-12."""
    case: Case = advance(org, register(org), until="execution")
    return Decision.objects.select_related("party").get(case=case)


def publish(org: Any, decision: Decision) -> None:
    publication_draft(decision_id=decision.pk, actor=org.handler)
    publication_approve(decision_id=decision.pk, actor=org.legal)
    publication_publish(decision_id=decision.pk, actor=org.legal)


def rows(user: Any, kind: str) -> list[Any]:
    found = publicity_rows(user, clock.today())
    assert found is not None
    return found[kind]


def items(rule: str) -> list[Item]:
    return list(Item.objects.filter(rule=rule))


def test_a_decision_unpublished_on_its_last_day_is_not_late_and_the_day_after_it_is(org, decision):
    on(dt.date(2025, 3, 12))
    assert rows(org.supervisor, "publication") == []
    supervision_scan()
    assert items("publication_late") == []
    on(dt.date(2025, 3, 13))
    (row,) = rows(org.supervisor, "publication")
    assert (row.state, row.due_on, row.irregular) == ("逾期未公示", dt.date(2025, 3, 12), True)
    supervision_scan()
    supervision_scan()
    (item,) = items("publication_late")
    assert item.case_id == decision.case_id and "至今未公示" in item.detail


def test_a_publication_on_its_last_day_is_on_time_and_one_the_day_after_is_late(org, decision):
    on(dt.date(2025, 3, 12))
    publish(org, decision)
    on(dt.date(2025, 4, 1))
    assert rows(org.supervisor, "publication") == []
    other: Decision = Decision.objects.select_related("party").get(
        case=advance(org, register(org, clue="另一起擅自设置户外广告"), until="execution")
    )
    # 7 working days after Tuesday 2025-04-01, 清明 (Friday 4 April) left out: Friday 11 April.
    on(dt.date(2025, 4, 14))
    publish(org, other)
    (row,) = rows(org.supervisor, "publication")
    assert (row.state, row.due_on, row.done_on) == (
        "超期公示",
        dt.date(2025, 4, 11),
        dt.date(2025, 4, 14),
    )
    supervision_scan()
    assert [i.case_id for i in items("publication_late")] == [other.case_id]


def test_a_withdrawal_after_a_correction_is_due_on_its_last_day_and_late_the_day_after(
    org, decision
):
    publish(org, decision)
    on(dt.date(2025, 3, 7))
    decision_correct(
        decision_id=decision.pk,
        actor=org.legal,
        ending="revoked",
        corrected_on=clock.today(),
        reason="本机关复查后撤销",
    )
    on(dt.date(2025, 3, 12))
    (row,) = rows(org.supervisor, "withdrawal")
    assert (row.state, row.irregular) == ("待撤回", False)
    supervision_scan()
    assert items("withdrawal_late") == []
    on(dt.date(2025, 3, 13))
    (row,) = rows(org.supervisor, "withdrawal")
    assert (row.state, row.irregular) == ("逾期未撤回", True)
    publication_withdraw(decision_id=decision.pk, actor=org.legal, reason="本机关已自行撤销")
    (row,) = rows(org.supervisor, "withdrawal")
    assert (row.state, row.done_on) == ("超期撤回", dt.date(2025, 3, 13))
    supervision_scan()
    assert len(items("withdrawal_late")) == 1


def test_a_plan_with_targets_unchecked_after_its_period_is_behind(org):
    plan = drawn_plan(org, n=2, ratios=ALL, ends_on=dt.date(2025, 3, 14))
    on(dt.date(2025, 3, 14))
    assert rows(org.supervisor, "random") == []
    on(dt.date(2025, 3, 15))
    (row,) = rows(org.supervisor, "random")
    assert row.state == "逾期未检查" and "2个抽中对象未检查" in row.detail
    supervision_scan()
    (item,) = items("random_checks_behind")
    assert item.case_id is None and item.unit_id == plan.unit_id


def check_all(plan: Any, day: dt.date) -> None:
    for task in RandomTask.objects.filter(plan=plan):
        rs.task_complete(
            actor=task.lead,
            task_id=task.pk,
            checked_on=day,
            items=[{"passed": True}, {"passed": True}],
            result="no_problem",
            note="",
        )


def test_results_unpublished_past_their_limit_are_late_and_published_late_stay_visible(org):
    plan = drawn_plan(org, n=1, ratios=ALL)
    check_all(plan, dt.date(2025, 3, 3))
    plan.refresh_from_db()
    assert plan.publish_due_on == dt.date(2025, 3, 31)
    on(dt.date(2025, 3, 31))
    assert rows(org.supervisor, "random") == []
    on(dt.date(2025, 4, 1))
    (row,) = rows(org.supervisor, "random")
    assert row.state == "逾期未公示结果"
    rs.plan_publish(actor=org.chief, plan_id=plan.pk)
    (row,) = rows(org.supervisor, "random")
    assert (row.state, row.done_on) == ("超期公示结果", dt.date(2025, 4, 1))
    supervision_scan()
    assert len(items("random_publish_late")) == 1


def test_a_redraw_is_shown_with_its_reason_and_raised_for_the_supervisor(org):
    plan = drawn_plan(org, n=5)
    rs.plan_redraw(actor=org.chief, plan_id=plan.pk, reason="抽中的检查人员长期病假")
    (row,) = rows(org.supervisor, "redraw")
    assert "抽中的检查人员长期病假" in row.detail and row.state == "第1次重新摇号"
    supervision_scan()
    (item,) = items("random_redraw")
    assert "长期病假" in item.detail and item.case_id is None
    page = _client(org.supervisor).get("/supervision/publicity/").content.decode()
    assert "抽中的检查人员长期病假" in page


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_page_shows_the_agency_its_own_the_supervisor_its_subtree_and_others_nothing(
    org, decision
):
    drawn_plan(org, n=5)
    rs.plan_redraw(
        actor=org.chief, plan_id=decision.case.unit.random_plans.get().pk, reason="人员调整"
    )
    on(dt.date(2025, 3, 13))
    for insider in (org.chief, org.handler, org.supervisor):
        page = _client(insider).get("/supervision/publicity/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-code="publication_late"' in html and "人员调整" in html
    for colleague in (org.other_officer, org.county_supervisor):
        html = _client(colleague).get("/supervision/publicity/").content.decode()
        assert 'data-code="publication_late"' not in html and "人员调整" not in html
    assert _client(org.sysadmin).get("/supervision/publicity/").status_code == 404


def test_the_dashboard_counts_them_and_links_to_the_page(org, decision):
    on(dt.date(2025, 3, 13))
    page = _client(org.supervisor).get("/supervision/")
    assert page.status_code == 200
    assert page.context["publicity"]["publication_late"] == 1
    assert "/supervision/publicity/" in page.content.decode()
