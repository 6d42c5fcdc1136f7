"""The same 18 steps through `manage.py case`, with the same checks as the API."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case
from cases.tests.flow import JPEG, ORDER, ORG_CODE, advance, payloads, register

pytestmark = pytest.mark.django_db


def cli(*args: str) -> str:
    out = StringIO()
    call_command("case", *args, stdout=out)
    return out.getvalue()


def test_five_officers_take_a_case_through_all_eighteen_steps_with_manage_py(org, tmp_path):
    lead = {
        "source": "patrol",
        "clue": "巡查发现擅自设置广告牌",
        "discovered_on": "2025-03-03",
        "act_on": "2025-03-01",
        "parties": [
            {"kind": "organisation", "name": "某公司", "id_number": ORG_CODE, "address": "某地"}
        ],
    }
    case_id = json.loads(cli("--user", "handler", "register", "--data", json.dumps(lead)))["id"]
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(JPEG)
    case = Case.objects.get(pk=case_id)
    for step in ORDER:
        if step == "investigation":
            cli(
                "--user",
                "cohandler",
                "evidence",
                str(case_id),
                "--file",
                str(photo),
                "--kind",
                "photo",
                "--title",
                "现场照片",
            )
        actor, decision, data = payloads(org, case)[step]
        cli(
            "--user",
            actor.username,
            "act",
            str(case_id),
            step,
            "--data",
            json.dumps({"decision": decision, **data}),
        )
    shown = json.loads(cli("--user", "supervisor", "show", str(case_id)))
    assert shown["status"] == "closed" and shown["decisions"][0]["number"]
    record = cli("--user", "supervisor", "record", str(case_id))
    assert "closing_approve" in record


def test_the_cli_reports_every_refusal_in_chinese(org):
    lead = {
        "source": "patrol",
        "clue": "线索",
        "discovered_on": "2025-03-03",
        "parties": [{"kind": "organisation", "name": "某公司", "id_number": "91350100M000100Y44"}],
    }
    with pytest.raises(CommandError) as info:
        cli("--user", "handler", "register", "--data", json.dumps(lead))
    assert str(info.value) == "操作被拒绝：\n- 第1名当事人：统一社会信用代码校验码错误，请核对代码"
    # A step refused for two reasons prints both, one a line.
    case = advance(org, register(org), until="investigation")
    with pytest.raises(CommandError) as info:
        cli(
            "--user",
            "handler",
            "act",
            str(case.pk),
            "investigation",
            "--data",
            json.dumps({"decision": "submit", "records": []}),
        )
    assert str(info.value).splitlines() == [
        "操作被拒绝：",
        "- 尚未登记任何证据，不能结束调查取证",
        "- 请至少录入一份询问笔录或现场检查（勘验）笔录",
    ]


def test_the_cli_hides_cases_outside_the_users_scope(org):
    from cases.tests.flow import register

    case = register(org)
    with pytest.raises(CommandError, match="案件不存在"):
        cli("--user", "scjg-officer", "show", str(case.pk))
