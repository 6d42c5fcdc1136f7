"""The 回避 section of the case page: recorded by an officer, decided by the head, scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from cases.models import Case, Recusal
from cases.tests.flow import advance, register
from conftest import PASSWORD
from demo.testing import certified_person
from procedure.roles import Role
from web.tests.test_workspace import login, page

pytestmark = pytest.mark.django_db

APPLY = {"officer": "cohandler", "source": "party", "reason": "当事人称协办人系其亲属"}


@pytest.fixture
def investigating(org):
    return advance(org, register(org), until="investigation")


def test_the_handler_records_an_application_and_the_head_grants_it_from_the_case_page(
    org, investigating
):
    certified_person("spare", org.cgj, Role.HANDLER, password_hash=make_password(PASSWORD))
    handler = login(org.handler)
    html = page(handler, f"/cases/{investigating.pk}/")
    assert "回避" in html and "登记回避" in html and "作出决定" not in html
    r = handler.post(f"/cases/{investigating.pk}/recusals/", APPLY)
    assert (
        r.status_code == 302
        and r["Location"] == f"/cases/{investigating.pk}/?open=recusals#recusals"
    )
    recusal = Recusal.objects.get()
    director = login(org.director)
    html = page(director, f"/cases/{investigating.pk}/")
    assert "待负责人决定" in html and "作出决定" in html and 'value="spare"' in html
    r = director.post(
        f"/cases/{investigating.pk}/recusals/{recusal.pk}/decide/",
        {"granted": "true", "replacement": "spare", "reason": "系近亲属，应当回避"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 204 and r["HX-Refresh"] == "true"
    assert Case.objects.get(pk=investigating.pk).co_handler.username == "spare"
    html = page(director, f"/cases/{investigating.pk}/")
    assert "决定回避" in html and "由 spare 接替" in html


def test_a_refused_decision_comes_back_through_htmx_with_its_errors_by_field(org, investigating):
    login(org.handler).post(f"/cases/{investigating.pk}/recusals/", APPLY)
    recusal = Recusal.objects.get()
    r = login(org.director).post(
        f"/cases/{investigating.pk}/recusals/{recusal.pk}/decide/",
        {"granted": "true", "reason": "应当回避"},
        HTTP_HX_REQUEST="true",
    )
    html = r.content.decode()
    assert r.status_code == 200 and html.startswith('<section class="fold-body" id="recusals">')
    assert "请指定本单位的执法人员接替" in html and 'value="应当回避"' in html
    assert Recusal.objects.get().granted is None


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "sysadmin"])
def test_a_colleague_of_another_unit_or_an_outsider_gets_404(org, investigating, who):
    client = login(getattr(org, who))
    r = client.post(f"/cases/{investigating.pk}/recusals/", APPLY)
    assert r.status_code == 404 and not Recusal.objects.exists()


def test_the_supervisor_sees_the_section_without_forms(org, investigating):
    html = page(login(org.supervisor), f"/cases/{investigating.pk}/")
    assert "未申请回避" in html and "登记回避" not in html
