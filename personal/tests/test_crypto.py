"""SM4 at rest with an SM3 MAC, key ids for rotation, and the keyed SM3 index (zhifa.crypto)."""

from __future__ import annotations

import base64
import json

import pytest

from law.personal import Relation, Sight, mask_id_number, mask_phone, sight
from zhifa import crypto

ID = "370102199003071234"


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path):
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "sm4.key"
    crypto.forget()
    yield
    crypto.forget()


def test_a_value_is_encrypted_under_a_random_iv_and_reads_back():
    one, two = crypto.encrypt(ID, "t.c"), crypto.encrypt(ID, "t.c")
    assert one != two
    assert ID not in one and one.startswith("sm4$1$")
    assert crypto.decrypt(one, "t.c") == crypto.decrypt(two, "t.c") == ID


def test_the_key_file_is_made_on_first_use_readable_by_its_owner_only(settings):
    crypto.encrypt(ID, "t.c")
    assert settings.ZHIFA_DATA_KEY_FILE.stat().st_mode & 0o777 == 0o600


def test_a_changed_ciphertext_is_refused_as_tampered():
    stored = crypto.encrypt(ID, "t.c")
    prefix, kid, token = stored.split("$")
    flipped = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    with pytest.raises(crypto.Tampered, match="校验失败"):
        crypto.decrypt(f"{prefix}${kid}${flipped}", "t.c")


def test_a_value_moved_to_another_column_is_refused():
    stored = crypto.encrypt(ID, "cases_party.id_number")
    with pytest.raises(crypto.Tampered):
        crypto.decrypt(stored, "cases_party.phone")


def test_plaintext_where_a_ciphertext_belongs_is_refused():
    with pytest.raises(crypto.Tampered, match="不是加密存储的值"):
        crypto.decrypt(ID, "t.c")


def test_a_value_under_another_key_file_is_refused_clearly(settings, tmp_path):
    stored = crypto.encrypt(ID, "t.c")
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "other.key"
    crypto.forget()
    with pytest.raises(crypto.Tampered, match="校验失败"):
        crypto.decrypt(stored, "t.c")


def test_a_value_under_a_key_id_the_file_lacks_is_refused_by_its_id():
    stored = crypto.encrypt(ID, "t.c").replace("sm4$1$", "sm4$7$")
    with pytest.raises(crypto.Tampered, match="密钥 7 不在密钥文件中"):
        crypto.decrypt(stored, "t.c")


def test_an_unreadable_key_file_stops_with_its_path(settings):
    settings.ZHIFA_DATA_KEY_FILE.write_text("not json")
    crypto.forget()
    with pytest.raises(crypto.KeyFileError, match=r"sm4\.key"):
        crypto.encrypt(ID, "t.c")


def test_after_a_rotation_old_values_still_read_and_new_ones_take_the_new_key():
    old = crypto.encrypt(ID, "t.c")
    ring = crypto.ring()
    assert ring.add_data_key() == "2"
    crypto.write_ring(ring)
    new = crypto.encrypt(ID, "t.c")
    assert crypto.key_id_of(new) == "2"
    assert crypto.decrypt(old, "t.c") == crypto.decrypt(new, "t.c") == ID
    saved = json.loads(crypto.key_file().read_text())
    assert sorted(saved["data"]["keys"]) == ["1", "2"] and saved["data"]["active"] == "2"


def test_the_blind_index_is_keyed_normalised_and_equal_for_equal_values(settings, tmp_path):
    index = crypto.blind_index(ID.lower().replace("x", "X"))
    assert index == crypto.blind_index(f" {ID} ")
    assert index != crypto.blind_index("370102199003071235")
    assert ID not in index and len(index) == 64
    assert crypto.blind_index("") == ""
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "other.key"
    crypto.forget()
    assert crypto.blind_index(ID) != index


def test_while_the_index_key_changes_both_indexes_are_looked_for():
    before = crypto.blind_index(ID)
    ring = crypto.ring()
    ring.add_index_key()
    crypto.write_ring(ring)
    found = crypto.blind_indexes(ID)
    assert len(found) == 2 and found[1] == before and found[0] != before


def test_an_id_number_keeps_its_first_three_and_last_four_an_organisation_code_all():
    assert mask_id_number(ID) == "370***********1234"
    assert mask_id_number("91371500MA3C7QX01X", "organisation") == "91371500MA3C7QX01X"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("0635-8312345") == "****2345"
    assert mask_phone("") == ""


def test_the_record_s_own_officer_sees_whole_the_unit_s_approvers_may_reveal_others_never():
    assert sight(Relation.OWN, frozenset()) is Sight.FULL
    assert sight(Relation.UNIT, frozenset({"section_chief"})) is Sight.REVEALABLE
    assert sight(Relation.UNIT, frozenset({"supervisor"})) is Sight.MASKED
    assert sight(Relation.OTHER, frozenset({"section_chief", "supervisor"})) is Sight.MASKED


# A value as the platform stored it while SM4 ran in gmssl (pure Python), before it ran through
# OpenSSL: the same cipher, padding and MAC, so it still reads.
_OLD_KEY = "00112233445566778899aabbccddeeff" * 2
_OLD_VALUE = (
    "sm4$1$AAECAwQFBgcICQoLDA0OD-qR6tQFNpFa9euXG4ewmGgFbhPo3RxVFcKrHBf23bVPXT_2xjI7rN2Ru0gr84S_"
    "mxLyER_QQpP4FLU9M1Lxi0o="
)


def test_a_value_stored_by_the_earlier_sm4_implementation_still_decrypts_and_reencrypts_alike(
    settings,
):
    crypto.write_ring(crypto.KeyRing({"1": _OLD_KEY}, "1", [("1", _OLD_KEY)]))
    assert crypto.decrypt(_OLD_VALUE, "cases_party.id_number") == ID
    # Under the same IV the new cipher writes the very bytes the old one wrote.
    blob = base64.urlsafe_b64decode(_OLD_VALUE.split("$")[2])
    sm4_key, _mac = crypto._keys(_OLD_KEY)
    assert crypto._sm4_cbc(sm4_key, blob[:16], ID.encode(), encrypting=True) == blob[16:-32]


def test_a_key_another_process_added_is_read_when_a_value_under_it_comes(settings):
    crypto.encrypt(ID, "t.c")  # this process has read the ring
    ring = crypto.KeyRing.from_json(settings.ZHIFA_DATA_KEY_FILE.read_text())
    ring.add_data_key()
    # The other process writes the file (this one's cache is not told) and a value under it.
    settings.ZHIFA_DATA_KEY_FILE.write_text(ring.to_json())
    raw = ring.data["2"]
    sm4_key, mac = crypto._keys(raw)
    iv = bytes(16)
    body = iv + crypto._sm4_cbc(sm4_key, iv, ID.encode(), encrypting=True)
    token = base64.urlsafe_b64encode(body + crypto._tag(mac, "2", "t.c", body)).decode()
    assert crypto.decrypt(f"sm4$2${token}", "t.c") == ID
