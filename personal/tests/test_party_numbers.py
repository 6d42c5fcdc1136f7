"""The parties' ID and phone numbers: ciphertext in the database, found by their keyed index,
masked on every read, revealed by a POST (one click for the case's own officers, with a reason
for the unit's approving roles) and logged for the audit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import Client

from administration.selectors import audit_entries
from api.tests.test_api_flow import ApiUser
from cases.models import Case, Party
from cases.personal import party_reveal
from cases.selectors import case_detail
from cases.steppath import case_parties
from cases.tests.flow import ORG_CODE, PERSON_ID, register
from demo.testing import otp_enrol
from ledger.models import Entry
from ledger.services import ledger_verify
from orgs.services import user_upsert
from procedure.engine import Refused
from procedure.roles import Role
from web.selectors import search
from web.tests.test_reads import no_write
from zhifa import crypto

pytestmark = pytest.mark.django_db
PHONE = "13963501234"
MASKED_ID = PERSON_ID[:3] + "*" * 11 + PERSON_ID[-4:]


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path):
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "sm4.key"
    crypto.forget()
    yield
    crypto.forget()


@pytest.fixture
def case(org):
    return register(
        org,
        parties=[
            {"kind": "person", "name": "李某", "id_number": PERSON_ID, "phone": PHONE},
            {"kind": "organisation", "name": "聊城市某某商贸有限公司", "id_number": ORG_CODE},
        ],
    )


def _raw(case: Case) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id_number, id_number_index, phone FROM cases_party WHERE case_id = %s "
            'ORDER BY "index"',
            [case.pk],
        )
        return cur.fetchall()


def test_the_database_holds_only_ciphertext_and_the_model_reads_the_numbers(case):
    (person, _organisation) = _raw(case)
    assert all(PERSON_ID not in str(v) and PHONE not in str(v) for v in person)
    assert person[0].startswith("sm4$") and person[2].startswith("sm4$")
    assert person[1] == crypto.blind_index(PERSON_ID)
    party = Party.objects.get(case=case, index=0)
    assert (party.id_number, party.phone) == (PERSON_ID, PHONE)
    # The bare-SQL path of a step reads through the same conversions.
    assert [p.id_number for p in case_parties(case)] == [PERSON_ID, ORG_CODE]


def test_a_whole_id_number_is_found_through_the_index_and_a_part_is_refused(case):
    assert list(Party.objects.filter(id_number=PERSON_ID.lower()).values_list("name", flat=True))
    assert Party.objects.filter(case__parties__id_number=ORG_CODE).exists()
    assert Party.objects.filter(id_number__in=[PERSON_ID, "x"]).count() == 1
    assert not Party.objects.filter(id_number=PERSON_ID[:-1] + "9").exists()
    with pytest.raises(FieldError, match="只能按完整的值查找"):
        list(Party.objects.filter(**{"id_number__startswith": PERSON_ID[:6]}))
    assert list(search(type(case).objects.all(), PERSON_ID)) == [case]


def test_a_changed_ciphertext_in_the_database_is_refused_not_read(case):
    (person, _organisation) = _raw(case)
    _prefix, kid, token = person[0].split("$")
    changed = f"sm4${kid}${token[:20]}{'A' if token[20] != 'A' else 'B'}{token[21:]}"
    with connection.cursor() as cur:
        cur.execute(
            'UPDATE cases_party SET id_number = %s WHERE case_id = %s AND "index" = 0',
            [changed, case.pk],
        )
    with pytest.raises(crypto.Tampered, match=r"cases_party\.id_number"):
        Party.objects.get(case=case, index=0)


def test_a_rotation_re_encrypts_every_value_search_still_finds_and_the_old_key_retires(case):
    call_command("data_key", "rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (person, organisation) = _raw(case)
    assert crypto.key_id_of(person[0]) == crypto.key_id_of(organisation[0]) == "2"
    assert Party.objects.get(case=case, index=0).id_number == PERSON_ID
    assert list(search(type(case).objects.all(), PERSON_ID)) == [case]
    call_command("data_key", "retire", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(crypto.ring().data) == ["2"]
    assert Party.objects.get(case=case, index=0).phone == PHONE


def test_retiring_a_key_still_in_use_is_refused_by_its_count(case):
    ring = crypto.ring()
    ring.add_data_key()
    crypto.write_ring(ring)
    with pytest.raises(Exception, match="旧密钥仍在使用（密钥 1：3 条）"):
        call_command("data_key", "retire")
    assert sorted(crypto.ring().data) == ["1", "2"]


def test_a_new_index_key_rebuilds_the_index_and_search_still_finds(case):
    before = _raw(case)[0][1]
    call_command("data_key", "rotate-index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = _raw(case)[0][1]
    assert after != before and after == crypto.blind_index(PERSON_ID)
    assert len(crypto.ring().index) == 1
    assert list(search(type(case).objects.all(), PERSON_ID)) == [case]


def _parties(detail: dict[str, Any]) -> dict[int, tuple[str, str]]:
    return {p.index: (p.id_number, p.phone) for p in detail["party_details"]}


def test_the_handler_and_co_handler_read_the_numbers_masked_like_everyone(org, case):
    case.co_handler = org.co_handler
    for reader in (org.handler, org.co_handler, org.chief, org.supervisor):
        shown = _parties(case_detail(case, reader=reader))
        assert shown[0] == (MASKED_ID, "139****1234")
        assert shown[1] == (ORG_CODE, "")


def test_the_platform_itself_reads_the_numbers_whole(case):
    assert _parties(case_detail(case, reader=None))[0] == (PERSON_ID, PHONE)


def test_the_api_answers_masked_to_the_chief_and_to_the_handler_and_writes_nothing(org, case):
    for username in ("chief", "handler"):
        user = ApiUser(Client(), username)
        with no_write():
            answer = user.get(f"/api/cases/{case.pk}").json()
        assert answer["party_details"][0]["id_number"] == MASKED_ID
        assert PERSON_ID not in json.dumps(answer) and PHONE not in json.dumps(answer)
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_the_case_page_shows_the_handler_masked_numbers_a_one_click_reveal_and_writes_nothing(
    org, case
):
    client = Client()
    client.force_login(org.handler)
    with no_write():
        page = client.get(f"/cases/{case.pk}/").content.decode()
    assert MASKED_ID in page and "139****1234" in page
    assert PERSON_ID not in page and PHONE not in page
    assert f"/cases/{case.pk}/parties/0/reveal/" in page and "显示完整" in page
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_the_handler_s_one_click_reveal_shows_the_numbers_once_and_logs_it_as_handling(org, case):
    client = Client()
    client.force_login(org.handler)
    r = client.post(f"/cases/{case.pk}/parties/0/reveal/")
    page = r.content.decode()
    assert r.status_code == 200 and PERSON_ID in page and PHONE in page
    (entry,) = Entry.objects.filter(stream="pii:access")
    assert entry.action == "pii_reveal" and entry.actor_id == org.handler.pk
    assert entry.role == "handler"
    assert entry.payload["record"] == f"case:{case.pk}/party:0"
    assert entry.payload["fields"] == ["id_number", "phone"]
    assert entry.payload["reason"] == "承办"
    assert PERSON_ID not in client.get(f"/cases/{case.pk}/").content.decode()


def test_the_co_handler_reveals_through_the_api_without_a_reason(org, case):
    case.co_handler = org.co_handler
    case.save(update_fields=["co_handler"])
    r = ApiUser(Client(), "cohandler").post(f"/api/cases/{case.pk}/parties/0/reveal", {})
    assert r.status_code == 200, r.content
    assert (r.json()["id_number"], r.json()["phone"]) == (PERSON_ID, PHONE)
    (entry,) = Entry.objects.filter(stream="pii:access")
    assert entry.actor_id == org.co_handler.pk and entry.payload["reason"] == "承办"


def test_an_approving_officer_still_needs_a_reason_where_the_handler_needs_none(org, case):
    r = ApiUser(Client(), "chief").post(f"/api/cases/{case.pk}/parties/0/reveal", {})
    assert r.status_code == 422 and r.json()["errors"] == ["请填写查看完整信息的事由"]
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_the_case_page_shows_the_chief_a_masked_number_and_a_reveal(org, case):
    client = Client()
    client.force_login(org.chief)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert MASKED_ID in page and PERSON_ID not in page and "显示完整" in page
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_a_reveal_with_a_reason_shows_the_numbers_once_and_logs_who_what_and_why(org, case):
    client = Client()
    client.force_login(org.chief)
    r = client.post(f"/cases/{case.pk}/parties/0/reveal/", {"reason": "核对当事人身份"})
    page = r.content.decode()
    assert r.status_code == 200 and PERSON_ID in page and PHONE in page
    (entry,) = Entry.objects.filter(stream="pii:access")
    assert entry.action == "pii_reveal" and entry.actor_id == org.chief.pk
    assert entry.role == "section_chief"
    assert entry.payload["record"] == f"case:{case.pk}/party:0"
    assert entry.payload["fields"] == ["id_number", "phone"]
    assert entry.payload["reason"] == "核对当事人身份"
    assert PERSON_ID not in json.dumps(entry.payload, ensure_ascii=False)
    assert ledger_verify(stream="pii:access") == []
    assert PERSON_ID not in client.get(f"/cases/{case.pk}/").content.decode()


def test_a_reveal_without_a_reason_is_refused_by_its_reason_and_logs_nothing(org, case):
    client = Client()
    client.force_login(org.chief)
    r = client.post(f"/cases/{case.pk}/parties/0/reveal/", {"reason": "   "})
    assert r.status_code == 422 and "请填写查看完整信息的事由" in r.content.decode()
    assert PERSON_ID not in r.content.decode()
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_the_supervisor_may_not_reveal_though_it_reads_the_case(org, case):
    with pytest.raises(Refused, match="您的角色不能查看"):
        party_reveal(actor=org.supervisor, case_id=case.pk, index=0, reason="评查")
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_an_officer_of_another_unit_gets_404_for_the_reveal(org, case):
    other = ApiUser(Client(), "scjg-officer")
    r = other.post(f"/api/cases/{case.pk}/parties/0/reveal", {"reason": "核对"})
    assert r.status_code == 404
    client = Client()
    client.force_login(org.other_officer)
    assert client.post(f"/cases/{case.pk}/parties/0/reveal/", {"reason": "核对"}).status_code == 404
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_the_api_reveal_answers_the_whole_numbers_and_refuses_a_far_index(org, case):
    chief = ApiUser(Client(), "chief")
    r = chief.post(f"/api/cases/{case.pk}/parties/0/reveal", {"reason": "送达前核对"})
    assert r.status_code == 200 and r.json()["id_number"] == PERSON_ID
    far = chief.post(f"/api/cases/{case.pk}/parties/99999999999/reveal", {"reason": "核对"})
    assert far.status_code == 422 and far.json()["errors"] == ["当事人不存在"]
    assert Entry.objects.filter(stream="pii:access").count() == 1


def audit_admin(org: Any) -> Any:
    """The 审计管理员, who reads the `pii:access` stream."""
    auditor = user_upsert(
        username="auditadmin",
        full_name="审计管理员",
        unit=org.justice,
        roles=[Role.AUDIT_ADMIN],
        password_hash=make_password("Zf-2026-strong-Pass"),
    )
    otp_enrol(auditor)
    return auditor


def test_the_audit_administrator_alone_reads_the_access_log(org, case):
    party_reveal(actor=org.chief, case_id=case.pk, index=0, reason="核对当事人身份")
    auditor = audit_admin(org)
    (entry,) = audit_entries(auditor, stream="pii:access", actor="chief")
    assert entry.payload["reason"] == "核对当事人身份"
    client = Client()
    client.force_login(auditor)
    page = client.get("/sanyuan/audit/?stream=pii:access").content.decode()
    assert "个人信息访问" in page and "核对当事人身份" in page
    for user in (org.chief, org.supervisor, org.sysadmin):
        client = Client()
        client.force_login(user)
        assert client.get("/sanyuan/audit/?stream=pii:access").status_code == 404


def test_the_migration_encrypts_plaintext_left_by_an_older_version_and_reversed_restores_it(case):
    from personal.keys import Column, decrypt_to_plaintext, encrypt_plaintext

    col = Column("cases_party", "id", "id_number", "id_number_index")
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE cases_party SET id_number = %s, id_number_index = '' "
            'WHERE case_id = %s AND "index" = 0',
            [PERSON_ID, case.pk],
        )
    assert encrypt_plaintext(col) == 1  # the ciphertext already there is left alone
    (person, _organisation) = _raw(case)
    assert person[0].startswith("sm4$") and person[1] == crypto.blind_index(PERSON_ID)
    assert Party.objects.filter(id_number=PERSON_ID).count() == 1
    assert decrypt_to_plaintext(col) == 2
    (person, organisation) = _raw(case)
    assert (person[0], person[1], organisation[0]) == (PERSON_ID, "", ORG_CODE)
