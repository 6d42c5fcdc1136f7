"""The checkpoint chain is verified on its own: a checkpoint altered or removed while every entry
and every stream stays intact is still found, and named as a checkpoint break."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.tests.flow import advance, register
from ledger import chain
from ledger.models import Checkpoint
from ledger.services import ledger_checkpoint, ledger_verify
from ledger.testing import ledger_maintenance

pytestmark = pytest.mark.django_db


def _sql(statement: str, *params) -> None:
    """Tamper as the database's owner would: with the append-only triggers lifted."""
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def three_checkpoints(org) -> list[Checkpoint]:
    case = advance(org, register(org), until="filing_review")
    cps = [ledger_checkpoint()]
    case = advance(org, case, until="investigation")
    cps.append(ledger_checkpoint())
    advance(org, case, until="investigation_report")
    cps.append(ledger_checkpoint())
    assert None not in cps
    assert ledger_verify() == []
    return [cp for cp in cps if cp is not None]


def test_a_checkpoint_whose_own_hash_was_rewritten_breaks_the_chain_at_that_checkpoint(
    three_checkpoints,
):
    first = three_checkpoints[0]
    _sql("UPDATE ledger_checkpoint SET hash = %s WHERE id = %s", chain.sm3_hex("forged"), first.pk)
    assert ledger_verify() == [chain.Break(f"checkpoint:{first.pk}", first.pk, "检查点被篡改")]


def test_a_checkpoint_removed_from_the_middle_breaks_the_chain_at_the_next_one(
    three_checkpoints,
):
    _first, second, third = three_checkpoints
    _sql("DELETE FROM ledger_checkpointitem WHERE checkpoint_id = %s", second.pk)
    _sql("DELETE FROM ledger_checkpoint WHERE id = %s", second.pk)
    assert ledger_verify() == [chain.Break(f"checkpoint:{third.pk}", third.pk, "检查点被篡改")]


def test_a_checkpoint_re_hashed_over_a_forged_predecessor_is_caught(three_checkpoints):
    # The forger recomputes the second checkpoint consistently with a forged first hash;
    # the first no longer matches what the second claims to follow.
    _first, second, _third = three_checkpoints
    forged = chain.sm3_hex("forged")
    heads = list(second.items.values_list("stream", "seq", "hash"))
    _sql(
        "UPDATE ledger_checkpoint SET prev_hash = %s, hash = %s WHERE id = %s",
        forged,
        chain.checkpoint_hash(forged, heads),
        second.pk,
    )
    assert ledger_verify() == [chain.Break(f"checkpoint:{second.pk}", second.pk, "检查点被篡改")]


def test_the_verify_command_names_the_broken_checkpoint(three_checkpoints):
    first = three_checkpoints[0]
    _sql("UPDATE ledger_checkpoint SET hash = %s WHERE id = %s", chain.sm3_hex("forged"), first.pk)
    with pytest.raises(CommandError) as info:
        call_command("ledger", "verify")
    assert str(info.value) == (
        f"全过程记录校验失败：首个被破坏的记录为 checkpoint:{first.pk} #{first.pk}: 检查点被篡改"
    )
