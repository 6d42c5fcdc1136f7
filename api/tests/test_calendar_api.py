"""The holiday arrangement over /api/calendar/{year}, as the 系统管理员's page: what a year has
and the warning, a preview that loads nothing, a load recorded on the ledger, refusals by field
with nothing loaded, 404 to anyone else. The 2027 dates below are TEST DATA made up for these
tests, not the State Council's schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from api.tests.test_api_flow import ApiUser
from conftest import SHANGHAI
from deadlines.models import CalendarDay, CalendarYear
from ledger.models import Entry
from zhifa import clock

pytestmark = pytest.mark.django_db

BODY = {
    "holidays": [
        {"start": "2027-01-01", "end": "2027-01-03", "name": "测试元旦"},
        {"start": "2027-02-10", "name": "测试节"},
    ],
    "workdays": [{"day": "2027-01-09", "name": "测试调休"}],  # a Saturday
}


def _loaded() -> tuple[object, ...]:
    return (
        CalendarYear.objects.count(),
        CalendarDay.objects.count(),
        Entry.objects.filter(stream="calendar").count(),
    )


def test_the_administrator_reads_the_warning_previews_and_loads_a_year(org):
    clock.set_now(dt.datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI))
    admin = ApiUser(Client(), "sysadmin")
    year = admin.get("/api/calendar/2027").json()
    assert year["covered"] is False and year["shipped"] is False and year["days"] == []
    assert "2027年的节假日安排尚未载入" in year["warning"]
    assert admin.get("/api/calendar/2026").json()["shipped"] is True
    preview = admin.post("/api/calendar/2027", {**BODY, "preview": True})
    assert preview.status_code == 200, preview.content
    answer = preview.json()
    assert (answer["loaded"], answer["holidays"], answer["workdays"]) == (False, 4, 1)
    assert {"day": "2027-01-09", "weekday": "星期六", "working": True}.items() <= answer["days"][
        3
    ].items()
    assert _loaded() == (0, 0, 0)
    r = admin.post("/api/calendar/2027", BODY)
    assert r.status_code == 200 and r.json()["loaded"] is True
    assert sorted(CalendarDay.objects.filter(working=False).values_list("day", flat=True)) == [
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 2),
        dt.date(2027, 1, 3),
        dt.date(2027, 2, 10),
    ]
    assert Entry.objects.get(stream="calendar").actor_id == org.sysadmin.pk
    year = admin.get("/api/calendar/2027").json()
    assert year["covered"] is True and year["loaded_at"] and year["warning"] is None
    assert len(year["days"]) == 5


def test_the_csv_table_can_be_given_instead(org):
    admin = ApiUser(Client(), "sysadmin")
    table = "date,kind,name\n2027-01-01,holiday,测试元旦\n"
    r = admin.post("/api/calendar/2027", {"table": table})
    assert r.status_code == 200 and r.json()["holidays"] == 1
    assert CalendarYear.objects.filter(year=2027).exists()


def test_a_working_weekday_a_date_of_another_year_and_a_long_period_are_refused_by_field(org):
    admin = ApiUser(Client(), "sysadmin")
    body = {
        "holidays": [*BODY["holidays"], {"start": "2028-01-01", "name": "测试元旦"}],
        "workdays": [{"day": "2027-01-11", "name": "测试调休"}],  # a Monday
    }
    r = admin.post("/api/calendar/2027", body)
    assert r.status_code == 422
    reasons = " ".join(r.json()["fields"]["holidays"])
    assert "2027-01-11是星期一，本来就是工作日" in reasons and "2028-01-01不在2027年内" in reasons
    inverted = {"holidays": [{"start": "2027-02-03", "end": "2027-02-01", "name": "倒置"}]}
    r = admin.post("/api/calendar/2027", inverted)
    assert r.json()["fields"] == {"holidays": ["放假日期第1段：结束日期应在起始日期之后31天内"]}
    both = {**BODY, "table": "date,kind,name\n2027-01-01,holiday,x\n"}
    assert set(admin.post("/api/calendar/2027", both).json()["fields"]) == {"table"}
    assert set(admin.post("/api/calendar/2027", {}).json()["fields"]) == {"holidays"}
    r = admin.post("/api/calendar/2026", {"table": "date,kind,name\n2026-01-01,holiday,x\n"})
    assert "已随系统提供" in r.json()["fields"]["table"][0]
    assert admin.post("/api/calendar/1999", BODY).status_code == 422
    assert _loaded() == (0, 0, 0)


@pytest.mark.parametrize("who", ["supervisor", "handler", "director", "county-officer"])
def test_the_calendar_is_not_found_for_anyone_but_the_administrator(org, who):
    client = ApiUser(Client(), who)
    assert client.get("/api/calendar/2027").status_code == 404
    assert client.post("/api/calendar/2027", BODY).status_code == 404
    assert _loaded() == (0, 0, 0)


def test_an_outsider_gets_401_and_nothing_loads(org):
    r = Client().post("/api/calendar/2027", BODY, content_type="application/json")
    assert r.status_code == 401
    assert _loaded() == (0, 0, 0)


def test_the_openapi_document_lists_the_calendar_with_its_4xx_answers():
    doc = Client().get("/api/openapi.json").json()
    operations = doc["paths"]["/api/calendar/{year}"]
    assert {"401", "404", "422"} <= set(operations["get"]["responses"])
    assert {"401", "403", "404", "422"} <= set(operations["post"]["responses"])
