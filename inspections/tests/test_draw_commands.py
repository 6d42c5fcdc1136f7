"""manage.py draw and manage.py publish, and scripts/verify_draw.py: the standalone verifier
recomputes a draw made here from its published JSON alone, and notices a changed one."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from inspections import random_services as rs
from inspections.models import RandomPlan, RandomTask
from inspections.tests.random_helpers import csv_of, drawn_plan, plan_for
from ledger.models import Entry

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_draw.py"
ALL = {g: "100" for g in "ABCD"}


def run(*args: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def verify(data: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def published_json(plan: RandomPlan) -> dict[str, Any]:
    return json.loads(Client().get(f"/gs/choucha/{plan.pk}/data.json").content)


def test_the_draw_command_freezes_then_draws_as_the_page_does(org):
    plan = plan_for(org, n=10)
    text = run("draw", plan.plan_no, "--user", org.chief.username, "--freeze")
    assert "名录已冻结" in text
    text = run("draw", str(plan.pk), "--user", org.chief.username)
    plan.refresh_from_db()
    assert plan.status == "drawn" and plan.seed in text and "核验：一致" in text
    assert Entry.objects.filter(stream=f"random-plan:{plan.pk}", action="random_plan_draw").exists()


def test_the_draw_command_refuses_another_agencys_officer_and_an_unknown_plan(org):
    plan = plan_for(org, n=10)
    rs.plan_freeze(actor=org.chief, plan_id=plan.pk)
    with pytest.raises(CommandError, match="抽查计划不存在"):
        run("draw", plan.plan_no, "--user", org.other_officer.username)
    with pytest.raises(CommandError, match="不存在"):
        run("draw", "NO-SUCH-PLAN", "--user", org.chief.username)
    assert RandomPlan.objects.get(pk=plan.pk).status == "frozen"


def test_the_verifier_recomputes_a_draw_from_its_published_json_alone(org, tmp_path):
    plan = drawn_plan(org, n=30)
    done = verify(published_json(plan), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "不符" not in done.stdout and done.stdout.count("通过") == 4


def test_the_verifier_recomputes_a_joint_plan_drawn_across_agencies(org, tmp_path):
    rs.targets_import(
        actor=org.other_officer,
        filename="市监.csv",
        content=csv_of(4, start=200),
    )
    plan = drawn_plan(org, n=4, partner_ids=[org.scjg.pk], ratios=ALL)
    done = verify(published_json(plan), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_verifier_notices_a_changed_pair_a_changed_list_and_a_wrong_seed(org, tmp_path):
    plan = drawn_plan(org, n=30)
    data = published_json(plan)
    swapped = json.loads(json.dumps(data))
    swapped["pairs"][0][1], swapped["pairs"][0][2] = data["pairs"][0][2], data["pairs"][0][1]
    done = verify(swapped, tmp_path)
    assert done.returncode == 1 and "不符  重新计算的抽取结果与公布结果一致" in done.stdout
    shortened = json.loads(json.dumps(data))
    shortened["lists"]["targets"] = "".join(data["lists"]["targets"].splitlines(True)[1:])
    done = verify(shortened, tmp_path)
    assert done.returncode == 1 and "不符  名录SM3与公布值一致" in done.stdout
    reseeded = json.loads(json.dumps(data))
    reseeded["seed"] = "00" * 32
    done = verify(reseeded, tmp_path)
    assert done.returncode == 1 and "不符  种子与事先公布的承诺值一致" in done.stdout


def test_publish_lists_whats_due_and_publishes_only_what_the_user_may(org):
    plan = drawn_plan(org, n=1, ratios=ALL)
    for task in RandomTask.objects.filter(plan=plan):
        rs.task_complete(
            actor=task.lead,
            task_id=task.pk,
            checked_on=dt.date(2025, 3, 3),
            items=[{"passed": True}, {"passed": True}],
            result="no_problem",
            note="",
        )
    listed = run("publish", "--user", org.chief.username)
    assert plan.plan_no in listed and "公示期限2025-03-31" in listed
    assert RandomPlan.objects.get(pk=plan.pk).status == "drawn"
    before = Entry.objects.count()
    run("publish", "--user", org.supervisor.username, "--apply")
    assert Entry.objects.count() == before
    run("publish", "--user", org.chief.username, "--apply")
    assert RandomPlan.objects.get(pk=plan.pk).status == "published"
