from __future__ import annotations

import io
from fractions import Fraction

from openpyxl import Workbook  # type: ignore[import-untyped]

from inspections import random_services as rs
from inspections.models import RandomPlan, RandomTarget, RandomTask
from inspections.random_selectors import verify_plan
from inspections.tests.random_helpers import HEADER, code, csv_of, drawn_plan, plan_for
from law import random_draw as rd
from ledger.models import Entry
from procedure.testing import assert_refused

STAFF = ("handler", "cohandler", "chief", "legal", "director")


def entries() -> int:
    return Entry.objects.count()


def test_a_csv_list_is_imported_into_the_agencys_target_directory(org):
    assert rs.targets_import(actor=org.chief, filename="a.csv", content=csv_of(3)) == 3
    assert RandomTarget.objects.filter(unit=org.cgj).count() == 3
    assert Entry.objects.filter(action="random_targets_import").count() == 1


def test_an_xlsx_list_is_imported_too(org):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(["聊城市某某个体店", code(7), "餐饮", "东昌府区", "c", "个体工商户"])
    out = io.BytesIO()
    wb.save(out)
    assert rs.targets_import(actor=org.chief, filename="a.xlsx", content=out.getvalue()) == 1
    target = RandomTarget.objects.get()
    assert (target.grade, target.kind) == ("C", "person")


def test_a_list_with_any_bad_row_imports_nothing_and_names_each_row_and_column(org):
    bad = csv_of(2).decode() + f"坏公司,{code(9)[:-1]}0,餐饮,,E,单位\n,{code(1)},,,A,\n"
    refused = assert_refused(
        lambda: rs.targets_import(actor=org.chief, filename="a.csv", content=bad.encode()),
        "第4行“统一社会信用代码”",
        "第4行“风险等级”",
        "第5行“名称”",
        "第5行“类别”",
        field="file",
        unchanged=entries,
    )
    assert "第5行“统一社会信用代码”：与第3行重复" in refused.errors
    assert not RandomTarget.objects.exists()


def test_a_list_with_a_nul_or_without_its_columns_is_refused(org):
    nul = (HEADER + f"甲\x00,{code(1)},餐饮,,A,单位\n").encode()
    assert_refused(
        lambda: rs.targets_import(actor=org.chief, filename="a.csv", content=nul),
        "第2行“名称”：含有空字符",
        unchanged=entries,
    )
    assert_refused(
        lambda: rs.targets_import(actor=org.chief, filename="a.csv", content=b"a,b\n1,2\n"),
        "缺少列",
        unchanged=entries,
    )
    assert_refused(
        lambda: rs.targets_import(actor=org.chief, filename="a.xlsx", content=b"PK\x03\x04junk"),
        "xlsx",
        unchanged=entries,
    )


def test_only_an_agencys_chief_or_director_keeps_the_directory(org):
    assert_refused(
        lambda: rs.targets_import(actor=org.handler, filename="a.csv", content=csv_of(1)),
        "业务科长或分管局长",
        unchanged=entries,
    )
    assert_refused(
        lambda: rs.targets_import(actor=org.supervisor, filename="a.csv", content=csv_of(1)),
        "业务科长或分管局长",
        unchanged=entries,
    )


def test_a_plan_needs_the_planner_to_confirm_the_ratio(org):
    before = RandomPlan.objects.count()
    assert_refused(
        lambda: plan_for(org, ratio_confirmed=False),
        "请确认抽查比例",
        field="ratio_confirmed",
    )
    assert RandomPlan.objects.count() == before


def test_a_plan_with_a_bad_ratio_or_far_dates_is_refused(org):
    import datetime as dt

    assert_refused(
        lambda: plan_for(org, ratios={"A": "0", "B": "101", "C": "1e999", "D": "5"}),
        "A级抽查比例",
        "B级抽查比例",
        "C级抽查比例",
        field="ratios",
    )
    assert_refused(
        lambda: plan_for(org, ends_on=dt.date(9999, 12, 31)), "超出范围", field="ends_on"
    )
    assert not RandomPlan.objects.exists()


def test_the_default_ratio_is_the_setting(org, settings):
    settings.RANDOM_INSPECTION_RATIO_PERCENT = "7.5"
    assert rs.default_ratios() == {g: "7.5" for g in "ABCD"}


def test_freezing_publishes_the_lists_hash_and_a_commitment_but_not_the_seed(org):
    plan = plan_for(org)
    plan = rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    assert plan.status == RandomPlan.Status.FROZEN
    assert plan.pools_hash == rd.pools_hash(
        plan.targets_text, plan.inspectors_text, plan.conflicts_text
    )
    assert plan.targets_text.count("\n") == 40
    assert plan.inspectors_text.count("\n") == 5
    assert plan.commitment == rd.commitment(plan.seed)
    entry = Entry.objects.get(action="random_plan_freeze")
    assert entry.payload["pools_sm3"] == plan.pools_hash
    assert plan.seed not in str(entry.payload)


def test_the_draw_follows_the_published_algorithm_on_the_frozen_lists(org):
    plan = drawn_plan(org)
    tasks = list(RandomTask.objects.filter(plan=plan).order_by("order"))
    assert len(tasks) == 2  # ⌈40 × 5 %⌉
    result = rd.draw(
        plan.seed,
        [rd.Target(code(k), "餐饮", "B") for k in range(40)],
        [
            rd.Inspector(f"C-{u}", "", "")
            for u in ("handler", "cohandler", "chief", "legal", "director")
        ],
        {g: Fraction(5, 100) for g in "ABCD"},
    )
    assert [t.reg_no for t in tasks] == list(result.targets)
    assert [(f"C-{t.lead.username}", f"C-{t.second.username}") for t in tasks] == [
        p.inspectors for p in result.pairs
    ]
    assert verify_plan(plan).ok


def test_a_seed_that_does_not_open_the_commitment_is_refused_and_nothing_is_drawn(org):
    plan = plan_for(org)
    plan = rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    RandomPlan.objects.filter(pk=plan.pk).update(seed="0" * 64)
    assert_refused(
        lambda: rs.plan_draw(actor=org.chief, plan_id=plan.pk),
        "种子承诺值不一致",
        unchanged=entries,
    )
    plan.refresh_from_db()
    assert plan.status == RandomPlan.Status.FROZEN and not plan.tasks.exists()


def test_lists_changed_after_the_freeze_do_not_verify(org):
    plan = drawn_plan(org)
    RandomPlan.objects.filter(pk=plan.pk).update(targets_text=plan.targets_text[1:])
    plan.refresh_from_db()
    assert not verify_plan(plan).pools_match
    assert not verify_plan(plan).ok


def test_a_conflict_keeps_the_officer_off_that_target(org):
    plan = drawn_plan(org)
    first = plan.tasks.order_by("order").first()
    assert first is not None
    other = plan_for(org, title="复核计划", ratios={g: "100" for g in "ABCD"})
    rs.conflict_add(
        actor=org.chief,
        plan_id=other.pk,
        officer_id=first.lead_id,
        reg_no=first.reg_no,
        reason="亲属",
    )
    RandomPlan.objects.filter(pk=other.pk).update()
    rs.plan_freeze(actor=org.chief, plan_id=other.pk)
    assert (
        f'["C-{first.lead.username}","{first.reg_no}"]'
        in RandomPlan.objects.get(pk=other.pk).conflicts_text
    )
    rs.plan_draw(actor=org.chief, plan_id=other.pk)
    task = RandomTask.objects.get(plan=other, reg_no=first.reg_no)
    assert first.lead_id not in (task.lead_id, task.second_id)


def test_a_second_draw_of_the_same_plan_is_refused(org):
    plan = drawn_plan(org)
    assert_refused(
        lambda: rs.plan_draw(actor=org.chief, plan_id=plan.pk), "尚未摇号", unchanged=entries
    )


def test_an_officer_without_a_valid_certificate_today_is_left_out_of_the_pool(org):
    from orgs.models import Certificate

    Certificate.objects.filter(user=org.legal).update(status="suspended", status_on="2025-03-01")
    plan = plan_for(org)
    plan = rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    assert "C-legal" not in plan.inspectors_text
    assert plan.inspectors_text.count("\n") == 4


def test_another_agencys_chief_cannot_freeze_or_draw_the_plan(org):
    plan = plan_for(org)
    assert_refused(
        lambda: rs.plan_freeze(actor=org.other_officer, plan_id=plan.pk),
        "抽查计划不存在",
        unchanged=entries,
    )


def test_only_certified_officers_who_handle_cases_are_in_the_inspector_pool(org):
    from demo.testing import certified_person
    from inspections.random_selectors import inspectors_today
    from procedure.roles import Role

    certified_person("cgj-certadmin", org.cgj, Role.CERT_ADMIN, password_hash="!")
    plan = rs.plan_freeze(actor=org.chief, plan_id=plan_for(org).pk)
    assert "C-cgj-certadmin" not in plan.inspectors_text
    assert "C-handler" in plan.inspectors_text
    listed = {c.number for c in inspectors_today(org.handler)}
    assert listed == {f"C-{u}" for u in STAFF}
