"""The SM2 key (GB/T 32918) that signs the ledger's checkpoints. It lives in a file outside the
database (LEDGER_SIGNING_KEY_FILE, readable by the platform's user only), so whoever can write
the database but not that file cannot make a checkpoint that verifies; its public half is
published (the public site's 全过程记录校验 page) for anyone to check the signatures with.

The key is made by `manage.py ledger keygen` (scripts/bootstrap.sh runs it) or, where it is
missing, at the first checkpoint. A new key does not bless the past: checkpoints signed by an
earlier key fail verification until that key is restored.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from gmssl import sm2

_CURVE = sm2.default_ecc_table
_N = int(_CURVE["n"], 16)


@dataclass(frozen=True)
class KeyPair:
    private: str  # 64 hex digits
    public: str  # 128 hex digits: x then y, uncompressed without the 04 prefix


def _sm2(private: str | None, public: str) -> sm2.CryptSM2:
    """gmssl's signer with the public key as given. Its constructor takes a key beginning with
    "04" for one carrying the uncompressed-point prefix and strips it with `lstrip("04")`, every
    leading 0 and 4: a key whose x coordinate begins with "04" (one in 256) then signs and
    verifies nothing, or fails on an odd-length hex. Our keys never carry the prefix, so the
    attribute is set after construction."""
    crypt = sm2.CryptSM2(private_key=private, public_key="")
    crypt.public_key = public
    return crypt


def _derive(private: str) -> str:
    return str(_sm2(private, "")._kg(int(private, 16), _CURVE["g"]))


def generate() -> KeyPair:
    d = secrets.randbelow(_N - 2) + 1
    private = f"{d:064x}"
    return KeyPair(private, _derive(private))


def key_file() -> Path:
    return Path(settings.LEDGER_SIGNING_KEY_FILE)


def write_key(path: Path, pair: KeyPair) -> bool:
    """Write a key file once (never over an existing one); False when it was there already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"algorithm": "SM2", "private": pair.private, "public": pair.public}, fh)
    return True


def _read(path: Path) -> KeyPair:
    data = json.loads(path.read_text(encoding="utf-8"))
    return KeyPair(str(data["private"]), str(data["public"]))


def signing_key() -> KeyPair:
    """The key that signs (made here if it is missing: only a checkpoint or keygen makes one)."""
    path = key_file()
    if not path.exists():
        write_key(path, generate())
    return _read(path)


def public_key() -> str | None:
    """The published half, or None while no key was made; reading never makes one."""
    path = key_file()
    return _read(path).public if path.exists() else None


def sign(message: bytes, pair: KeyPair | None = None) -> str:
    pair = pair or signing_key()
    signer = _sm2(pair.private, pair.public)
    while True:
        # The per-signature secret from the system's CSPRNG, not the library's own `random`.
        k = secrets.randbelow(_N - 2) + 1
        signature = signer.sign_with_sm3(message, f"{k:064x}")
        if signature:
            return str(signature)


def verify(message: bytes, signature: str | None, public: str | None) -> bool:
    if not signature or not public or len(signature) != 128 or len(public) != 128:
        return False
    try:
        int(signature, 16)
        return bool(_sm2(None, public).verify_with_sm3(signature, message))
    except (ValueError, TypeError, ZeroDivisionError):
        return False
