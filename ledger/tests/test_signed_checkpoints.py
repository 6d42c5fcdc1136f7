"""Checkpoints signed with the platform's SM2 key: whoever can write the database but not read
the key file cannot rebuild the record so that it verifies, and a witness's copy of the signed
checkpoints finds one deleted or rewritten."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.tests.flow import advance, register
from conftest import move
from ledger import chain, signing
from ledger.models import Checkpoint, CheckpointItem, Entry, Head
from ledger.services import (
    ledger_checkpoint,
    ledger_checkpoint_due,
    ledger_export_checkpoints,
    ledger_verify,
    ledger_verify_witness,
)
from ledger.testing import ledger_maintenance

pytestmark = pytest.mark.django_db


def _sql(statement: str, *params: object) -> None:
    """Tamper as the database's owner would: with the append-only triggers lifted."""
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def case(org):
    case = advance(org, register(org), until="investigation")
    assert ledger_checkpoint() is not None
    return case


def _witness() -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in ledger_export_checkpoints()]


def test_a_checkpoint_is_signed_over_its_time_hash_and_merkle_root(case):
    cp = Checkpoint.objects.get()
    heads = list(cp.items.values_list("stream", "seq", "hash"))
    assert cp.merkle_root == chain.merkle_root(heads)
    assert signing.verify(cp.message(), cp.signature, signing.public_key())
    later = chain.checkpoint_message(
        "2099-01-01T00:00:00+00:00", cp.prev_hash, cp.hash, cp.merkle_root or ""
    )
    assert not signing.verify(later, cp.signature, signing.public_key())


def test_each_signature_takes_a_fresh_secret(case):
    message = b"same"
    first, second = signing.sign(message), signing.sign(message)
    assert first != second
    assert signing.verify(message, first, signing.public_key())
    assert signing.verify(message, second, signing.public_key())


def test_a_signature_of_another_key_does_not_verify():
    other = signing.generate()
    assert not signing.verify(b"m", signing.sign(b"m", other), signing.public_key())
    assert signing.verify(b"m", signing.sign(b"m", other), other.public)
    assert not signing.verify(b"m", "zz" * 64, signing.public_key())
    assert not signing.verify(b"m", None, signing.public_key())


# A key whose public half begins with "04" then 0 (one key in 256 begins with "04"): gmssl's
# constructor strips such a key with lstrip("04"), and a backup signed with it was refused.
KEY_04 = signing.KeyPair(
    "bac7a9859749ecbf0a4abb93d976975d2d56e2a6dbc8e74ee0346494ac60fdae",
    "040f4a3f30e540b1c35b1237c7cac50c9eb64c4294c780f8ba0e6f158b11a63973f59f602b11b7f96073572dfb307f1e005128eb063f7b34b97899bf5872c523",
)


def test_a_key_whose_public_half_begins_with_04_signs_and_verifies():
    assert signing._derive(KEY_04.private) == KEY_04.public
    signature = signing.sign(b"manifest", KEY_04)
    assert signing.verify(b"manifest", signature, KEY_04.public)
    assert not signing.verify(b"manifest!", signature, KEY_04.public)


def _forge(case) -> Checkpoint:
    """The insider rewrites an entry and recomputes everything that hashes it, but has no key."""
    entries = list(Entry.objects.filter(stream=case.stream).order_by("seq"))
    prev = chain.GENESIS
    for e in entries:
        if e.seq == 2:
            e.actor_name = "冒名者"
        e.prev_hash = prev
        e.hash = chain.entry_hash(prev, e.body())
        _sql(
            "UPDATE ledger_entry SET actor_name = %s, prev_hash = %s, hash = %s WHERE id = %s",
            e.actor_name,
            e.prev_hash,
            e.hash,
            e.pk,
        )
        prev = e.hash
    _sql("UPDATE ledger_head SET hash = %s WHERE stream = %s", prev, case.stream)
    cp = Checkpoint.objects.get()
    _sql("UPDATE ledger_checkpointitem SET hash = %s WHERE stream = %s", prev, case.stream)
    heads = list(CheckpointItem.objects.values_list("stream", "seq", "hash"))
    forged = chain.checkpoint_hash(chain.GENESIS, heads)
    root = chain.merkle_root(heads)
    forger = signing.generate()
    signature = signing.sign(
        chain.checkpoint_message(cp.at.isoformat(), cp.prev_hash, forged, root), forger
    )
    _sql(
        "UPDATE ledger_checkpoint SET hash = %s, merkle_root = %s, signature = %s WHERE id = %s",
        forged,
        root,
        signature,
        cp.pk,
    )
    return cp


def test_a_rewritten_entry_with_its_chain_heads_and_checkpoints_recomputed_is_caught(case):
    cp = _forge(case)
    assert ledger_verify() == [
        chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点的签名无效（未经平台签名密钥签署）")
    ]


def test_one_stream_s_check_catches_the_forgery_by_the_checkpoint_that_holds_it(case):
    cp = _forge(case)
    assert ledger_verify(stream=case.stream) == [
        chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点的签名无效（未经平台签名密钥签署）")
    ]


def test_one_stream_s_check_catches_a_rewritten_root_of_the_checkpoint_that_holds_it(case):
    cp = Checkpoint.objects.get()
    _sql("UPDATE ledger_checkpoint SET merkle_root = %s WHERE id = %s", chain.GENESIS, cp.pk)
    assert ledger_verify(stream=case.stream) == [
        chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点的默克尔根与其链头不符")
    ]


def test_one_stream_s_check_catches_a_rewritten_link_of_the_checkpoint_that_holds_it(case):
    cp = Checkpoint.objects.get()
    _sql("UPDATE ledger_checkpoint SET prev_hash = %s WHERE id = %s", "f" * 64, cp.pk)
    assert ledger_verify(stream=case.stream) == [
        chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点被篡改")
    ]


def test_one_stream_s_check_reads_only_the_last_checkpoint_that_holds_it(org, case):
    # A page's check (the case page, the API's record) must not grow with the checkpoints held:
    # a broken checkpoint of other streams is the whole check's to find, not this stream's.
    other = advance(org, register(org), until="investigation")
    later = ledger_checkpoint()
    assert later is not None
    assert not CheckpointItem.objects.filter(checkpoint=later, stream=case.stream).exists()
    _sql("UPDATE ledger_checkpoint SET merkle_root = %s WHERE id = %s", chain.GENESIS, later.pk)

    assert ledger_verify(stream=case.stream) == []
    broken = [chain.Break(f"checkpoint:{later.pk}", later.pk, "检查点的默克尔根与其链头不符")]
    assert ledger_verify(stream=other.stream) == broken
    assert ledger_verify() == broken


def test_a_forged_checkpoint_appended_after_the_last_signed_one_is_caught(org, case):
    last = Checkpoint.objects.get()
    advance(org, case, until="investigation_report")
    heads = [(h.stream, h.seq, h.hash) for h in Head.objects.filter(stream=case.stream)]
    digest = chain.checkpoint_hash(last.hash, heads)
    with connection.cursor() as cursor:  # an INSERT: the triggers let it through
        cursor.execute(
            "INSERT INTO ledger_checkpoint (at, prev_hash, hash, merkle_root, signature) "
            "VALUES (%s, %s, %s, %s, %s)",
            [last.at, last.hash, digest, chain.merkle_root(heads), "ab" * 64],
        )
    forged = Checkpoint.objects.latest("id")
    CheckpointItem.objects.bulk_create(
        CheckpointItem(checkpoint=forged, stream=s, seq=q, hash=h) for s, q, h in heads
    )
    assert ledger_verify() == [
        chain.Break(
            f"checkpoint:{forged.pk}", forged.pk, "检查点的签名无效（未经平台签名密钥签署）"
        )
    ]


def test_every_signature_is_checked_when_asked(org, case):
    first = Checkpoint.objects.get()
    advance(org, case, until="investigation_report")
    ledger_checkpoint()
    _sql("UPDATE ledger_checkpoint SET signature = %s WHERE id = %s", "ab" * 64, first.pk)
    # The chain vouches for the first through the last's signature; its own is read on demand.
    assert ledger_verify() == []
    assert ledger_verify(all_signatures=True) == [
        chain.Break(f"checkpoint:{first.pk}", first.pk, "检查点的签名无效（未经平台签名密钥签署）")
    ]


def test_a_rewritten_merkle_root_is_caught(case):
    cp = Checkpoint.objects.get()
    _sql("UPDATE ledger_checkpoint SET merkle_root = %s WHERE id = %s", chain.GENESIS, cp.pk)
    assert ledger_verify() == [
        chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点的默克尔根与其链头不符")
    ]


def test_deleting_the_last_checkpoint_is_caught_by_the_heads_it_marked(org, case):
    first = Checkpoint.objects.get()
    advance(org, case, until="investigation_report")
    last = ledger_checkpoint()
    _sql("DELETE FROM ledger_checkpointitem WHERE checkpoint_id = %s", last.pk)
    _sql("DELETE FROM ledger_checkpoint WHERE id = %s", last.pk)
    head = Head.objects.get(stream=case.stream)
    assert ledger_verify() == [chain.Break(case.stream, head.seq, "链头所记的检查点已被删除")]
    assert first.pk != last.pk


def test_deleting_the_last_checkpoint_and_rewinding_the_heads_is_caught_by_the_witness(org, case):
    advance(org, case, until="investigation_report")
    last = ledger_checkpoint()
    kept = _witness()
    previous = Head.objects.get(stream=case.stream)
    _sql("DELETE FROM ledger_checkpointitem WHERE checkpoint_id = %s", last.pk)
    _sql("DELETE FROM ledger_checkpoint WHERE id = %s", last.pk)
    first_item = CheckpointItem.objects.get(stream=case.stream)
    _sql(
        "UPDATE ledger_head SET checkpointed_seq = %s WHERE stream = %s",
        first_item.seq,
        case.stream,
    )
    assert previous.checkpointed_seq > first_item.seq
    assert ledger_verify() == []  # the database alone now looks whole
    assert ledger_verify_witness(kept) == [
        chain.Break(f"checkpoint:{last.pk}", last.pk, "见证文件所记的检查点已从数据库中删除")
    ]


def test_an_intact_database_passes_its_witness(org, case):
    advance(org, case, until="investigation_report")
    ledger_checkpoint()
    assert len(_witness()) == 2
    assert ledger_verify_witness(_witness()) == []


def test_a_checkpoint_rewritten_and_re_signed_by_another_key_differs_from_the_witness(case):
    kept = _witness()
    cp = Checkpoint.objects.get()
    _sql("UPDATE ledger_checkpoint SET at = %s WHERE id = %s", cp.at.replace(year=2020), cp.pk)
    assert ledger_verify_witness(kept) == [
        chain.Break(f"checkpoint:{cp.pk}", cp.pk, "检查点与见证文件所记不符（已被改写）")
    ]


def test_a_witness_line_that_its_own_signature_does_not_vouch_for_is_reported(case):
    (line,) = _witness()
    record = json.loads(line)
    cp_id = record["id"]
    forged = json.dumps({**record, "hash": chain.GENESIS})
    assert ledger_verify_witness([forged, "", "不是JSON"]) == [
        chain.Break(f"checkpoint:{cp_id}", cp_id, "见证文件第1行的签名无效"),
        chain.Break("witness", 3, "见证文件第3行无法读取"),
    ]


def test_the_worker_checkpoints_only_once_the_interval_has_passed(org, settings):
    settings.LEDGER_CHECKPOINT_MINUTES = 10
    case = register(org)
    first = ledger_checkpoint_due()
    assert first is not None
    advance(org, case, until="filing_review")
    move(minutes=10, seconds=-1)
    assert ledger_checkpoint_due() is None  # the last minute of the interval
    move(seconds=1)
    second = ledger_checkpoint_due()
    assert second is not None and second.prev_hash == first.hash


def test_the_worker_makes_no_checkpoint_when_nothing_moved(org, settings):
    settings.LEDGER_CHECKPOINT_MINUTES = 10
    register(org)
    assert ledger_checkpoint_due() is not None
    move(minutes=30)
    assert ledger_checkpoint_due() is None


def test_keygen_makes_a_key_once_and_never_replaces_it(settings, tmp_path, capsys):
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "k" / "ledger_sm2.key"
    call_command("ledger", "keygen")
    public = signing.public_key()
    assert f"已生成签名密钥：{settings.LEDGER_SIGNING_KEY_FILE}" in capsys.readouterr().out
    assert settings.LEDGER_SIGNING_KEY_FILE.stat().st_mode & 0o777 == 0o600
    call_command("ledger", "keygen")
    assert "签名密钥已存在，未覆盖" in capsys.readouterr().out
    assert signing.public_key() == public


def test_a_checkpoint_signed_by_a_replaced_key_no_longer_verifies(case, settings, tmp_path):
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "new.key"
    (broken,) = ledger_verify()
    assert broken.reason == "检查点的签名无效（未经平台签名密钥签署）"


def test_the_command_exports_a_witness_and_checks_it(org, case, tmp_path):
    witness = tmp_path / "witness.jsonl"
    call_command("ledger", "export-checkpoints", "--output", str(witness))
    call_command("ledger", "verify", "--witness", str(witness))
    cp = Checkpoint.objects.get()
    _sql("DELETE FROM ledger_checkpointitem WHERE checkpoint_id = %s", cp.pk)
    _sql("DELETE FROM ledger_checkpoint WHERE id = %s", cp.pk)
    _sql("UPDATE ledger_head SET checkpointed_seq = 0")
    with pytest.raises(CommandError) as info:
        call_command("ledger", "verify", "--witness", str(witness))
    assert f"checkpoint:{cp.pk} #{cp.pk}: 见证文件所记的检查点已从数据库中删除" in str(info.value)


def test_one_stream_s_check_takes_the_last_of_the_checkpoints_holding_it(org, case):
    first = Checkpoint.objects.get()
    advance(org, case, until="investigation_report")
    last = ledger_checkpoint()
    assert last is not None
    assert CheckpointItem.objects.filter(checkpoint=first, stream=case.stream).exists()
    assert CheckpointItem.objects.filter(checkpoint=last, stream=case.stream).exists()
    _sql("UPDATE ledger_checkpoint SET merkle_root = %s WHERE id = %s", chain.GENESIS, last.pk)

    assert ledger_verify(stream=case.stream) == [
        chain.Break(f"checkpoint:{last.pk}", last.pk, "检查点的默克尔根与其链头不符")
    ]
