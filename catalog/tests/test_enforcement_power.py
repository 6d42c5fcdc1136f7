"""The catalogue's own enforcement power (行政强制法第十三条: only a 法律 grants it): the shipped
matters carry it exactly where a statute's article gives the agency (or, for 城乡规划法第六十八条,
the county-level government through it) the power to carry out the decision itself."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from catalog.models import Matter
from catalog.services import matters_load

ROOT = Path(__file__).resolve().parents[2]
CLAIMED = {
    "CG-0004": "《中华人民共和国城乡规划法》第六十八条",
    "CG-0005": "《中华人民共和国城乡规划法》第六十八条",
    "CG-0006": "《中华人民共和国城乡规划法》第六十八条",
    "JT-0010": "《中华人民共和国公路法》第七十九条",
    "JT-0011": "《中华人民共和国公路法》第八十一条",
    "SL-0001": "《中华人民共和国水法》第六十五条第一款",
    "HB-0007": "《中华人民共和国水污染防治法》第八十四条第二款",
}


def checker() -> Any:
    spec = importlib.util.spec_from_file_location("check_data", ROOT / "catalog/data/check_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_shipped_matters_have_the_power_where_a_law_grants_it_and_nowhere_else(frozen):
    matters_load()
    flagged = dict(
        Matter.objects.filter(own_enforcement_power=True).values_list(
            "code", "enforcement_power_basis"
        )
    )
    assert set(flagged) == set(CLAIMED)
    for code, basis in CLAIMED.items():
        assert flagged[code].startswith(basis)
    # A 行政法规 cannot grant it: the 城市道路管理条例 and 公路安全保护条例 matters stay without.
    assert not Matter.objects.filter(code__in=["CG-0008", "JT-0006"], own_enforcement_power=True)
    assert Matter.objects.get(code="CG-0001").enforcement_power_basis == ""


def test_the_checker_refuses_a_power_based_on_a_regulation_or_without_its_article():
    check = checker()
    check.errors.clear()
    regulation = {"granted": True, "basis": "《城市道路管理条例》第四十二条", "text": "强制拆除"}
    check.check_enforcement_power("m", "penalty", regulation)
    no_article = {"granted": True, "basis": "《中华人民共和国公路法》", "text": "拆除"}
    check.check_enforcement_power("n", "penalty", no_article)
    good = {
        "granted": True,
        "scope": "performance",
        "basis": CLAIMED["JT-0010"],
        "text": "由交通主管部门拆除",
    }
    check.check_enforcement_power("g", "penalty", good)
    check.check_enforcement_power("s", "penalty", {**good, "scope": "all"})
    problems = list(check.errors)
    assert any(p.startswith("m") and "第十三条" in p for p in problems)
    assert any(p.startswith("n") and "第十三条" in p for p in problems)
    assert any(p.startswith("s") and "enforcement_power.scope" in p for p in problems)
    assert not any(p.startswith("g") for p in problems)


@pytest.mark.django_db
def test_every_shipped_grant_is_to_demolish_or_restore_and_leaves_the_fine_to_the_court(frozen):
    matters_load()
    flagged = Matter.objects.filter(own_enforcement_power=True)
    assert {m.power_scope for m in flagged} == {"performance"}
    assert Matter.objects.get(code="CG-0001").power_scope == ""
    # A matter whose flag is off grants nothing, whatever scope is left on it.
    Matter.objects.filter(code="CG-0001").update(enforcement_power_scope="both")
    assert Matter.objects.get(code="CG-0001").power_scope == ""


def test_the_migration_reads_a_grant_of_the_tax_law_as_money_and_the_demolitions_as_acts():
    migration = importlib.import_module("catalog.migrations.0003_matter_enforcement_power_scope")
    assert migration.scope_of("《中华人民共和国税收征收管理法》第四十条") == "money"
    for basis in CLAIMED.values():
        assert migration.scope_of(basis) == "performance"
