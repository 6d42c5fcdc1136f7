"""The 复议诉讼 section of the case page: who sees the forms, per-field errors, scope."""

from __future__ import annotations

import pytest

from cases.models import Review
from cases.tests.flow import advance, register
from conftest import move
from web.tests.test_workspace import login, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(org):
    return advance(org, register(org), until="execution")


def test_the_legal_reviewer_files_a_reconsideration_from_the_case_page(org, decided):
    client = login(org.legal)
    html = page(client, f"/cases/{decided.pk}/")
    assert "复议诉讼" in html and "登记申请（起诉）" in html
    move(days=70)
    r = client.post(
        f"/cases/{decided.pk}/reviews/",
        {
            "party": "0",
            "kind": "reconsideration",
            "filed_on": "2025-05-12",
            "organ": "聊城市人民政府",
        },
    )
    assert r.status_code == 302 and r["Location"] == f"/cases/{decided.pk}/?open=reviews#reviews"
    html = page(client, f"/cases/{decided.pk}/")
    assert "超过申请期限" in html and "登记复议诉讼" in html and "登记结果" in html


def test_a_refused_form_comes_back_through_htmx_with_each_error_by_its_field(org, decided):
    client = login(org.chief)
    r = client.post(
        f"/cases/{decided.pk}/reviews/",
        {"party": "0", "kind": "reconsideration", "filed_on": "2025-03-04", "organ": ""},
        HTTP_HX_REQUEST="true",
    )
    html = r.content.decode()
    assert r.status_code == 200 and html.startswith('<section class="fold-body" id="reviews">')
    assert "此项必填" in html  # organ, by the schema
    r = client.post(
        f"/cases/{decided.pk}/reviews/",
        {"party": "0", "kind": "reconsideration", "filed_on": "2025-03-04", "organ": "市政府"},
        HTTP_HX_REQUEST="true",
    )
    assert "申请（起诉）日期不能晚于今天" in r.content.decode()
    assert 'value="2025-03-04"' in r.content.decode()  # what was typed stays
    assert not Review.objects.exists()


def test_a_recorded_review_through_htmx_reloads_the_page(org, decided):
    r = login(org.handler).post(
        f"/cases/{decided.pk}/reviews/",
        {"party": "0", "kind": "litigation", "filed_on": "2025-03-03", "organ": "东昌府区人民法院"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 204 and r["HX-Refresh"] == "true"
    assert Review.objects.get().kind == "litigation"


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "sysadmin"])
def test_a_colleague_of_another_unit_or_an_outsider_gets_404(org, decided, who):
    client = login(getattr(org, who))
    page(client, f"/cases/{decided.pk}/", 404)
    r = client.post(
        f"/cases/{decided.pk}/reviews/",
        {"party": "0", "kind": "litigation", "filed_on": "2025-03-03", "organ": "法院"},
    )
    assert r.status_code == 404 and not Review.objects.exists()


def test_the_supervisor_sees_the_section_without_forms_and_cannot_record(org, decided):
    client = login(org.supervisor)
    html = page(client, f"/cases/{decided.pk}/")
    assert "复议诉讼" in html and "登记申请（起诉）" not in html
    r = client.post(
        f"/cases/{decided.pk}/reviews/",
        {"party": "0", "kind": "litigation", "filed_on": "2025-03-03", "organ": "法院"},
    )
    assert "只能登记本单位案件的复议诉讼情况" in r.content.decode()
    assert not Review.objects.exists()
