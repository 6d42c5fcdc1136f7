from __future__ import annotations

import json

import pytest
from django.test import Client

from inspections import random_services as rs
from inspections.models import RandomPlan, RandomTarget
from inspections.tests.random_helpers import HEADER, code, drawn_plan, plan_for
from jobs.services import jobs_due
from ledger.models import Entry


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_public_section_lists_frozen_plans_but_not_drafts(org):
    draft = plan_for(org)
    other = plan_for(org, title="已冻结的计划")
    rs.plan_freeze(actor=org.chief, plan_id=other.pk)
    page = Client().get("/gs/choucha/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "已冻结的计划" in body and draft.plan_no not in body
    assert "SM3(种子‖登记号)" in body
    assert page["Cache-Control"].startswith("public")
    assert Client().get(f"/gs/choucha/{draft.pk}/").status_code == 404
    assert "双随机抽查" in Client().get("/gs/").content.decode()


def test_the_seed_is_public_only_after_the_draw(org):
    plan = plan_for(org)
    plan = rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    before = Client().get(f"/gs/choucha/{plan.pk}/data.json").json()
    assert before["seed"] is None and before["commitment"] == plan.commitment
    assert plan.seed not in Client().get(f"/gs/choucha/{plan.pk}/").content.decode()
    rs.plan_draw(actor=org.chief, plan_id=plan.pk)
    after = Client().get(f"/gs/choucha/{plan.pk}/data.json").json()
    assert after["seed"] == plan.seed
    assert len(after["targets"]) == 2


def test_anyone_recomputes_the_draw_from_the_published_json(org):
    from fractions import Fraction

    from law import random_draw as rd

    plan = drawn_plan(org)
    data = Client().get(f"/gs/choucha/{plan.pk}/data.json").json()
    lists = data["lists"]
    assert (
        rd.pools_hash(lists["targets"], lists["inspectors"], lists["conflicts"])
        == data["pools_sm3"]
    )
    assert rd.commitment(data["seed"]) == data["commitment"]
    rows = [json.loads(line) for line in lists["targets"].splitlines()]
    staff = [json.loads(line) for line in lists["inspectors"].splitlines()]
    ratios = {g: Fraction(v) / 100 for g, v in data["ratios"].items()}
    result = rd.draw(
        data["seed"], [rd.Target(*r) for r in rows], [rd.Inspector(*i) for i in staff], ratios
    )
    assert [t["reg_no"] for t in data["targets"]] == list(result.targets)


def test_the_verify_page_says_the_draw_matches_and_notices_a_tampered_result(org):
    plan = drawn_plan(org)
    answer = Client().get(f"/gs/choucha/{plan.pk}/verify.json").json()
    assert answer["ok"] and answer["draw_match"] and answer["commitment_match"]
    assert "核验通过" in Client().get(f"/gs/choucha/{plan.pk}/verify/").content.decode()
    first = plan.tasks.order_by("order").first()
    assert first is not None
    plan.tasks.filter(pk=first.pk).update(lead=first.second, second=first.lead)
    answer = Client().get(f"/gs/choucha/{plan.pk}/verify.json").json()
    assert not answer["ok"] and answer["draw_match"] is False


def test_a_natural_persons_name_is_masked_on_the_public_site(org):
    content = (HEADER + f"张三丰小吃店,{code(1)},餐饮,,B,个体工商户\n").encode()
    rs.targets_import(actor=org.chief, filename="p.csv", content=content)
    assert RandomTarget.objects.get().kind == "person"
    matter = rs.matter_save(actor=org.chief, code="M", name="检查", basis="", checklist=["一"])
    import datetime as dt

    plan = rs.plan_create(
        actor=org.chief,
        title="个体户抽查",
        matter_id=matter.pk,
        categories=["餐饮"],
        ratios={g: "100" for g in "ABCD"},
        ratio_confirmed=True,
        starts_on=dt.date(2025, 3, 3),
        ends_on=dt.date(2025, 3, 31),
    )
    rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    rs.plan_draw(actor=org.chief, plan_id=plan.pk)
    body = Client().get(f"/gs/choucha/{plan.pk}/").content.decode()
    assert "张**" in body and "张三丰" not in body
    assert "张三丰" not in Client().get(f"/gs/choucha/{plan.pk}/data.json").content.decode()


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "sysadmin"])
def test_a_plan_and_its_tasks_are_404_outside_their_scope(org, who):
    plan = drawn_plan(org)
    task = plan.tasks.first()
    assert task is not None
    outsider = client_for(getattr(org, who))
    assert outsider.get(f"/random/plans/{plan.pk}/").status_code == 404
    assert outsider.get(f"/random/tasks/{task.pk}/").status_code == 404
    before = Entry.objects.count()
    assert outsider.post(f"/random/plans/{plan.pk}/publish/").status_code == 404
    assert Entry.objects.count() == before


def test_the_agencys_officers_and_the_citys_supervisor_read_the_plan(org):
    plan = drawn_plan(org)
    task = plan.tasks.first()
    assert task is not None
    for insider in (org.chief, org.handler, org.supervisor):
        c = client_for(insider)
        assert c.get(f"/random/plans/{plan.pk}/").status_code == 200
        assert c.get(f"/random/tasks/{task.pk}/").status_code == 200


def test_a_partner_agencys_officer_reads_the_joint_plan_and_inspects_when_drawn(org):
    plan = drawn_plan(org, partner_ids=[org.scjg.pk], ratios={g: "100" for g in "ABCD"})
    assert plan.inspectors_text.count("\n") == 6
    c = client_for(org.other_officer)
    assert c.get(f"/random/plans/{plan.pk}/").status_code == 200
    mine = plan.tasks.filter(lead=org.other_officer) | plan.tasks.filter(second=org.other_officer)
    assert mine.exists()
    assert c.get(f"/random/tasks/{mine.first().pk}/").status_code == 200
    assert mine.first() in c.get("/random/").context["todo"]


def test_the_officer_pages_change_nothing_on_get_and_refuse_a_post_without_csrf(org):
    plan = plan_for(org)
    c = Client(enforce_csrf_checks=True)
    c.force_login(org.chief)
    before = Entry.objects.count()
    for url in (
        "/random/",
        "/random/targets/",
        "/random/matters/",
        "/random/plans/new/",
        f"/random/plans/{plan.pk}/",
    ):
        assert c.get(url).status_code == 200
    assert c.get(f"/random/plans/{plan.pk}/freeze/").status_code == 405
    assert c.post(f"/random/plans/{plan.pk}/freeze/").status_code == 403
    assert Entry.objects.count() == before
    plan.refresh_from_db()
    assert plan.status == RandomPlan.Status.DRAFT


def test_the_planner_freezes_and_draws_through_the_pages(org):
    plan = plan_for(org)
    c = client_for(org.chief)
    c.post(f"/random/plans/{plan.pk}/freeze/")
    c.post(f"/random/plans/{plan.pk}/draw/")
    plan.refresh_from_db()
    assert plan.status == RandomPlan.Status.DRAWN and plan.tasks.count() == 2
    page = c.get(f"/random/plans/{plan.pk}/").content.decode()
    assert plan.seed in page


def test_an_import_with_errors_shows_them_by_row_and_column(org):
    c = client_for(org.chief)
    bad = (HEADER + f"甲公司,{code(1)[:-1]}0,餐饮,,Q,单位\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    queued = c.post("/random/targets/", {"file": SimpleUploadedFile("a.csv", bad)})
    assert queued.status_code == 302
    jobs_due()
    page = c.get(queued["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "第2行“统一社会信用代码”" in text and "第2行“风险等级”" in text
    assert not RandomTarget.objects.exists()


def test_an_inspector_records_the_result_on_the_phone_page(org):
    plan = drawn_plan(org)
    plan.tasks.update(lead=org.handler, second=org.co_handler)
    task = plan.tasks.order_by("order").first()
    assert task is not None
    c = client_for(org.handler)
    assert "双随机抽查任务" in c.get("/").content.decode()
    bad = c.post(f"/random/tasks/{task.pk}/", {"checked_on": "9999-99-99", "result": "no_problem"})
    assert bad.status_code == 422 and "请填写有效的检查日期" in bad.content.decode()
    ok = c.post(
        f"/random/tasks/{task.pk}/",
        {"checked_on": "2025-03-03", "item_0": "pass", "item_1": "pass", "result": "no_problem"},
    )
    assert ok.status_code == 302
    task.refresh_from_db()
    assert task.result == "no_problem" and task.inspection is not None


def test_huge_ids_and_far_dates_in_the_forms_are_refused_not_a_server_error(org):
    plan = plan_for(org)
    c = client_for(org.chief)
    before = Entry.objects.count()
    page = c.post(
        "/random/plans/new/",
        {
            "title": "x",
            "matter_id": "99999999999999",
            "partners": ["88888888888888888"],
            "starts_on": "0001-01-01",
            "ends_on": "9999-12-31",
        },
    )
    assert page.status_code == 422
    text = page.content.decode()
    assert "请选择抽查事项" in text and "联合抽查单位无效" in text
    c.post(f"/random/plans/{plan.pk}/conflict/", {"officer_id": "9" * 30, "reg_no": "x"})
    assert Entry.objects.count() == before
    assert c.get("/random/plans/99999999999999999999/").status_code == 404
    assert Client().get("/gs/choucha/99999999999999999999/").status_code == 404


def test_a_drawn_target_is_in_its_two_inspectors_todo_only(org):
    plan = drawn_plan(org)
    plan.tasks.update(lead=org.handler, second=org.co_handler)
    for inspector in (org.handler, org.co_handler):
        assert '<tr data-kind="random"' in client_for(inspector).get("/").content.decode()
    for other in (org.chief, org.other_officer):
        assert '<tr data-kind="random"' not in client_for(other).get("/").content.decode()
