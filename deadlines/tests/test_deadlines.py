from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.tests.flow import act, advance, register
from conftest import move
from deadlines.models import Deadline
from deadlines.services import run_worker_once
from ledger.models import Entry
from ledger.services import ledger_verify
from procedure.testing import assert_refused


def _deadline(case, code: str) -> Deadline:
    return Deadline.objects.get(case=case, code=code)


@pytest.mark.django_db
def test_filing_starts_the_ninety_calendar_day_decision_limit(org):
    case = advance(org, register(org), until="investigation")
    d = _deadline(case, "decision_limit")
    assert (d.starts_on, d.due_on) == (dt.date(2025, 3, 3), dt.date(2025, 6, 1))
    assert d.citation == "《行政处罚法》第六十条"


@pytest.mark.django_db
def test_the_notice_starts_a_five_working_day_window_that_skips_the_weekend(org):
    case = advance(org, register(org), until="notice_response")
    d = _deadline(case, "hearing_request")
    assert d.due_on == dt.date(2025, 3, 10)  # Mon 3 Mar + 5 working days


@pytest.mark.django_db
def test_a_notice_before_national_day_counts_only_working_days(org):
    # 2024-09-27 (Fri): 29 Sep (Sun) is a 调休 working day, 1–7 Oct are holidays.
    from conftest import SHANGHAI
    from zhifa import clock

    clock.set_now(dt.datetime(2024, 9, 27, 9, 0, tzinfo=SHANGHAI))
    case = advance(org, register(org), until="notice_response")
    # Working days after 27 Sep: 29 Sep, 30 Sep, 8 Oct, 9 Oct, 10 Oct.
    assert _deadline(case, "hearing_request").due_on == dt.date(2024, 10, 10)


@pytest.mark.django_db
def test_decision_starts_seven_working_days_for_delivery_per_party(org):
    case = advance(org, register(org), until="delivery")
    d = _deadline(case, "delivery")
    assert d.party is not None and d.due_on == dt.date(2025, 3, 12)


@pytest.mark.django_db
def test_delivery_starts_the_fifteen_day_payment_limit(org):
    case = advance(org, register(org), until="execution")
    assert _deadline(case, "payment").due_on == dt.date(2025, 3, 18)
    assert _deadline(case, "delivery").status == Deadline.Status.MET


@pytest.mark.django_db
def test_a_working_day_limit_in_a_year_without_holiday_data_is_refused(org):
    from conftest import SHANGHAI
    from zhifa import clock

    clock.set_now(dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))
    case = advance(org, register(org), until="notice_issue")
    assert_refused(lambda: act(org, case, "notice_issue"), "2027年的节假日安排尚未载入")
    assert not Deadline.objects.filter(case=case, code="hearing_request").exists()


@pytest.mark.django_db
def test_an_administrator_table_extends_the_calendar(org, tmp_path):
    from conftest import SHANGHAI
    from zhifa import clock

    table = tmp_path / "2027.csv"
    table.write_text("date,kind,name\n2027-01-01,holiday,元旦\n", encoding="utf-8")
    call_command("calendar_load", str(table))
    clock.set_now(dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))
    case = advance(org, register(org), until="notice_response")
    # 29, 30, 31 Dec 2026, then 1 Jan 2027 is a holiday: 4 and 5 Jan 2027.
    assert _deadline(case, "hearing_request").due_on == dt.date(2027, 1, 5)


@pytest.mark.django_db
def test_a_malformed_holiday_table_is_rejected_with_its_line(tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("date,kind,name\n2027-13-01,holiday,元旦\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("calendar_load", str(table))
    assert str(info.value) == "第2行：日期“2027-13-01”无效，应为YYYY-MM-DD格式的真实日期"


@pytest.mark.django_db
def test_the_worker_marks_approaching_then_overdue_once_each(org):
    case = advance(org, register(org), until="investigation")
    assert run_worker_once() == {"approaching": 0, "overdue": 0}
    move(days=87)  # due 1 Jun; warned from 29 May
    assert run_worker_once() == {"approaching": 1, "overdue": 0}
    assert run_worker_once() == {"approaching": 0, "overdue": 0}
    move(days=4)
    assert run_worker_once() == {"approaching": 0, "overdue": 1}
    assert run_worker_once() == {"approaching": 0, "overdue": 0}
    actions = list(
        Entry.objects.filter(stream=case.stream, actor_id__isnull=True).values_list(
            "action", flat=True
        )
    )
    assert actions == ["deadline_approaching", "deadline_overdue"]
    assert ledger_verify() == []


@pytest.mark.django_db
def test_a_limit_met_on_time_is_never_flagged(org):
    case = advance(org, register(org), until="notice_response")
    act(org, case, "notice_response")
    move(days=30)
    run_worker_once()
    assert _deadline(case, "hearing_request").status == Deadline.Status.MET


@pytest.mark.django_db(transaction=True)
def test_several_workers_at_once_act_on_each_deadline_exactly_once(org):
    cases = [advance(org, register(org), until="investigation") for _ in range(6)]
    move(days=95)
    totals: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            totals.append(run_worker_once(batch=2))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(t["overdue"] for t in totals) == len(cases)
    assert Entry.objects.filter(action="deadline_overdue").count() == len(cases)
    assert ledger_verify() == []
