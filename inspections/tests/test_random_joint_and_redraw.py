"""A 跨部门联合抽查 draws from every participating agency's 名录库 and pairs inspectors across
agencies; a draw redone before any check keeps the earlier draw and its reason in public."""

from __future__ import annotations

import json

from django.test import Client

from inspections import random_services as rs
from inspections.models import RandomPlan, RandomRedraw, RandomTask
from inspections.random_selectors import verify_plan
from inspections.tests.random_helpers import code, csv_of, drawn_plan, plan_for
from ledger.models import Entry
from procedure.testing import assert_refused

ALL = {g: "100" for g in "ABCD"}


def entries() -> int:
    return Entry.objects.count()


def test_a_joint_plan_draws_the_partners_targets_too_and_pairs_inspectors_across_agencies(org):
    # 市场监管局 keeps its own 名录库: five 餐饮 entries the city's 城管局 does not have.
    rs.targets_import(actor=org.other_officer, filename="市监.csv", content=csv_of(5, start=100))
    plan = drawn_plan(org, n=5, partner_ids=[org.scjg.pk], ratios=ALL)
    drawn = set(plan.tasks.values_list("reg_no", flat=True))
    assert drawn == {code(k) for k in range(5)} | {code(k) for k in range(100, 105)}
    assert code(100) in plan.targets_text
    for task in plan.tasks.select_related("lead", "second"):
        assert task.lead.unit_id != task.second.unit_id
    assert verify_plan(plan).ok


def test_a_plan_of_one_agency_never_draws_another_agencys_targets(org):
    rs.targets_import(actor=org.other_officer, filename="市监.csv", content=csv_of(5, start=100))
    plan = drawn_plan(org, n=5, ratios=ALL)
    assert set(plan.tasks.values_list("reg_no", flat=True)) == {code(k) for k in range(5)}
    assert code(100) not in plan.targets_text


def test_an_enterprise_in_both_lists_is_one_target_with_the_lead_agencys_grade(org):
    rs.targets_import(
        actor=org.other_officer, filename="市监.csv", content=csv_of(3, grade="D", start=3)
    )
    plan = drawn_plan(org, n=5, partner_ids=[org.scjg.pk], ratios=ALL)
    assert plan.tasks.filter(reg_no=code(3)).get().grade == "B"
    assert plan.tasks.filter(reg_no=code(5)).get().grade == "D"
    assert plan.tasks.count() == 6


def test_a_joint_plan_may_cover_a_category_only_a_partner_lists(org):
    rs.targets_import(
        actor=org.other_officer, filename="市监.csv", content=csv_of(2, category="药店", start=50)
    )
    plan = plan_for(org, n=3, partner_ids=[org.scjg.pk], categories=["药店"], ratios=ALL)
    rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    plan = rs.plan_draw(actor=org.chief, plan_id=plan.pk)
    assert set(plan.tasks.values_list("reg_no", flat=True)) == {code(50), code(51)}


def test_a_redraw_keeps_the_earlier_draw_and_its_reason_and_the_public_page_shows_them(org):
    plan = drawn_plan(org, n=20)
    first_seed, first_pairs = (
        plan.seed,
        [[t.reg_no, t.lead_id, t.second_id] for t in plan.tasks.order_by("order")],
    )
    plan = rs.plan_redraw(actor=org.chief, plan_id=plan.pk, reason="抽中的检查人员调离本单位")
    assert plan.status == RandomPlan.Status.DRAFT and plan.seed == "" and not plan.tasks.exists()
    kept = RandomRedraw.objects.get(plan=plan)
    assert (kept.number, kept.reason, kept.seed) == (1, "抽中的检查人员调离本单位", first_seed)
    assert [p[0] for p in kept.pairs] == [p[0] for p in first_pairs]
    entry = Entry.objects.filter(stream=f"random-plan:{plan.pk}").order_by("-seq").first()
    assert entry.action == "random_plan_redraw"
    assert entry.payload["reason"] == "抽中的检查人员调离本单位"
    page = Client().get(f"/gs/choucha/{plan.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "抽中的检查人员调离本单位" in html and first_seed in html
    rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    plan = rs.plan_draw(actor=org.chief, plan_id=plan.pk)
    assert plan.seed != first_seed and verify_plan(plan).ok
    data = json.loads(Client().get(f"/gs/choucha/{plan.pk}/data.json").content)
    assert data["redraws"][0]["seed"] == first_seed
    assert data["redraws"][0]["lists"]["targets"] == kept.targets_text


def test_a_redraw_after_a_check_is_recorded_is_refused_and_changes_nothing(org):
    import datetime as dt

    plan = drawn_plan(org, n=20)
    task = RandomTask.objects.filter(plan=plan).order_by("order").first()
    rs.task_complete(
        actor=task.lead,
        task_id=task.pk,
        checked_on=dt.date(2025, 3, 3),
        items=[{"passed": True}, {"passed": True}],
        result="no_problem",
        note="",
    )
    assert_refused(
        lambda: rs.plan_redraw(actor=org.chief, plan_id=plan.pk, reason="人员变动"),
        "已有检查结果的计划不能重新摇号",
        unchanged=lambda: (entries(), RandomRedraw.objects.count(), RandomTask.objects.count()),
    )


def test_a_redraw_needs_its_reason(org):
    plan = drawn_plan(org, n=20)
    assert_refused(
        lambda: rs.plan_redraw(actor=org.chief, plan_id=plan.pk, reason="  "),
        "请填写重新摇号的原因",
        field="reason",
        unchanged=lambda: (entries(), RandomTask.objects.count()),
    )


def test_another_agencys_chief_cannot_redraw(org):
    plan = drawn_plan(org, n=20)
    assert_refused(
        lambda: rs.plan_redraw(actor=org.other_officer, plan_id=plan.pk, reason="人员变动"),
        "抽查计划不存在",
        unchanged=lambda: (entries(), RandomTask.objects.count()),
    )


def test_a_whole_percentage_is_kept_as_written_not_in_exponent_form(org):
    assert plan_for(org, n=3, ratios=ALL).ratios == ALL


def test_a_redraw_over_the_api_and_the_page_by_the_planner_only_others_404_or_refused(org):
    from api.tests.test_api_flow import ApiUser
    from api.tests.test_certificate_api import matches

    plan = drawn_plan(org, n=20)
    url = f"/api/random/plans/{plan.pk}/redraw"
    doc = Client().get("/api/openapi.json").json()
    outsider = ApiUser(Client(), org.other_officer.username)
    assert outsider.post(url, {"reason": "人员变动"}).status_code == 404
    supervisor = ApiUser(Client(), org.supervisor.username)
    r = supervisor.post(url, {"reason": "人员变动"})
    assert r.status_code == 422 and "业务科长或分管局长" in r.json()["errors"][0]
    chief = ApiUser(Client(), org.chief.username)
    before = entries()
    r = chief.post(url, {"reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["fields"] and entries() == before
    r = chief.post(url, {"reason": "抽中的检查人员借调外单位"})
    assert r.status_code == 200
    assert matches(doc, "/api/random/plans/{plan_id}/redraw", "post", r)["status"] == "draft"
    rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    rs.plan_draw(actor=org.chief, plan_id=plan.pk)
    web = Client()
    web.force_login(org.chief)
    r = web.post(f"/random/plans/{plan.pk}/redraw/", {"reason": "第二次：回避关系漏登"})
    assert r.status_code == 302
    page = web.get(f"/random/plans/{plan.pk}/").content.decode()
    assert "抽中的检查人员借调外单位" in page and "第二次：回避关系漏登" in page
    assert RandomRedraw.objects.filter(plan=plan).count() == 2
