"""`ledger verify` reads each case row against its stream: a case is a projection of its record,
so one changed behind the record (its step, its status, its whole stream gone) is reported by its
number, even where every remaining chain is intact."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Case
from cases.services.steps import case_register
from cases.tests.flow import advance, register
from ledger import chain
from ledger.models import Entry
from ledger.services import ledger_append, ledger_verify
from ledger.testing import ledger_maintenance
from zhifa import clock

pytestmark = pytest.mark.django_db


def _sql(statement: str, *params: object) -> None:
    """Tamper as the database's owner would: with the append-only triggers lifted."""
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def case(org) -> Case:
    return advance(org, register(org), until="investigation")


def _last_step_seq(case: Case) -> int:
    return Entry.objects.filter(stream=case.stream, payload__has_key="next").latest("seq").seq


def test_an_intact_case_and_its_stream_verify(case):
    assert ledger_verify() == []


def test_a_simple_procedure_case_opened_on_the_spot_verifies(org):
    case_register(
        actor=org.handler,
        procedure="simple",
        source="patrol",
        clue="当场发现",
        discovered_on=clock.today(),
        act_on=clock.today(),
        matter_code=org.matter.code,
        parties=[{"kind": "organisation", "name": "某公司", "id_number": "91350100M000100Y43"}],
    )
    assert ledger_verify() == []


def test_a_step_changed_without_an_entry_is_reported_with_the_case_number(case):
    _sql("UPDATE cases_case SET step = %s WHERE id = %s", "closing_approve", case.pk)
    number = case.case_no or case.lead_no
    assert ledger_verify() == [
        chain.Break(
            case.stream,
            _last_step_seq(case),
            f"案件{number}的当前环节“结案审批”与最后一条环节记录（“调查取证”）不符：环节被改动而未记录",
        )
    ]


def test_a_case_closed_without_an_entry_is_reported(case):
    _sql("UPDATE cases_case SET status = %s WHERE id = %s", Case.Status.CLOSED, case.pk)
    (broken,) = ledger_verify()
    assert broken.stream == case.stream
    assert "状态与其环节记录不符" in broken.reason


def test_a_case_moved_back_to_the_step_before_without_an_entry_is_reported(case):
    _sql("UPDATE cases_case SET step = %s WHERE id = %s", case.previous_step, case.pk)
    assert [b.stream for b in ledger_verify()] == [case.stream]


def test_a_stream_deleted_before_any_checkpoint_is_reported_by_its_case(case):
    _sql("DELETE FROM ledger_entry WHERE stream = %s", case.stream)
    _sql("DELETE FROM ledger_head WHERE stream = %s", case.stream)
    number = case.case_no or case.lead_no
    assert ledger_verify() == [
        chain.Break(case.stream, 1, f"案件{number}没有登记记录（记录链缺失或被删除）")
    ]


def test_emptied_entry_and_head_tables_are_reported_case_by_case(org, case):
    other = register(org)
    _sql("DELETE FROM ledger_entry")
    _sql("DELETE FROM ledger_head")
    assert sorted(b.stream for b in ledger_verify()) == sorted([case.stream, other.stream])


def test_a_stream_rebuilt_without_its_registration_is_reported(case):
    # The forger rebuilds a valid chain whose first entry is not the case's registration.
    _sql("DELETE FROM ledger_entry WHERE stream = %s", case.stream)
    _sql("DELETE FROM ledger_head WHERE stream = %s", case.stream)
    for action, payload in (("evidence_add", {}), ("investigation", {"next": case.step})):
        ledger_append(
            stream=case.stream,
            action=action,
            payload=payload,
            actor_id=None,
            actor_name="伪造者",
            role="handler",
        )
    number = case.case_no or case.lead_no
    assert ledger_verify() == [chain.Break(case.stream, 1, f"案件{number}的首条记录不是案件登记")]


def test_an_imported_case_is_read_against_its_import_not_a_stream_of_its_own(case):
    _sql("DELETE FROM ledger_entry WHERE stream = %s", case.stream)
    _sql("DELETE FROM ledger_head WHERE stream = %s", case.stream)
    _sql("UPDATE cases_case SET imported = %s WHERE id = %s", True, case.pk)
    assert ledger_verify() == []


def test_verify_of_one_stream_checks_that_case_only(org, case):
    other = register(org)
    _sql("UPDATE cases_case SET step = %s WHERE id = %s", "closing_approve", other.pk)
    assert ledger_verify(stream=case.stream) == []
    assert [b.stream for b in ledger_verify(stream=other.stream)] == [other.stream]
    assert [b.stream for b in ledger_verify()] == [other.stream]


def test_the_verify_command_names_the_case_whose_step_was_changed(case):
    _sql("UPDATE cases_case SET step = %s WHERE id = %s", "closing_approve", case.pk)
    with pytest.raises(CommandError) as info:
        call_command("ledger", "verify")
    assert f"案件{case.case_no or case.lead_no}的当前环节“结案审批”" in str(info.value)


def test_cases_are_read_in_chunks_without_skipping_one(org, monkeypatch):
    from cases import ledger_check

    monkeypatch.setattr(ledger_check, "CHUNK", 2)
    made = [register(org) for _ in range(5)]
    _sql("UPDATE cases_case SET step = %s WHERE id = %s", "closing_approve", made[-1].pk)
    assert [b.stream for b in ledger_verify()] == [made[-1].stream]


def test_a_forged_entry_appended_with_a_correct_hash_is_reported_by_its_case(case):
    # Every hash and the head agree: only the case row, which the forger left, tells.
    ledger_append(
        stream=case.stream,
        action="closing_approve",
        payload={"decision": "approve", "next": "end", "data": {}, "result": {}},
        actor_id=None,
        actor_name="伪造者",
        role="director",
    )
    number = case.case_no or case.lead_no
    assert ledger_verify() == [
        chain.Break(
            case.stream,
            _last_step_seq(case),
            f"案件{number}的当前环节“调查取证”与最后一条环节记录（“结束”）不符：环节被改动而未记录",
        )
    ]
