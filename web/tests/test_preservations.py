"""The 证据先行登记保存 section of the case page: each step by its taker, errors, scope."""

from __future__ import annotations

import pytest

from cases.models import Preservation
from cases.tests.flow import advance, register
from web.tests.test_workspace import login, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigating(org):
    return advance(org, register(org), until="investigation")


def test_requested_approved_kept_and_decided_from_the_case_page(org, investigating):
    base = f"/cases/{investigating.pk}/preservations/"
    handler, director = login(org.handler), login(org.director)
    assert "申请先行登记保存" in page(handler, f"/cases/{investigating.pk}/")
    r = handler.post(
        base, {"items[]": "涉案广告牌 1块 3米×6米\n支架 2副", "reason": "当事人正在拆除"}
    )
    assert r.status_code == 302, r.content.decode()[:500]
    item = Preservation.objects.get()
    assert item.items[1] == {"name": "支架", "quantity": "2副", "note": ""}
    assert "审批" in page(director, f"/cases/{investigating.pk}/")
    r = director.post(f"{base}{item.pk}/approve/", {"approved": "true", "opinion": "同意"})
    assert r.status_code == 302
    r = handler.post(f"{base}{item.pk}/carry-out/", {"on": "2025-03-03"})
    assert r.status_code == 302
    html = page(handler, f"/cases/{investigating.pk}/")
    assert "处理决定期限 2025-03-12" in html and "作出处理决定" in html
    r = handler.post(
        f"{base}{item.pk}/decide/",
        {"disposition": "release", "note": "退还"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 204 and r["HX-Refresh"] == "true"
    assert Preservation.objects.get().status == "decided"
    assert "解除先行登记保存，退还当事人" in page(director, f"/cases/{investigating.pk}/")


def test_a_refused_request_comes_back_through_htmx_with_what_was_typed(org, investigating):
    r = login(org.handler).post(
        f"/cases/{investigating.pk}/preservations/",
        {"items[]": "广告牌", "reason": "证据可能灭失"},
        HTTP_HX_REQUEST="true",
    )
    html = r.content.decode()
    assert r.status_code == 200 and html.startswith(
        '<section class="fold-body" id="preservations">'
    )
    assert "第1项物品的数量：此项不能为空" in html and "广告牌</textarea>" in html
    assert not Preservation.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "sysadmin"])
def test_a_colleague_of_another_unit_or_an_outsider_gets_404(org, investigating, who):
    r = login(getattr(org, who)).post(
        f"/cases/{investigating.pk}/preservations/", {"items[]": "广告牌 1块", "reason": "x"}
    )
    assert r.status_code == 404 and not Preservation.objects.exists()
