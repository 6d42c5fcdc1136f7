"""The calendar cliff (issue 15 item 11): a working-day limit started in late December reaches a
year whose holiday arrangement must be loaded first. The 2027 tables below are TEST DATA, made
up for these tests; they are not the State Council's schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import SHANGHAI
from deadlines.models import CalendarDay, CalendarYear
from deadlines.selectors import calendar_cliff_now
from deadlines.services import calendar_load, calendar_warn
from ledger.models import Entry
from outbox.models import OutboxMessage
from zhifa import clock

pytestmark = pytest.mark.django_db

TEST_2027 = (
    "date,kind,name\n# 测试数据，非国务院通知\n"
    "2027-01-01,holiday,测试元旦\n2027-02-06,workday,测试调休\n"
)


def _today(day: dt.date) -> None:
    clock.set_now(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI))


def test_the_cliff_shows_from_sixty_days_before_the_unloaded_year(org, settings):
    assert settings.CALENDAR_WARN_DAYS == 60
    _today(dt.date(2026, 11, 1))
    assert calendar_cliff_now() is None
    _today(dt.date(2026, 11, 2))
    cliff = calendar_cliff_now()
    assert cliff is not None and cliff.year == 2027
    assert "2027年的节假日安排尚未载入" in cliff.message


def test_the_lead_time_is_a_setting(org, settings):
    settings.CALENDAR_WARN_DAYS = 20
    _today(dt.date(2026, 12, 11))
    assert calendar_cliff_now() is None
    _today(dt.date(2026, 12, 12))
    assert calendar_cliff_now() is not None


def test_loading_the_year_removes_the_cliff_and_is_recorded_with_who_loaded_it(org):
    _today(dt.date(2026, 12, 2))
    assert calendar_load(text=TEST_2027, year=2027, actor=org.sysadmin) == [2027]
    assert calendar_cliff_now() is None
    assert CalendarDay.objects.get(day=dt.date(2027, 2, 6)).name == "测试调休"
    entry = Entry.objects.get(stream="calendar", action="calendar_load")
    assert entry.actor_id == org.sysadmin.pk
    assert entry.role == "sys_admin"
    assert entry.payload == {
        "years": [2027],
        "holidays": ["2027-01-01"],
        "workdays": ["2027-02-06"],
    }


def test_a_date_outside_the_year_being_loaded_changes_nothing(org):
    text = TEST_2027 + "2028-01-01,holiday,测试元旦\n"
    with pytest.raises(ValueError, match="第5行：2028-01-01不在2027年内"):
        calendar_load(text=text, year=2027, actor=org.sysadmin)
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()
    assert not Entry.objects.filter(stream="calendar").exists()


def test_a_year_the_library_carries_cannot_be_replaced_by_a_table(org):
    with pytest.raises(ValueError, match="2026年的节假日安排已随系统提供"):
        calendar_load(text="date,kind,name\n2026-12-31,holiday,测试\n")
    assert not CalendarYear.objects.exists()


def test_the_command_takes_the_year_to_check_against(org, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(TEST_2027 + "2028-01-01,holiday,测试\n", encoding="utf-8")
    with pytest.raises(CommandError, match="不在2027年内"):
        call_command("calendar_load", str(table), "--year", "2027")
    call_command("calendar_load", str(table))
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {2027, 2028}
    assert Entry.objects.get(stream="calendar").actor_name == "系统"


def test_the_worker_warns_administrators_and_supervisors_by_sms_once(org):
    for user in (org.sysadmin, org.supervisor, org.county_supervisor, org.handler):
        user.phone = f"1390000000{user.pk % 10}"
        user.save()
    _today(dt.date(2026, 11, 1))
    assert calendar_warn() is None
    _today(dt.date(2026, 12, 2))
    assert calendar_warn() == "2027年节假日安排未载入，已短信提醒 3 人"
    sms = OutboxMessage.objects.filter(kind="calendar_cliff")
    assert sorted(sms.values_list("recipient", flat=True)) == sorted(
        u.phone for u in (org.sysadmin, org.supervisor, org.county_supervisor)
    )
    assert all("2027年的节假日安排尚未载入" in m.body for m in sms)
    assert calendar_warn() is None
    assert sms.count() == 3
    assert Entry.objects.filter(stream="calendar", action="calendar_cliff_warned").count() == 1
    calendar_load(text=TEST_2027, year=2027, actor=org.sysadmin)
    assert calendar_warn() is None


def test_the_warning_skips_people_without_a_phone_or_inactive_and_reaches_a_newcomer(org):
    org.county_supervisor.phone = "13900000001"
    org.county_supervisor.save()
    org.supervisor.phone = "13900000002"
    org.supervisor.is_active = False
    org.supervisor.save()
    assert org.sysadmin.phone == "" and org.sysadmin.pk > org.county_supervisor.pk
    _today(dt.date(2026, 12, 2))
    assert calendar_warn() == "2027年节假日安排未载入，已短信提醒 1 人"
    sms = OutboxMessage.objects.get(kind="calendar_cliff")
    assert (sms.recipient, sms.stream) == ("13900000001", "calendar")
    entry = Entry.objects.get(stream="calendar", action="calendar_cliff_warned")
    assert entry.payload == {"year": 2027, "recipients": 1}
    # An administrator who gets a phone later is told on the next run (after one already told).
    org.sysadmin.phone = "13900000003"
    org.sysadmin.save()
    assert calendar_warn() == "2027年节假日安排未载入，已短信提醒 1 人"
    assert sorted(
        OutboxMessage.objects.filter(kind="calendar_cliff").values_list("recipient", flat=True)
    ) == ["13900000001", "13900000003"]
