"""The worker's marks on the edges: a limit is approaching from its warn day (not the day before)
and overdue from the day after its due day (not on it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from cases.tests.flow import advance, register
from conftest import SHANGHAI
from deadlines.models import Deadline
from deadlines.services import run_worker_once
from ledger.models import Entry
from zhifa import clock

pytestmark = pytest.mark.django_db

# Filed Mon 2025-03-03: the ninety days of 第六十条 end on Sun 2025-06-01; warned 3 days before.
DUE = dt.date(2025, 6, 1)
WARN = dt.date(2025, 5, 29)
NOTHING = {"approaching": 0, "overdue": 0}


def on(day: dt.date) -> None:
    clock.set_now(dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI))


def decision_limit(case) -> Deadline:
    return Deadline.objects.get(case=case, code="decision_limit")


def marks(case) -> list[str]:
    return list(
        Entry.objects.filter(stream=case.stream, action__startswith="deadline_")
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def filed(org):
    case = advance(org, register(org), until="investigation")
    d = decision_limit(case)
    assert (d.due_on, d.warn_on) == (DUE, WARN)
    return case


def test_a_limit_is_not_warned_the_day_before_its_warn_day_and_is_on_it(filed):
    on(WARN - dt.timedelta(days=1))
    assert run_worker_once() == NOTHING
    assert decision_limit(filed).status == Deadline.Status.RUNNING
    on(WARN)
    assert run_worker_once() == {"approaching": 1, "overdue": 0}
    assert decision_limit(filed).status == Deadline.Status.APPROACHING


def test_an_approaching_limit_is_not_overdue_on_its_due_day_and_is_the_day_after(filed):
    on(WARN)
    run_worker_once()
    on(DUE)
    assert run_worker_once() == NOTHING
    assert decision_limit(filed).status == Deadline.Status.APPROACHING
    on(DUE + dt.timedelta(days=1))
    assert run_worker_once() == {"approaching": 0, "overdue": 1}
    assert decision_limit(filed).status == Deadline.Status.OVERDUE
    assert marks(filed) == ["deadline_approaching", "deadline_overdue"]


def test_a_limit_first_seen_on_its_due_day_is_approaching_not_overdue(filed):
    on(DUE)
    assert run_worker_once() == {"approaching": 1, "overdue": 0}
    assert decision_limit(filed).status == Deadline.Status.APPROACHING
    assert marks(filed) == ["deadline_approaching"]


def test_a_limit_first_seen_the_day_after_its_due_day_is_overdue_at_once(filed):
    on(DUE + dt.timedelta(days=1))
    assert run_worker_once() == {"approaching": 0, "overdue": 1}
    assert marks(filed) == ["deadline_overdue"]


def test_a_decision_issued_before_national_day_is_delivered_within_seven_working_days(org):
    # Fri 2024-09-27: Sun 29 Sep (worked), 30 Sep, 8–11 Oct, Sat 12 Oct (worked) is the 7th.
    clock.set_now(dt.datetime(2024, 9, 27, 9, 0, tzinfo=SHANGHAI))
    case = advance(org, register(org), until="delivery")
    d = Deadline.objects.get(case=case, code="delivery")
    assert (d.starts_on, d.due_on) == (dt.date(2024, 9, 27), dt.date(2024, 10, 12))
    assert d.citation == "《行政处罚法》第六十一条"


def test_a_holiday_table_error_names_its_line_counting_comments_and_blank_lines(tmp_path):
    table = tmp_path / "2027.csv"
    table.write_text(
        "\ufeff# 2027年节假日安排\n"
        "date,kind,name\n"
        "\n"
        "2027-01-01,holiday,元旦\n"
        "2027-13-01,holiday,不存在的日期\n"
        "2027-02-07,workday\n"
        "2027-03-03,workday,星期三\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as info:
        call_command("calendar_load", str(table))
    assert str(info.value).splitlines() == [
        "第5行：日期“2027-13-01”无效，应为YYYY-MM-DD格式的真实日期",
        "第7行：2027-03-03是星期三，本来就是工作日，不应列为调休上班日；请核对调休日期",
    ]


def test_a_holiday_table_with_a_wrong_header_or_row_width_names_the_line(tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("# comment\n日期,类型\n2027-01-01,holiday\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("calendar_load", str(table))
    assert str(info.value) == "第2行：表头应为“date,kind,name”，实际为“日期,类型”"
    table.write_text("date,kind,name\n2027-01-01,holiday,元旦,多余\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("calendar_load", str(table))
    assert str(info.value) == "第2行：应有2至3列（date,kind,name），实际为4列"
