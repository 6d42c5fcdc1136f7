"""A matter that does not say otherwise carries the ordinary 追责时效 of 行政处罚法第三十六条."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.models import Matter
from catalog.services import matters_load
from law.limits import TIME_BAR, TIME_BAR_EXTENDED


@pytest.mark.django_db
def test_a_matter_without_its_own_time_bar_gets_the_statutes_two_years(tmp_path: Path):
    basis = {"law": "城市市容和环境卫生管理条例", "article": "第三十六条"}
    rows = [
        {"code": "T-1", "name": "普通事项", "basis": basis},
        {"code": "T-2", "name": "延长时效事项", "basis": basis, "time_bar_years": 5},
    ]
    path = tmp_path / "matters.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert matters_load(path) == 2
    assert Matter.objects.get(code="T-1").time_bar_years == TIME_BAR.amount == 2
    assert Matter.objects.get(code="T-2").time_bar_years == TIME_BAR_EXTENDED.amount
    assert Matter(code="T-3", name="x").time_bar_years == TIME_BAR.amount
