"""The 系统管理员 loads a year of the State Council's 放假安排 on a page (issue 15 item 11). The
2027 dates below are TEST DATA made up for these tests, not the State Council's schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from conftest import PASSWORD, SHANGHAI
from deadlines.models import CalendarDay, CalendarYear
from ledger.models import Entry
from zhifa import clock

pytestmark = pytest.mark.django_db

FORM = {
    "year": "2027",
    "holidays": "2027-01-01 至 2027-01-03 测试元旦\n2027-02-10 测试节",
    "workdays": "2027-01-09 测试调休",  # a Saturday
}


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _today(day: dt.date) -> None:
    clock.set_now(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI))


def test_the_administrator_sees_the_cliff_and_loads_the_year_after_a_preview(org):
    _today(dt.date(2026, 12, 2))
    client = _client(org.sysadmin)
    page = client.get("/").content.decode()
    assert "2027年的节假日安排尚未载入" in page
    assert 'href="/calendar/"' in page
    r = client.post("/calendar/", {**FORM, "action": "preview"})
    body = r.content.decode()
    assert "预览：2027年 放假4天，调休上班1天" in body
    assert '2027-01-09</td><td data-label="星期">星期六' in body
    assert not CalendarYear.objects.exists()
    r = client.post("/calendar/", {**FORM, "action": "load"}, follow=True)
    assert "已载入2027年的节假日安排" in r.content.decode()
    assert "尚未载入" not in r.content.decode()
    assert sorted(CalendarDay.objects.filter(working=False).values_list("day", flat=True)) == [
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 2),
        dt.date(2027, 1, 3),
        dt.date(2027, 2, 10),
    ]
    assert Entry.objects.get(stream="calendar").actor_id == org.sysadmin.pk


def test_a_working_weekday_and_a_date_of_another_year_are_refused_and_nothing_loads(org):
    client = _client(org.sysadmin)
    form = {
        **FORM,
        "holidays": FORM["holidays"] + "\n2028-01-01 测试元旦",
        "workdays": "2027-01-11 测试调休",  # a Monday
        "action": "load",
    }
    body = client.post("/calendar/", form).content.decode()
    assert "未载入" in body
    assert "2027-01-11是星期一，本来就是工作日" in body
    assert "2028-01-01不在2027年内" in body
    assert not CalendarYear.objects.exists()
    assert not Entry.objects.filter(stream="calendar").exists()


def test_the_csv_of_calendar_load_can_be_pasted_instead(org):
    client = _client(org.sysadmin)
    table = "date,kind,name\n2027-01-01,holiday,测试元旦\n"
    r = client.post("/calendar/", {"year": "2027", "table": table, "action": "load"})
    assert r.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()


def test_a_period_that_cannot_be_read_names_its_line(org):
    client = _client(org.sysadmin)
    form = {"year": "2027", "holidays": "2027-01-01 测试\n2027-02-03 至 2027-02-01 倒置"}
    body = client.post("/calendar/", {**form, "action": "preview"}).content.decode()
    assert "放假日期第2行：结束日期应在起始日期之后31天内" in body
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "handler", "director"])
def test_the_page_is_not_found_for_anyone_but_the_administrator(org, who):
    client = _client(getattr(org, who))
    assert client.get("/calendar/").status_code == 404
    r = client.post("/calendar/", {**FORM, "action": "load"})
    assert r.status_code == 404
    assert not CalendarYear.objects.exists()


def test_the_supervision_dashboard_warns_of_the_cliff(org):
    client = _client(org.supervisor)
    _today(dt.date(2026, 11, 1))
    assert "节假日安排即将不足" not in client.get("/supervision/").content.decode()
    _today(dt.date(2026, 11, 2))
    assert "2027年的节假日安排尚未载入" in client.get("/supervision/").content.decode()
