"""强制执行 through the `case` command: the API's schemas, services and scope."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from enforcement.models import EnforcementRecord
from enforcement.tests.test_services import at, decided

pytestmark = pytest.mark.django_db

NOTICE = {
    "party": 0,
    "obligation": "money",
    "term_ends": "2025-09-30",
    "manner": "到指定银行缴纳罚款",
    "amount": "5000.00",
    "rights_told": True,
}


def test_a_notice_is_issued_and_served_from_the_command_line(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    out = StringIO()
    call_command(
        "case",
        "--user",
        "handler",
        "enforce",
        str(case.pk),
        "--data",
        json.dumps(NOTICE),
        stdout=out,
    )
    record = EnforcementRecord.objects.get()
    assert json.loads(out.getvalue())["step"] == "en_notice_serve"
    serve = json.dumps({"decision": "serve", "served_on": "2025-09-29"})
    with pytest.raises(CommandError, match="案件不存在"):
        call_command(
            "case", "--user", "scjg-officer", "enforcement", str(record.pk), "--data", serve
        )
    out = StringIO()
    call_command(
        "case", "--user", "handler", "enforcement", str(record.pk), "--data", serve, stdout=out
    )
    assert json.loads(out.getvalue())["step"] == "en_statement"
    late = json.dumps({"decision": "record"})
    with pytest.raises(CommandError, match="第三十六条"):
        call_command("case", "--user", "handler", "enforcement", str(record.pk), "--data", late)
