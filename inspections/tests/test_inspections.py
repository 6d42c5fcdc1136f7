from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cases.tests.flow import ORG_CODE
from inspections.models import Inspection
from inspections.selectors import get_inspection_for_user
from inspections.services import inspection_record
from ledger.models import Entry
from orgs.services import regions_ensure
from procedure.testing import assert_refused
from supervision.selectors import Period, form_table

TARGET = {"kind": "organisation", "name": "某公司", "id_number": ORG_CODE}


def record(org: Any, **changes: Any) -> Inspection:
    data = {
        "actor": org.handler,
        "inspection_no": "聊城管检〔2025〕1号",
        "on": dt.date(2025, 3, 1),
        "kind": "random",
        "result": "no_problem",
        "targets": [TARGET],
    }
    data.update(changes)
    return inspection_record(**data)


def test_an_inspection_recorded_on_the_platform_is_counted_by_the_form(org):
    regions_ensure()
    inspection = record(org)
    assert Entry.objects.filter(stream=f"inspection:{inspection.pk}").count() == 1
    table = form_table("inspection", root=org.city, period=Period.year(2025))
    assert table.rows[0].values["inspections"] == 1 and table.total.values["inspections"] == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"targets": [{**TARGET, "id_number": ORG_CODE[:-1] + "0"}]}, "第1个检查对象"),
        ({"on": dt.date(2025, 3, 4)}, "不能晚于今天"),
        ({"kind": "weekly"}, "检查类型无效"),
        ({"targets": []}, "至少应当有一个检查对象"),
    ],
)
def test_an_invalid_inspection_is_refused_and_nothing_is_written(org, changes, message):
    assert_refused(lambda: record(org, **changes), message)
    assert not Entry.objects.filter(stream__startswith="inspection:").exists()


def test_a_duplicate_number_is_refused(org):
    record(org)
    assert_refused(lambda: record(org), "检查编号“聊城管检〔2025〕1号”已存在")
    assert Inspection.objects.count() == 1


def test_an_inspection_is_404_outside_its_scope(org):
    inspection = record(org)
    assert get_inspection_for_user(org.chief, inspection.pk) == inspection
    assert get_inspection_for_user(org.supervisor, inspection.pk) == inspection
    for outsider in (org.other_officer, org.county_supervisor, org.county_officer, AnonymousUser()):
        with pytest.raises(Http404):
            get_inspection_for_user(outsider, inspection.pk)
