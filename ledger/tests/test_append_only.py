"""The database itself refuses to rewrite the record (migration 0002): what an insider with the
application's database access tries is refused, and nothing changes."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from cases.tests.flow import advance, register
from ledger.models import Checkpoint, CheckpointItem, Entry, Head
from ledger.services import ledger_checkpoint, ledger_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org):
    case = advance(org, register(org), until="investigation")
    ledger_checkpoint()
    return case


def _snapshot() -> tuple[list, list, list, list]:
    return (
        list(Entry.objects.order_by("id").values_list()),
        list(Head.objects.order_by("stream").values_list()),
        list(Checkpoint.objects.order_by("id").values_list()),
        list(CheckpointItem.objects.order_by("id").values_list()),
    )


def _refused(statement: str, *params: object) -> str:
    before = _snapshot()
    with pytest.raises(IntegrityError) as info, transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement, params)
    assert _snapshot() == before
    assert ledger_verify() == []
    return str(info.value)


def test_an_update_of_an_entry_is_refused(case):
    message = _refused(
        "UPDATE ledger_entry SET actor_name = %s WHERE stream = %s AND seq = 2",
        "冒名者",
        case.stream,
    )
    assert "全过程记录只能追加，不得修改或删除" in message


def test_an_update_of_an_entry_through_the_orm_is_refused(case):
    before = _snapshot()
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(stream=case.stream).update(action="other")
    assert _snapshot() == before


def test_deleting_the_last_entry_of_a_stream_is_refused(case):
    last = Entry.objects.filter(stream=case.stream).order_by("-seq").first()
    _refused("DELETE FROM ledger_entry WHERE id = %s", last.pk)


def test_deleting_a_whole_stream_and_its_head_is_refused(case):
    _refused("DELETE FROM ledger_entry WHERE stream = %s", case.stream)
    _refused("DELETE FROM ledger_head WHERE stream = %s", case.stream)


def test_emptying_the_entry_table_is_refused(case):
    # SQLite has no TRUNCATE: a DELETE without WHERE is its truncate, and still fires the trigger.
    statement = (
        "TRUNCATE ledger_entry" if connection.vendor == "postgresql" else "DELETE FROM ledger_entry"
    )
    _refused(statement)


def test_deleting_the_last_checkpoint_is_refused(case):
    last = Checkpoint.objects.order_by("-id").first()
    _refused("DELETE FROM ledger_checkpointitem WHERE checkpoint_id = %s", last.pk)
    _refused("DELETE FROM ledger_checkpoint WHERE id = %s", last.pk)


def test_rewriting_a_checkpoint_or_its_items_is_refused(case):
    last = Checkpoint.objects.order_by("-id").first()
    _refused("UPDATE ledger_checkpoint SET hash = %s WHERE id = %s", "0" * 64, last.pk)
    _refused("UPDATE ledger_checkpointitem SET seq = seq + 1 WHERE checkpoint_id = %s", last.pk)


def test_a_head_cannot_move_back(case):
    head = Head.objects.get(stream=case.stream)
    entry = Entry.objects.get(stream=case.stream, seq=head.seq - 1)
    _refused(
        "UPDATE ledger_head SET seq = %s, hash = %s WHERE stream = %s",
        entry.seq,
        entry.hash,
        case.stream,
    )


def test_a_head_cannot_be_rewritten_in_place(case):
    _refused("UPDATE ledger_head SET hash = %s WHERE stream = %s", "0" * 64, case.stream)


def test_a_head_cannot_lower_its_checkpoint_mark(case):
    _refused("UPDATE ledger_head SET checkpointed_seq = 0 WHERE stream = %s", case.stream)


def test_a_head_moves_forward_and_a_checkpoint_marks_it(org, case):
    was = Head.objects.get(stream=case.stream).seq
    advance(org, case, until="investigation_report")
    head = Head.objects.get(stream=case.stream)
    assert head.seq > was
    assert ledger_checkpoint() is not None
    assert Head.objects.get(stream=case.stream).checkpointed_seq == head.seq


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_database_is_still_emptied_between_tests(org):
    # This test commits entries; the flush after it must pass the triggers for the next test.
    advance(org, register(org), until="filing_review")
    assert Entry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_starts_from_an_empty_record():
    assert not Entry.objects.exists()
    assert not Head.objects.exists()
