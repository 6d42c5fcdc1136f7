"""The 强制执行 section of the case page: a form per step, refusals by reason, scope."""

from __future__ import annotations

import datetime as dt

import pytest

from enforcement.models import EnforcementRecord
from enforcement.tests.test_services import at, decided, fined_and_ordered
from ledger.models import Entry
from web.tests.test_workspace import login, page

pytestmark = pytest.mark.django_db

NOTICE = {
    "party": "0",
    "decision": "issue",
    "obligation": "money",
    "term_ends": "2025-09-30",
    "manner": "到指定银行缴纳罚款",
    "amount": "5000.00",
    "rights_told": "true",
}
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_case_page_loads_the_section_and_a_get_writes_nothing(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    handler = login(org.handler)
    assert f"/cases/{case.pk}/enforcement/" in page(handler, f"/cases/{case.pk}/")
    before = Entry.objects.count()
    html = handler.get(f"/cases/{case.pk}/enforcement/", **HTMX).content.decode()
    assert html.startswith('<section class="fold-body" id="enforcement">')
    assert "制作催告书（第三十五条）" in html
    assert Entry.objects.count() == before


def test_the_handler_issues_and_serves_a_notice_on_the_page(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    handler = login(org.handler)
    r = handler.post(f"/cases/{case.pk}/enforcement/open/", NOTICE)
    assert r.status_code == 302
    record = EnforcementRecord.objects.get()
    r = handler.post(
        f"/cases/{case.pk}/enforcement/{record.pk}/",
        {"decision": "serve", "served_on": "2025-09-29"},
        **HTMX,
    )
    assert r.status_code == 200 and 'data-step="en_statement"' in r.content.decode()


def test_a_refused_form_shows_the_reason_beside_its_field_and_changes_nothing(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    handler = login(org.handler)
    before = Entry.objects.count()
    r = handler.post(
        f"/cases/{case.pk}/enforcement/open/",
        {**NOTICE, "rights_told": "", "term_ends": "x"},
        **HTMX,
    )
    html = r.content.decode()  # htmx swaps 2xx only: the section comes back with the reasons
    assert r.status_code == 200 and "无法识别" in html and 'class="errorlist"' in html
    r = handler.post(f"/cases/{case.pk}/enforcement/open/", {**NOTICE, "rights_told": ""})
    assert r.status_code == 422 and "第三十五条第四项" in r.content.decode()
    assert Entry.objects.count() == before and not EnforcementRecord.objects.exists()


def test_another_agency_gets_404_on_the_page_and_its_posts(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    login(org.handler).post(f"/cases/{case.pk}/enforcement/open/", NOTICE)
    record = EnforcementRecord.objects.get()
    for outsider in (org.other_officer, org.county_officer):
        client = login(outsider)
        assert client.get(f"/cases/{case.pk}/enforcement/").status_code == 404
        r = client.post(
            f"/cases/{case.pk}/enforcement/{record.pk}/",
            {"decision": "serve", "served_on": "2025-09-29"},
        )
        assert r.status_code == 404
    assert EnforcementRecord.objects.get().step == "en_notice_serve"


def test_the_todo_lists_the_unpaid_decisions_for_the_handler_and_the_steps_for_the_chief(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    handler = login(org.handler)
    html = page(handler, "/")
    assert "逾期未缴纳罚款" in html and f"/cases/{case.pk}/enforcement/" in html
    assert "逾期未缴纳罚款" not in page(login(org.other_officer), "/")
    handler.post(f"/cases/{case.pk}/enforcement/open/", NOTICE)
    record = EnforcementRecord.objects.get()
    handler.post(
        f"/cases/{case.pk}/enforcement/{record.pk}/",
        {"decision": "serve", "served_on": "2025-09-29"},
    )
    handler.post(
        f"/cases/{case.pk}/enforcement/{record.pk}/", {"decision": "record", "no_statement": "true"}
    )
    assert "陈述申辩复核" in page(login(org.chief), "/")
    assert "陈述申辩复核" not in page(handler, "/")


def test_the_handler_records_an_instalment_paid_on_the_page_refused_by_field_first(org):
    from decimal import Decimal

    from cases.models import Decision
    from enforcement import selectors
    from enforcement.tests.test_services import planned

    case = decided(org)
    first = planned(org, case)
    at(first)
    handler = login(org.handler)
    url = f"/cases/{case.pk}/enforcement/instalments/"
    html = handler.get(f"/cases/{case.pk}/enforcement/", **HTMX).content.decode()
    assert "登记分期缴款" in html and "第1期（" in html and "2000.00" in html
    before = Entry.objects.count()
    tomorrow = (first + dt.timedelta(days=1)).isoformat()
    bad = {"party": "0", "instalment": "1", "amount": "0", "paid_on": tomorrow}
    r = handler.post(url, bad, **HTMX)
    text = r.content.decode()
    assert "缴款金额须大于零" in text and "缴款日期不能晚于今天" in text
    assert Entry.objects.count() == before
    over = {**bad, "amount": "2000.01", "paid_on": first.isoformat()}
    assert "不能超过第1期应缴的2000.00元" in handler.post(url, over, **HTMX).content.decode()
    assert Entry.objects.count() == before
    ok = {**over, "amount": "2000.00"}
    r = handler.post(url, ok, **HTMX)
    assert r.status_code == 200
    assert f"{first.isoformat()}已缴纳" in r.content.decode()
    rows = selectors.case_deferrals(case)[0]["rows"]
    assert rows[0]["paid_on"] == first and rows[0]["amount"] == Decimal("2000.00")
    deferral = selectors.deferral_of(Decision.objects.get(case=case))
    assert deferral is not None and deferral.schedule[0]["paid_amount"] == "2000.00"


def test_only_the_cases_officers_see_the_instalment_form_and_another_unit_gets_404(org):
    from enforcement.tests.test_services import planned

    case = decided(org)
    first = planned(org, case)
    at(first)
    section = f"/cases/{case.pk}/enforcement/"
    chief = login(org.chief).get(section, **HTMX).content.decode()
    assert "延期（分期）缴纳罚款" in chief and "登记分期缴款" not in chief
    data = {"party": "0", "instalment": "1", "amount": "2000", "paid_on": first.isoformat()}
    before = Entry.objects.count()
    r = login(org.chief).post(f"/cases/{case.pk}/enforcement/instalments/", data, **HTMX)
    assert "只有本案承办人员可以登记分期缴款" in r.content.decode()
    outsider = login(org.other_officer)
    assert outsider.post(f"/cases/{case.pk}/enforcement/instalments/", data).status_code == 404
    assert Entry.objects.count() == before


def test_the_page_opens_the_demolition_beside_the_fine_and_heads_each_by_its_obligation(org):
    case = fined_and_ordered(org)
    at(dt.date(2025, 9, 29))
    handler = login(org.handler)
    html = handler.get(f"/cases/{case.pk}/enforcement/", **HTMX).content.decode()
    assert '<select name="obligation">' in html and 'name="act"' in html
    r = handler.post(f"/cases/{case.pk}/enforcement/open/", NOTICE, **HTMX)
    html = r.content.decode()
    # The fine's 催告 is open; the decision still offers its demolition.
    assert r.status_code == 200 and "金钱给付义务（罚款、加处罚款等）" in html
    assert "制作催告书（第三十五条）" in html
    demolish = {
        **NOTICE,
        "obligation": "performance",
        "manner": "自行拆除",
        "amount": "",
        "act": "拆除违法建设的二层彩钢房",
    }
    r = handler.post(f"/cases/{case.pk}/enforcement/open/", demolish, **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and "排除妨碍、恢复原状等行为义务" in html
    assert "制作催告书（第三十五条）" not in html  # both obligations are under way
    assert sorted(EnforcementRecord.objects.values_list("obligation", flat=True)) == [
        "money",
        "performance",
    ]


def test_a_demolition_notice_on_a_fine_only_decision_is_refused_on_the_page(org):
    case = decided(org)
    at(dt.date(2025, 9, 29))
    handler = login(org.handler)
    before = Entry.objects.count()
    demolish = {**NOTICE, "obligation": "performance", "amount": "", "act": "拆除"}
    r = handler.post(f"/cases/{case.pk}/enforcement/open/", demolish)
    assert r.status_code == 422
    assert "处罚决定没有责令当事人履行的行为义务" in r.content.decode()
    assert Entry.objects.count() == before and not EnforcementRecord.objects.exists()
