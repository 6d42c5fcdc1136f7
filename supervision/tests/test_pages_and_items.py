from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]

from cases.models import Case
from conftest import PASSWORD
from exchange.export import dump
from exchange.load import import_lines
from jobs.services import jobs_due
from ledger.models import Entry
from orgs.services import regions_ensure
from procedure.testing import assert_refused
from supervision import services
from supervision.models import Item
from supervision.tests.records import PERSON, case, decision, fine, known_2022, party
from zhifa import clock


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    import_lines(dump(known_2022()).splitlines())
    return org


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def late_case(unit: str, no: str) -> Case:
    import_lines(
        dump(
            [
                case(
                    unit,
                    no,
                    "2022-01-01",
                    None,
                    [
                        party(
                            "person",
                            "甲",
                            PERSON,
                            decision(f"{no}-1", "2022-04-02", [fine("100.00")]),
                        )
                    ],
                )
            ]
        ).splitlines()
    )
    return Case.objects.get(case_no=no)


def test_the_dashboard_shows_the_supervisors_subtree_with_drill_down_links(city):
    page = login(city.supervisor).get("/supervision/?year=2022")
    assert page.status_code == 200
    html = page.content.decode()
    assert "聊城市城市管理局" in html and "东昌府区市场监督管理局" in html
    assert "vendor/chart-4.6.1.umd.min.js" in html and "cdn" not in html.lower()
    assert f"kind=filed&unit={city.cgj.pk}&from=2022-01-01&to=2022-12-31" in html
    drill = login(city.supervisor).get(
        f"/supervision/cases/?kind=filed&unit={city.cgj.pk}&year=2022"
    )
    rows = drill.content.decode()
    assert drill.status_code == 200
    assert [n for n in ("A", "E") if f">{n}</a>" in rows] == ["A", "E"]
    assert f"/cases/{Case.objects.get(case_no='A').pk}/" in rows


def test_a_county_supervisor_sees_its_county_only(city):
    client = login(city.county_supervisor)
    html = client.get("/supervision/?year=2022").content.decode()
    assert "东昌府区市场监督管理局" in html and "聊城市城市管理局" not in html
    assert (
        client.get(f"/supervision/cases/?kind=filed&unit={city.cgj.pk}&year=2022").status_code
        == 404
    )


@pytest.mark.parametrize(
    "url",
    [
        "/supervision/",
        "/supervision/cases/?kind=filed",
        "/supervision/stats/",
    ],
)
def test_supervisor_pages_are_404_for_officers_and_send_anonymous_visitors_to_login(city, url):
    assert login(city.handler).get(url).status_code == 404
    assert login(city.sysadmin).get(url).status_code == 404
    r = Client().get(url)
    assert r.status_code == 302 and "/login" in r["Location"]


def test_the_stats_page_prints_the_form_and_downloads_it_as_xlsx(city):
    client = login(city.supervisor)
    html = client.get("/supervision/stats/?form=penalty&year=2022").content.decode()
    assert "聊城市2022年行政处罚情况统计表" in html and "10.640049" in html
    # A year is longer than STATS_INLINE_MAX_DAYS: the file is built by the worker.
    queued = client.post(
        "/supervision/stats/export/",
        {"form": "coercion", "from": "2022-01-01", "to": "2022-12-31", "format": "xlsx"},
    )
    assert queued.status_code == 302
    jobs_due()
    r = client.get(queued["Location"] + "file")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "聊城市2022年行政强制情况统计表" and ws["O13"].value == 7


def test_a_unit_chief_reports_its_own_figures_through_the_form(city):
    client = login(city.chief)
    ok = client.post(
        "/supervision/reports/new/",
        {
            "form": "permit",
            "unit": city.cgj.pk,
            "year": "2022",
            "accepted": "5",
            "granted": "4",
            "refused": "1",
            "revoked": "0",
        },
    )
    assert ok.status_code == 302
    bad = client.post(
        "/supervision/reports/new/",
        {
            "form": "permit",
            "unit": city.cgj.pk,
            "year": "2022",
            "accepted": "5",
            "granted": "5",
            "refused": "1",
            "revoked": "0",
        },
    )
    assert bad.status_code == 400 and "不能大于受理数量" in bad.content.decode()
    assert login(city.handler).get("/supervision/reports/new/").status_code == 404


def test_an_item_goes_from_raised_to_sent_answered_sent_back_and_closed(city):
    late = late_case("cgj", "LATE")
    services.supervision_scan()
    item = Item.objects.get(case=late, rule="decided_late")
    services.item_send(actor=city.supervisor, item_id=item.pk, kind="supervise")
    item.refresh_from_db()
    assert item.status == "sent" and item.due_on == dt.date(2025, 4, 2)  # 30 days
    assert_refused(
        lambda: services.item_answer(actor=city.handler, item_id=item.pk, answer="已整改"),
        "只有被监督单位的业务科长或分管局长可以答复",
    )
    assert_refused(
        lambda: services.item_close(actor=city.supervisor, item_id=item.pk),
        "已下发待答复或已办结，不能办结",
    )
    services.item_answer(actor=city.chief, item_id=item.pk, answer="已组织学习")
    services.item_send(actor=city.supervisor, item_id=item.pk, kind="supervise", note="整改不到位")
    services.item_answer(actor=city.director, item_id=item.pk, answer="已重新整改")
    services.item_close(actor=city.supervisor, item_id=item.pk)
    item.refresh_from_db()
    assert item.status == "closed"
    actions = list(
        Entry.objects.filter(stream=item.stream).order_by("seq").values_list("action", "role")
    )
    assert actions == [
        ("item_raise", "system"),
        ("item_send", "supervisor"),
        ("item_answer", "section_chief"),
        ("item_send_back", "supervisor"),
        ("item_answer", "deputy_director"),
        ("item_close", "supervisor"),
    ]


def test_an_item_is_read_by_its_unit_once_sent_and_404_for_everyone_else(city):
    late = late_case("cgj", "LATE")
    services.supervision_scan()
    item = Item.objects.get(case=late, rule="decided_late")
    url = f"/supervision/items/{item.pk}/"
    assert login(city.supervisor).get(url).status_code == 200
    assert login(city.chief).get(url).status_code == 404  # not sent yet
    services.item_send(actor=city.supervisor, item_id=item.pk, kind="notice")
    assert login(city.chief).get(url).status_code == 200
    assert login(city.handler).get(url).status_code == 200
    assert login(city.other_officer).get(url).status_code == 404
    assert login(city.county_supervisor).get(url).status_code == 404
    assert login(city.county_officer).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    r = login(city.other_officer).post(f"{url}answer/", {"answer": "x"})
    assert r.status_code == 404
    r = login(city.chief).post(f"{url}answer/", {"answer": "已整改"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "answered"
    assert_refused(
        lambda: services.item_send(actor=city.county_supervisor, item_id=item.pk, kind="notice"),
        "无权处理该监督事项",
    )


def test_the_item_page_states_the_default_correction_period_the_service_applies(city):
    late = late_case("cgj", "LATE")
    services.supervision_scan()
    item = Item.objects.get(case=late, rule="decided_late")
    page = login(city.supervisor).get(f"/supervision/items/{item.pk}/").content.decode()
    assert f"（缺省为{services.CORRECTION_DAYS}日）" in page
    services.item_send(actor=city.supervisor, item_id=item.pk, kind="notice")
    item.refresh_from_db()
    assert item.due_on == clock.today() + dt.timedelta(days=services.CORRECTION_DAYS)


def test_a_supervisor_raises_an_item_by_hand_within_its_subtree_only(city):
    a = Case.objects.get(case_no="A")
    item = services.item_raise(
        actor=city.supervisor, case=a, title="证据不足", detail="缺少现场照片"
    )
    assert item.rule == "" and item.unit == city.cgj
    assert_refused(
        lambda: services.item_raise(actor=city.county_supervisor, case=a, title="x", detail=""),
        "只能对本级及下级单位的案件提出监督事项",
    )
