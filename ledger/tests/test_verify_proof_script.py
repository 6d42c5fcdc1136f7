"""scripts/verify_proof.py, the standard-library check of an inclusion proof, against proofs the
ledger builds."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from cases.tests.flow import advance, register
from ledger import signing
from ledger.selectors import inclusion_proof
from ledger.services import ledger_checkpoint
from ledger.tests.test_signed_checkpoints import KEY_04

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_proof.py"
_spec = importlib.util.spec_from_file_location("verify_proof", SCRIPT)
assert _spec is not None and _spec.loader is not None
verify_proof = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(verify_proof)


@pytest.fixture
def proof(org) -> dict:
    cases = [register(org) for _ in range(4)]
    advance(org, cases[1], until="filing_review")
    assert ledger_checkpoint() is not None
    made = inclusion_proof(cases[1].stream)
    assert made is not None
    assert made["head"]["stream"] == cases[1].stream
    return made


def _run(tmp_path, proof: dict) -> int:
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(proof, ensure_ascii=False), encoding="utf-8")
    return verify_proof.main(["verify_proof.py", str(path)])


def test_a_proof_the_ledger_builds_passes_the_script_with_its_signature(proof, tmp_path, capsys):
    assert verify_proof.check(proof)
    assert verify_proof.signature_ok(proof) is True
    assert _run(tmp_path, proof) == 0
    out = capsys.readouterr().out
    assert "通过" in out and "签名核对通过" in out


def test_a_proof_with_a_changed_head_fails(proof, tmp_path, capsys):
    proof["head"]["seq"] += 1
    assert not verify_proof.check(proof)
    assert _run(tmp_path, proof) == 1
    assert "不通过" in capsys.readouterr().out


def test_a_proof_with_a_changed_sibling_fails(proof, tmp_path):
    proof["path"][0]["hash"] = "0" * 64
    assert _run(tmp_path, proof) == 1


def test_a_proof_whose_checkpoint_was_re_rooted_fails_its_signature(proof, tmp_path):
    # The forger recomputes the root from a forged head: the path holds, the signature does not.
    proof["head"]["hash"] = "0" * 64
    proof["checkpoint"]["merkle_root"] = verify_proof.root_of(proof["head"], proof["path"])
    assert verify_proof.check(proof)
    assert verify_proof.signature_ok(proof) is False
    assert _run(tmp_path, proof) == 1


def test_a_malformed_proof_is_refused(proof, tmp_path):
    proof["path"][0]["side"] = "up"
    assert _run(tmp_path, proof) == 1


def test_a_stream_in_no_checkpoint_has_no_proof(org):
    case = register(org)
    assert inclusion_proof(case.stream) is None


def test_a_proof_signed_by_a_key_whose_public_half_begins_with_04_passes(org, settings, tmp_path):
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "k" / "ledger_sm2.key"
    assert signing.write_key(settings.LEDGER_SIGNING_KEY_FILE, KEY_04)
    case = register(org)
    assert ledger_checkpoint() is not None
    made = inclusion_proof(case.stream)
    assert made is not None and made["public_key"] == KEY_04.public

    assert verify_proof.signature_ok(made) is True
