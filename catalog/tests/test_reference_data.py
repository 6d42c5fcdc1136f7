"""The shipped reference data passes its own checker and loads into the catalogue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from catalog.models import Matter

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_units_regions_and_matters_pass_their_checker():
    run = subprocess.run(
        [sys.executable, str(ROOT / "catalog/data/check_data.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.django_db
def test_the_catalogue_holds_the_seed_004_provisions_with_their_articles(frozen):
    from demo.demo import demo_load
    from zhifa import clock

    demo_load(today=clock.today())
    assert Matter.objects.count() >= 40
    assert set(Matter.objects.values_list("domain", flat=True)) >= {
        "城管",
        "市场监管",
        "交通运输",
        "生态环境",
        "水利",
        "商务",
    }
    wsh = Matter.objects.filter(basis_law__contains="位山灌区管理办法")
    articles = " ".join(wsh.values_list("basis_article", flat=True))
    assert "第二十九条" in articles and "第三十条" in articles
    card = Matter.objects.filter(basis_law__contains="单用途预付消费卡管理条例")
    articles = " ".join(card.values_list("basis_article", flat=True))
    assert "第十五条" in articles and "第十六条" in articles
    assert Matter.objects.exclude(lenient=None).count() >= 10
