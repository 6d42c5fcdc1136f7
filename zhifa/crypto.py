"""Personal data at rest: SM4 encryption with an SM3 MAC, and a keyed SM3 index to find it.

What a 商用密码应用安全性评估 asks of ID-card and phone numbers (GB/T 39786-2021, 数据的存储机密性
and 完整性; 个人信息保护法 Art. 51): stored encrypted with SM4 (GB/T 32907) under a key kept outside
the database, and any change to a stored value detected.

- A value is encrypted with SM4-CBC under a random IV and authenticated with HMAC-SM3 over the
  key id, the column and the IV and ciphertext (encrypt-then-MAC): a value changed, moved to
  another column or put under another key id is refused (`Tampered`), never read as garbage.
  Stored as ``sm4$<key id>$<base64url(iv | ciphertext | mac)>``.
- Each data key has an id carried by the value, so a new key can be added (`rotate`) while the
  values under the older ones are still read; `manage.py data_key rotate` re-encrypts them and
  `manage.py data_key retire` drops the keys no value uses any more.
- Equality search goes through a blind index: HMAC-SM3 of the normalised value (trimmed, upper
  case) under a separate index key. The index says nothing of the value without that key.
- The keys live in one JSON file (ZHIFA_DATA_KEY_FILE, default var/sm4.key, mode 0600) made by
  scripts/bootstrap.sh through `manage.py data_key init`. A missing file is made on first use,
  so a fresh checkout and the tests run; a present but unreadable one stops with `KeyFileError`.
"""

from __future__ import annotations

import base64
import functools
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

PREFIX = "sm4"
_IV = 16
_TAG = 32


class KeyFileError(Exception):
    """The key file is unreadable or holds no usable key."""


class Tampered(Exception):
    """A stored value does not authenticate: changed, moved, or under a key this file lacks."""


@dataclass
class KeyRing:
    """The data keys by id (hex, 32 bytes each: SM4 and MAC keys are derived from it), the one
    new values are written under, and the index keys (the current one first)."""

    data: dict[str, str]
    active: str
    index: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "data": {"active": self.active, "keys": self.data},
                "index": [{"id": i, "key": k} for i, k in self.index],
            },
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        raw = json.loads(text)
        data = {str(k): str(v) for k, v in raw["data"]["keys"].items()}
        active = str(raw["data"]["active"])
        index = [(str(x["id"]), str(x["key"])) for x in raw["index"]]
        if active not in data or not index:
            raise KeyError("active")
        for key in [*data.values(), *(k for _i, k in index)]:
            if len(bytes.fromhex(key)) != 32:
                raise ValueError("key length")
        return cls(data, active, index)

    @classmethod
    def new(cls) -> KeyRing:
        return cls({"1": secrets.token_hex(32)}, "1", [("1", secrets.token_hex(32))])

    def add_data_key(self) -> str:
        kid = str(max(int(k) for k in self.data) + 1)
        self.data[kid] = secrets.token_hex(32)
        self.active = kid
        return kid

    def add_index_key(self) -> str:
        kid = str(max(int(i) for i, _k in self.index) + 1)
        self.index.insert(0, (kid, secrets.token_hex(32)))
        return kid


def key_file() -> Path:
    return Path(settings.ZHIFA_DATA_KEY_FILE)


def write_ring(ring: KeyRing, path: Path | None = None) -> None:
    """Write the ring atomically (a new file renamed over the old), readable by its owner only."""
    path = path or key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(ring.to_json())
    os.replace(tmp, path)
    forget()


def _create(path: Path) -> None:
    """A first key file, unless another process made one meanwhile: linked into place, which
    fails when the name exists, so two processes starting at once never write two keys."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(KeyRing.new().to_json())
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # the other process's key stands
    finally:
        tmp.unlink()


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def forget() -> None:
    with _lock:
        _cache.clear()


RECHECK_SECONDS = 1.0  # how long a process trusts the key file it read without a stat


def ring(*, fresh: bool = False) -> KeyRing:
    """The key ring, read again when the file changes (a rotation by another process): its
    stamp is looked at once a RECHECK_SECONDS, or now when `fresh` (a value under a key id the
    ring read lacks), not on every value, which cost an import a sixth of its time."""
    name = str(settings.ZHIFA_DATA_KEY_FILE)
    now = time.monotonic()
    with _lock:
        if (
            not fresh
            and _cache.get("key", ("", 0))[0] == name
            and now - _cache.get("checked", -RECHECK_SECONDS) < RECHECK_SECONDS
        ):
            return _cache["ring"]
    path = Path(name)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        _create(path)
        stamp = path.stat().st_mtime_ns
    with _lock:
        if _cache.get("key") == (name, stamp):
            _cache["checked"] = now
            return _cache["ring"]
    try:
        loaded = KeyRing.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"个人信息密钥文件不可用：{path}") from exc
    with _lock:
        _cache["key"], _cache["ring"], _cache["checked"] = (name, stamp), loaded, now
    return loaded


@functools.lru_cache(maxsize=32)
def _keys(raw_hex: str) -> tuple[algorithms.SM4, bytes]:
    """The SM4 key (its algorithm object) and the MAC key derived from a data key."""
    raw = bytes.fromhex(raw_hex)
    enc = hmac.new(raw, b"zhifa sm4 encryption", "sm3").digest()[:16]
    mac = hmac.new(raw, b"zhifa sm3 authentication", "sm3").digest()
    return algorithms.SM4(enc), mac


def _sm4_cbc(key: algorithms.SM4, iv: bytes, data: bytes, *, encrypting: bool) -> bytes:
    """SM4-CBC with PKCS #7 padding (OpenSSL's, through cryptography): the bytes gmssl's
    crypt_cbc gave, which the values stored before were written with."""
    cipher = Cipher(key, modes.CBC(iv))
    if encrypting:
        padder = padding.PKCS7(128).padder()
        encryptor = cipher.encryptor()
        return encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()
    decryptor = cipher.decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    plain = decryptor.update(data) + decryptor.finalize()
    return unpadder.update(plain) + unpadder.finalize()


def _tag(mac_key: bytes, kid: str, context: str, body: bytes) -> bytes:
    header = f"{PREFIX}${kid}${context}$".encode()
    return hmac.digest(mac_key, header + body, "sm3")


def is_ciphertext(value: str) -> bool:
    return value.startswith(PREFIX + "$")


def key_id_of(value: str) -> str:
    return value.split("$", 2)[1] if is_ciphertext(value) else ""


def encrypt(plain: str, context: str) -> str:
    """`plain` under the active data key; `context` (table.column) is bound into the MAC."""
    keys = ring()
    kid = keys.active
    sm4_key, mac = _keys(keys.data[kid])
    iv = secrets.token_bytes(_IV)
    body = iv + _sm4_cbc(sm4_key, iv, plain.encode("utf-8"), encrypting=True)
    token = base64.urlsafe_b64encode(body + _tag(mac, kid, context, body)).decode("ascii")
    return f"{PREFIX}${kid}${token}"


def decrypt(stored: str, context: str) -> str:
    """The plaintext of a stored value; `Tampered` for anything that does not authenticate."""
    parts = stored.split("$")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise Tampered(f"{context}：不是加密存储的值")
    _prefix, kid, token = parts
    key = ring().data.get(kid) or ring(fresh=True).data.get(kid)
    if key is None:
        raise Tampered(f"{context}：密钥 {kid} 不在密钥文件中")
    try:
        blob = base64.urlsafe_b64decode(token.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise Tampered(f"{context}：密文格式不正确") from exc
    body, tag = blob[:-_TAG], blob[-_TAG:]
    sm4_key, mac = _keys(key)
    if (
        len(body) < 2 * _IV
        or len(body) % 16
        or not hmac.compare_digest(tag, _tag(mac, kid, context, body))
    ):
        raise Tampered(f"{context}：密文校验失败（被改动或密钥不符）")
    return _sm4_cbc(sm4_key, body[:_IV], body[_IV:], encrypting=False).decode("utf-8")


def normalise(value: str) -> str:
    return value.strip().upper()


def blind_indexes(value: str) -> list[str]:
    """The index of `value` under each index key, the current first (while the index is being
    rebuilt under a new key a row may still hold the older one)."""
    if not value:
        return [""]
    text = normalise(value).encode("utf-8")
    return [hmac.digest(_index_key(k), text, "sm3").hex() for _i, k in ring().index]


@functools.lru_cache(maxsize=32)
def _index_key(raw_hex: str) -> bytes:
    return bytes.fromhex(raw_hex)


def blind_index(value: str) -> str:
    """The index of `value` under the current index key ("" for an empty value)."""
    return blind_indexes(value)[0]
