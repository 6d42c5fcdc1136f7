from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases.models import Case
from conftest import move
from inspections import random_services as rs
from inspections.models import Inspection, RandomPlan, RandomTask
from inspections.random_selectors import random_todo
from inspections.tests.random_helpers import drawn_plan
from ledger.models import Entry
from procedure.testing import assert_refused
from supervision.selectors import Period, form_table

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"x" * 200
PASSED = [{"passed": True, "note": ""}, {"passed": True, "note": ""}]


def assigned(org: Any, plan: RandomPlan) -> list[RandomTask]:
    """The drawn tasks, each given to the handler and co-handler (both 承办人)."""
    plan.tasks.update(lead=org.handler, second=org.co_handler)
    return list(plan.tasks.order_by("order"))


def complete(org: Any, task: RandomTask, **changes: Any) -> RandomTask:
    data: dict[str, Any] = {
        "actor": org.handler,
        "task_id": task.pk,
        "checked_on": dt.date(2025, 3, 3),
        "items": PASSED,
        "result": "no_problem",
        "note": "",
    }
    data.update(changes)
    return rs.task_complete(**data)


def written() -> tuple[int, int, int]:
    return Entry.objects.count(), Inspection.objects.count(), Case.objects.count()


def test_a_drawn_target_waits_in_its_two_inspectors_todo(org):
    plan = drawn_plan(org)
    task = plan.tasks.order_by("order").first()
    assert task is not None
    assert task in random_todo(task.lead) and task in random_todo(task.second)
    others = {org.handler, org.co_handler, org.chief, org.legal, org.director}
    others -= {task.lead, task.second}
    assert all(task not in random_todo(u) for u in others)


def test_a_completed_check_is_an_inspection_the_form_counts(org):
    from orgs.services import regions_ensure

    regions_ensure()
    plan = drawn_plan(org)
    task = assigned(org, plan)[0]
    complete(org, task, photos=[rs.Photo(JPEG)])
    task.refresh_from_db()
    assert task.inspection is not None and task.inspection.kind == Inspection.Kind.RANDOM
    assert task.photos.count() == 1 and task.photos.get().content_type == "image/jpeg"
    assert task not in random_todo(org.handler)
    table = form_table("inspection", root=org.city, period=Period.year(2025))
    assert table.total.values["inspections"] == 1


def test_a_problem_found_becomes_a_lead_from_random_inspection(org):
    plan = drawn_plan(org)
    task = assigned(org, plan)[0]
    failed = [{"passed": False, "note": "未取得设置许可"}, {"passed": True}]
    complete(org, task, items=failed, result="problem", note="擅自设置户外广告牌")
    task.refresh_from_db()
    assert task.case is not None
    assert task.case.source == Case.Source.RANDOM_INSPECTION
    assert task.case.parties.get().id_number == task.reg_no
    assert task.inspection is not None
    assert task.inspection.result == Inspection.Result.PROBLEM_FOUND


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"checked_on": dt.date(2025, 3, 4)}, "checked_on", "不能晚于今天"),
        ({"checked_on": dt.date(2025, 3, 2)}, "checked_on", "计划期间"),
        ({"items": PASSED[:1]}, "items", "全部2个检查项目"),
        ({"items": [{"passed": "yes"}, {"passed": True}]}, "items[0].passed", "合格或不合格"),
        (
            {"items": [{"passed": False}, {"passed": True}]},
            "result",
            "有不合格项目的，检查结果不能为未发现问题",
        ),
        ({"result": "rectify", "note": ""}, "note", "请填写检查情况"),
        ({"result": "fine"}, "result", "检查结果无效"),
        ({"note": "a\x00"}, "note", "不超过1000个字"),
        ({"photos": [rs.Photo(b"<html>not a photo</html>")]}, "photos", "不是JPEG"),
    ],
)
def test_a_bad_result_is_refused_by_field_and_changes_nothing(org, changes, field, message):
    plan = drawn_plan(org)
    task = assigned(org, plan)[0]
    assert_refused(lambda: complete(org, task, **changes), message, field=field, unchanged=written)
    task.refresh_from_db()
    assert task.result == "" and not task.photos.exists()


def test_an_inspector_without_a_valid_certificate_that_day_is_refused(org):
    from orgs.models import Certificate

    plan = drawn_plan(org)
    task = assigned(org, plan)[0]
    Certificate.objects.filter(user=org.handler).update(status="suspended", status_on="2025-03-01")
    assert_refused(lambda: complete(org, task), "没有有效的执法证", unchanged=written)


def test_only_the_two_drawn_inspectors_record_the_result(org):
    plan = drawn_plan(org)
    task = assigned(org, plan)[0]
    for outsider in (org.chief, org.other_officer, org.supervisor):
        assert_refused(
            lambda u=outsider: complete(org, task, actor=u), "抽查任务不存在", unchanged=written
        )
    complete(org, task, actor=org.co_handler)
    assert_refused(lambda: complete(org, task), "已经记录", unchanged=written)


def test_a_problem_is_recorded_only_by_an_inspector_who_may_register_a_lead(org):
    plan = drawn_plan(org)
    task = assigned(org, plan)[0]
    RandomTask.objects.filter(pk=task.pk).update(second=org.legal)
    failed = [{"passed": False}, {"passed": True}]
    assert_refused(
        lambda: complete(org, task, actor=org.legal, items=failed, result="problem", note="问题"),
        "承办人",
        field="result",
        unchanged=written,
    )


def finish(org: Any) -> RandomPlan:
    plan = drawn_plan(org)
    for task in assigned(org, plan):
        complete(org, task)
    plan.refresh_from_db()
    return plan


def test_results_are_due_twenty_working_days_after_the_last_check(org):
    plan = finish(org)
    # 2025-03-03 (Mon) + 20 working days: 4–7, 10–14, 17–21, 24–28 March and the 31st.
    assert plan.checks_ended_on == dt.date(2025, 3, 3)
    assert plan.publish_due_on == dt.date(2025, 3, 31)


def test_the_publication_limit_is_a_setting(org, settings):
    settings.RANDOM_INSPECTION_PUBLISH_DAYS = 5
    assert finish(org).publish_due_on == dt.date(2025, 3, 10)


def test_results_published_on_the_last_day_are_on_time(org):
    plan = finish(org)
    move(days=28)  # 2025-03-31
    rs.plan_publish(actor=org.chief, plan_id=plan.pk)
    entry = Entry.objects.get(action="random_plan_publish")
    assert entry.payload["late"] is False


def test_results_published_the_day_after_are_recorded_late(org):
    plan = finish(org)
    move(days=29)  # 2025-04-01
    rs.plan_publish(actor=org.chief, plan_id=plan.pk)
    entry = Entry.objects.get(action="random_plan_publish")
    assert entry.payload["late"] is True
    plan.refresh_from_db()
    assert plan.status == RandomPlan.Status.PUBLISHED


def test_results_are_not_published_while_a_target_is_unchecked(org):
    plan = drawn_plan(org)
    task = assigned(org, plan)[0]
    complete(org, task)
    assert_refused(
        lambda: rs.plan_publish(actor=org.chief, plan_id=plan.pk),
        "没有检查结果",
        unchanged=written,
    )
