"""The nightly export of supervision data to the province (监督条例 Art. 37 ¶2): the exchange
envelope, the window, determinism, the command and the worker's timer."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cases.models import Decision
from cases.tests.flow import advance, register
from conftest import SHANGHAI, move
from exchange.export import dump
from exchange.load import import_lines
from orgs.services import regions_ensure
from supervision import export, review_services, standards
from supervision.models import Item
from supervision.services import item_send, supervision_scan
from supervision.tests.records import PERSON, case, decision, fine, known_2022, party
from zhifa import clock


@pytest.fixture
def city(org: Any) -> Any:
    regions_ensure()
    late = party("person", "甲", PERSON, decision("LATE-1", "2022-04-02", [fine("100.00")]))
    import_lines(
        dump([*known_2022(), case("cgj", "LATE", "2022-01-01", None, [late])]).splitlines()
    )
    return org


def supervised(city: Any) -> None:
    """Items raised by the scan (one sent on), and a published round with a deduction."""
    supervision_scan()
    item = Item.objects.order_by("pk").first()
    item_send(actor=city.supervisor, item_id=item.pk, kind=Item.Kind.NOTICE)
    review = review_services.file_review_create(
        actor=city.supervisor,
        name="2022年度评查",
        method="random",
        per_unit=5,
        seed="x",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
    )
    std = standards.standard(review.standard)
    for e in review.cases.select_related("case"):
        scores = {i.code: i.points for i in std.items}
        reasons = {}
        if e.case.case_no == "A":
            scores["archive"], reasons["archive"] = 1, "卷内目录缺失"
        review_services.file_review_score(
            actor=city.supervisor, entry_id=e.pk, scores=scores, reasons=reasons
        )
    review_services.file_review_publish(actor=city.supervisor, review_id=review.pk)


def text(since: dt.date, until: dt.date) -> str:
    return "".join(export.export_lines(since=since, until=until))


def test_an_export_reads_back_to_the_same_bytes_and_twice_gives_the_same_bytes(city):
    supervised(city)
    today = clock.today()
    first = text(today, today)
    assert first == text(today, today)
    records = export.parse_lines(first.splitlines())
    assert "".join(export.dumps(r) + "\n" for r in records) == first
    schemas = [r["schema"] for r in records]
    assert schemas == sorted(
        schemas, key=[export.ITEM_SCHEMA, export.REVIEW_SCHEMA, export.CERTIFICATE_SCHEMA].index
    )
    assert set(schemas) == {export.ITEM_SCHEMA, export.REVIEW_SCHEMA, export.CERTIFICATE_SCHEMA}
    sent = next(r for r in records if r["schema"] == export.ITEM_SCHEMA and r["kind"])
    assert sent["status"] == "sent" and [h["action"] for h in sent["history"]] == [
        "item_raise",
        "item_send",
    ]
    (review,) = [r for r in records if r["schema"] == export.REVIEW_SCHEMA]
    a = next(f for f in review["files"] if f["case_no"] == "A")
    assert a["total"] == 97 and a["grade"] == "excellent"
    assert a["deductions"] == [{"item": "archive", "points": 3, "reason": "卷内目录缺失"}]
    assert review["published_on"] == today.isoformat()
    cgj = next(u for u in review["units"] if u["unit"]["code"] == "371500-CGJ")
    assert cgj["average"] == "98.50" and cgj["cases"] == 2
    certs = {r["unit"]["code"]: r for r in records if r["schema"] == export.CERTIFICATE_SCHEMA}
    assert certs["371500-CGJ"]["valid"] >= 1


def test_the_window_takes_what_moved_up_to_its_last_midnight_and_not_a_moment_after(city):
    from cases.models import Case
    from supervision.services import item_raise

    supervised(city)
    today = clock.today()
    tomorrow = today + dt.timedelta(days=1)
    late = Item.objects.filter(status=Item.Status.RAISED).order_by("pk").first()
    clock.set_now(dt.datetime(2025, 3, 3, 23, 59, 59, 999999, tzinfo=SHANGHAI))
    item_send(actor=city.supervisor, item_id=late.pk, kind=Item.Kind.SUPERVISE)
    clock.set_now(dt.datetime(2025, 3, 4, 0, 0, tzinfo=SHANGHAI))
    early = item_raise(
        actor=city.supervisor, case=Case.objects.get(case_no="A"), title="午夜提出", detail=""
    )

    def ids(day: dt.date) -> set[int]:
        records = export.parse_lines(text(day, day).splitlines())
        return {r["item_id"] for r in records if r["schema"] == export.ITEM_SCHEMA}

    assert late.pk in ids(today)
    assert late.pk not in ids(tomorrow)
    assert early.pk in ids(tomorrow)
    assert early.pk not in ids(today)
    day_after = ids(tomorrow + dt.timedelta(days=1))
    assert day_after == set()
    on_its_day = export.parse_lines(text(today, today).splitlines())
    assert any(r["schema"] == export.REVIEW_SCHEMA for r in on_its_day)
    assert not any(
        r["schema"] == export.REVIEW_SCHEMA
        for r in export.parse_lines(text(tomorrow, tomorrow).splitlines())
    )


def test_a_record_with_a_field_the_format_does_not_know_is_refused_by_name():
    line = export.dumps(
        {
            "schema": export.CERTIFICATE_SCHEMA,
            "unit": {},
            "on": "2025-01-01",
            "holders": 1,
            "valid": 1,
            "expired": 0,
            "revoked": 0,
            "extra": 1,
        }
    )
    with pytest.raises(ValueError, match="第1行：字段不符：extra"):
        export.parse_lines([line])
    with pytest.raises(ValueError, match="未知的记录类型"):
        export.parse_lines(['{"schema": "zhifa.case/9"}'])


def test_the_command_writes_the_file_and_refuses_a_reversed_window_writing_nothing(city, tmp_path):
    supervised(city)
    out = tmp_path / "p.jsonl"
    day = clock.today().isoformat()
    call_command(
        "export_supervision",
        "--since",
        day,
        "--until",
        day,
        "--out",
        str(out),
        stderr=io.StringIO(),
    )
    assert out.read_text(encoding="utf-8") == text(clock.today(), clock.today())
    bad = tmp_path / "bad.jsonl"
    with pytest.raises(CommandError, match="截止日期不能早于起始日期"):
        call_command(
            "export_supervision", "--since", day, "--until", "2020-01-01", "--out", str(bad)
        )
    with pytest.raises(CommandError, match="应为YYYY-MM-DD"):
        call_command("export_supervision", "--since", "2025-02-30", "--out", str(bad))
    with pytest.raises(CommandError, match="五年"):
        call_command(
            "export_supervision", "--since", "1900-01-01", "--until", day, "--out", str(bad)
        )
    assert not bad.exists()


def test_the_worker_writes_yesterday_every_night_and_rearms(city, tmp_path, settings):
    from deadlines.models import Timer
    from deadlines.services import run_timers_once

    settings.SUPERVISION_EXPORT_DIR = tmp_path / "exports"
    supervised(city)
    timer = export.export_schedule()
    assert timer.due_at == dt.datetime(2025, 3, 4, 3, tzinfo=SHANGHAI)
    assert run_timers_once()["fired"] == 0
    move(hours=18)
    assert run_timers_once()["fired"] == 1
    written = tmp_path / "exports" / "supervision-20250303.jsonl"
    assert written.read_text(encoding="utf-8") == text(dt.date(2025, 3, 3), dt.date(2025, 3, 3))
    assert export.REVIEW_SCHEMA in written.read_text(encoding="utf-8")
    timer = Timer.objects.get(pk=timer.pk)
    assert timer.status == "pending" and timer.due_at == dt.datetime(2025, 3, 5, 3, tzinfo=SHANGHAI)


def test_a_matter_sent_in_the_window_is_exported_with_its_instrument_and_reply_limit(city):
    from supervision.matters import matter_open, matter_send

    matter = matter_open(
        actor=city.supervisor,
        title="未按期办结投诉案件",
        facts="12345转办线索逾期未处理",
        source="complaint",
        unit=city.cgj,
        channel="12345",
        listed=True,
    )
    matter_send(
        actor=city.supervisor, matter_id=matter.pk, instrument="urge", demand="限期办理并报告"
    )
    today = clock.today()
    first = text(today, today)
    assert first == text(today, today)
    records = export.parse_lines(first.splitlines())
    (m,) = [r for r in records if r["schema"] == export.MATTER_SCHEMA]
    assert (m["unit"]["code"], m["matter_id"], m["instrument"]) == ("371500-CGJ", matter.pk, "urge")
    assert m["listed"] is True and m["channel"] == "12345" and m["status"] == "sent"
    assert m["sent_on"] == today.isoformat()
    assert m["reply_due_on"] == (today + dt.timedelta(days=30)).isoformat()
    assert [h["action"] for h in m["history"]][:2] == ["matter_open", "matter_send"]
    assert "".join(export.dumps(r) + "\n" for r in records) == first
    yesterday = today - dt.timedelta(days=1)
    assert export.MATTER_SCHEMA not in text(yesterday, yesterday)


def test_an_item_of_an_enforcement_rule_reads_back_and_an_unknown_rule_is_refused(city):
    handled = advance(city, register(city), "execution")
    due = Decision.objects.get(case=handled).payment_due
    assert due is not None
    clock.set_now(dt.datetime.combine(due + dt.timedelta(days=31), dt.time(10), SHANGHAI))
    supervision_scan()
    today = clock.today()
    records = export.parse_lines(text(today, today).splitlines())
    rules = {r["rule"] for r in records if r["schema"] == export.ITEM_SCHEMA}
    assert "enforcement_notice_late" in rules
    item = next(r for r in records if r.get("rule") == "enforcement_notice_late")
    with pytest.raises(ValueError, match="第1行：未知的监督规则“no_such_rule”"):
        export.parse_lines([export.dumps({**item, "rule": "no_such_rule"})])
