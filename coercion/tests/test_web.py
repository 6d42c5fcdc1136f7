"""The 行政强制措施 section of the case page: forms by role, per-field errors, scope."""

from __future__ import annotations

import pytest

from cases.tests.flow import register
from coercion.models import CoerciveMeasure
from web.tests.test_workspace import login, page

pytestmark = pytest.mark.django_db

PROPOSE = {
    "type": "seize",
    "basis": "《广告法》第四十九条第二款",
    "reason": "防止涉案广告牌被转移",
    "items.0.name": "户外广告牌",
    "items.0.quantity": "1块",
    "items.0.description": "6米×3米",
}


def on_site(org) -> dict:
    return {
        "officers[]": [str(org.handler.pk), str(org.co_handler.pk)],
        **{
            f: "true"
            for f in (
                "certificate_shown",
                "party_present",
                "party_notified",
                "told",
                "statements_heard",
                "record_made",
                "party_signed",
                "decision_delivered",
            )
        },
    }


def test_the_handler_proposes_the_head_approves_and_the_officers_carry_it_out_on_the_page(org):
    case = register(org)
    handler = login(org.handler)
    html = page(handler, f"/cases/{case.pk}/")
    assert "行政强制措施" in html and "申请采取查封、扣押、冻结" in html
    r = handler.post(f"/cases/{case.pk}/measures/propose/", PROPOSE)
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/?open=measures#measures"
    m = CoerciveMeasure.objects.get()
    director = login(org.director)
    html = page(director, f"/cases/{case.pk}/")
    assert "户外广告牌" in html and "审批意见" in html
    r = director.post(
        f"/cases/{case.pk}/measures/{m.pk}/decide/",
        {"decision": "approve", "opinion": "同意扣押"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 204 and r["HX-Refresh"] == "true"
    r = handler.post(f"/cases/{case.pk}/measures/{m.pk}/carry_out/", on_site(org))
    assert r.status_code == 302
    html = page(handler, f"/cases/{case.pk}/")
    assert "期限届满日 2025-04-02" in html and "剩余30日" in html
    assert "行政强制措施·实施" in html  # the record names the step


def test_a_refused_form_comes_back_through_htmx_with_errors_by_field_and_the_articles(org):
    case = register(org)
    handler = login(org.handler)
    r = handler.post(
        f"/cases/{case.pk}/measures/propose/",
        {"type": "seize", "reason": "", "items.0.name": "广告牌"},
        HTTP_HX_REQUEST="true",
    )
    html = r.content.decode()
    assert r.status_code == 200 and html.startswith('<section class="fold-body" id="measures">')
    assert "此项必填" in html and 'value="广告牌"' in html
    r = handler.post(
        f"/cases/{case.pk}/measures/emergency/",
        {**PROPOSE, "emergency_reason": "正在转移", "officers[]": [str(org.handler.pk)]},
        HTTP_HX_REQUEST="true",
    )
    html = r.content.decode()
    assert "第十八条第二项" in html and "第十八条第三项" in html
    assert not CoerciveMeasure.objects.exists()


def test_the_supervisor_sees_the_measures_without_forms(org):
    case = register(org)
    login(org.handler).post(f"/cases/{case.pk}/measures/propose/", PROPOSE)
    html = page(login(org.supervisor), f"/cases/{case.pk}/")
    assert "户外广告牌" in html and "申请采取查封" not in html and "审批意见" not in html


@pytest.mark.parametrize("who", ["other_officer", "county_officer", "sysadmin"])
def test_a_colleague_of_another_unit_or_an_outsider_gets_404(org, who):
    case = register(org)
    client = login(getattr(org, who))
    assert client.post(f"/cases/{case.pk}/measures/propose/", PROPOSE).status_code == 404
    assert not CoerciveMeasure.objects.exists()


def test_seized_items_are_sent_for_appraisal_and_come_back_on_the_page(org):
    from coercion.tests.test_services import in_force

    case = register(org)
    m = in_force(org, case)
    handler = login(org.handler)
    assert "送检（期间不计入期限）" in page(handler, f"/cases/{case.pk}/")
    url = f"/cases/{case.pk}/measures/{m.pk}/appraise/"
    r = handler.post(url, {"kind": "appraisal", "until": "2025-03-13"}, HTTP_HX_REQUEST="true")
    assert "须书面告知当事人" in r.content.decode()
    r = handler.post(
        url,
        {"kind": "appraisal", "until": "2025-03-13", "notice_in_writing": "true"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 204
    html = page(handler, f"/cases/{case.pk}/")
    assert "技术鉴定 2025-03-03起，预计2025-03-13完成" in html and "检测鉴定完成" in html
    r = handler.post(f"/cases/{case.pk}/measures/{m.pk}/appraised/", {"result": "系假冒产品"})
    assert r.status_code == 302
    assert "0日不计入期限（系假冒产品）" in page(handler, f"/cases/{case.pk}/")


def test_an_imported_measure_is_listed_with_its_day_and_without_forms(org):
    import datetime as dt

    case = register(org)
    CoerciveMeasure.objects.create(case=case, type="seal_up", on=dt.date(2024, 6, 1))
    html = page(login(org.handler), f"/cases/{case.pk}/")
    assert "查封场所、设施或者财物" in html and "实施日期 2024-06-01" in html
    assert "审批意见" not in html and "送检（期间不计入期限）" not in html
