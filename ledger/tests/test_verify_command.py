"""`manage.py ledger verify` against rows altered by hand in SQL."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.tests.flow import advance, register
from ledger.models import Entry
from ledger.services import ledger_checkpoint
from ledger.testing import ledger_maintenance

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(org):
    a = advance(org, register(org), until="investigation")
    b = advance(org, register(org), until="filing_review")
    return a, b


def _sql(statement: str, *params) -> None:
    """Tamper as the database's owner would: with the append-only triggers lifted."""
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify() -> str:
    with pytest.raises(CommandError) as info:
        call_command("ledger", "verify")
    return str(info.value)


def test_verify_passes_on_an_intact_database(two_cases, capsys):
    call_command("ledger", "verify")
    assert "全过程记录完整" in capsys.readouterr().out


def test_verify_names_the_entry_whose_payload_was_altered_in_sql(two_cases):
    a, _ = two_cases
    entry = Entry.objects.get(stream=a.stream, seq=3)
    _sql("UPDATE ledger_entry SET actor_name = %s WHERE id = %s", "冒名者", entry.pk)
    assert f"{a.stream} #3" in _verify()


def test_verify_catches_an_altered_json_payload(two_cases):
    a, _ = two_cases
    entry = Entry.objects.get(stream=a.stream, seq=2)
    _sql("UPDATE ledger_entry SET payload = %s WHERE id = %s", '{"decision": "not_file"}', entry.pk)
    assert f"{a.stream} #2" in _verify()


def test_verify_catches_a_deleted_middle_entry(two_cases):
    a, _ = two_cases
    _sql("DELETE FROM ledger_entry WHERE stream = %s AND seq = 2", a.stream)
    assert f"{a.stream} #2" in _verify()


def test_verify_catches_a_deleted_last_entry(two_cases):
    _, b = two_cases
    last = Entry.objects.filter(stream=b.stream).order_by("-seq").first()
    _sql("DELETE FROM ledger_entry WHERE id = %s", last.pk)
    assert f"{b.stream} #{last.seq}" in _verify()


def test_verify_catches_a_deleted_tail_even_when_the_head_was_rewound_after_a_checkpoint(
    two_cases,
):
    _, b = two_cases
    ledger_checkpoint()
    last = Entry.objects.filter(stream=b.stream).order_by("-seq").first()
    _sql("DELETE FROM ledger_entry WHERE id = %s", last.pk)
    _sql(
        "UPDATE ledger_head SET seq = %s, hash = %s WHERE stream = %s",
        last.seq - 1,
        last.prev_hash,
        b.stream,
    )
    assert f"{b.stream} #{last.seq}" in _verify()


def test_verify_catches_two_entries_whose_order_was_swapped(two_cases):
    a, _ = two_cases
    e2 = Entry.objects.get(stream=a.stream, seq=2)
    e3 = Entry.objects.get(stream=a.stream, seq=3)
    _sql("UPDATE ledger_entry SET seq = 1000 WHERE id = %s", e2.pk)
    _sql("UPDATE ledger_entry SET seq = 2 WHERE id = %s", e3.pk)
    _sql("UPDATE ledger_entry SET seq = 3 WHERE id = %s", e2.pk)
    assert f"{a.stream} #2" in _verify()


def test_verify_catches_a_tampered_checkpoint(two_cases):
    cp = ledger_checkpoint()
    _sql("UPDATE ledger_checkpointitem SET seq = seq + 1 WHERE checkpoint_id = %s", cp.pk)
    assert "检查点" in _verify()


def test_a_checkpoint_covers_only_the_streams_that_moved(org, two_cases):
    first = ledger_checkpoint()
    assert first is not None and first.items.count() == 2
    assert ledger_checkpoint() is None
    a, _ = two_cases
    advance(org, a, until="investigation_report")
    second = ledger_checkpoint()
    assert list(second.items.values_list("stream", flat=True)) == [a.stream]
    assert second.prev_hash == first.hash
