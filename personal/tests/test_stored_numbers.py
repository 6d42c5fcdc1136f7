"""Every stored ID-card and phone number outside the parties is ciphertext too: accounts,
complainants, vehicle owners, inspection targets, the SMS outbox; a 文书 that prints a whole ID
number is logged as an access."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from cases.tests.flow import PERSON_ID, advance, register
from complaints.models import Complaint
from complaints.services import RateLimited, complaint_submit
from documents.services import document_issue
from joint.models import Vehicle
from ledger.models import Entry
from orgs.models import User
from orgs.services import user_upsert
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue
from procedure.roles import Role
from zhifa import clock, crypto

pytestmark = pytest.mark.django_db
PHONE = "13963501234"


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path):
    settings.ZHIFA_DATA_KEY_FILE = tmp_path / "sm4.key"
    crypto.forget()
    yield
    crypto.forget()


def _column(table: str, column: str, pk: Any) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cur.fetchone()[0])


def test_an_account_s_phone_is_ciphertext_in_the_database(org):
    user = user_upsert(
        username="phoned",
        full_name="有手机号的人",
        unit=org.cgj,
        roles=[Role.HANDLER],
        password_hash=make_password("x"),
        phone=PHONE,
    )
    assert _column("orgs_user", "phone", user.pk).startswith("sm4$")
    assert User.objects.get(pk=user.pk).phone == PHONE
    # An empty phone is found as empty, without an index.
    assert User.objects.exclude(phone="").filter(pk=user.pk).exists()


def test_an_sms_recipient_is_ciphertext_in_the_outbox(db):
    from django.db import transaction

    with transaction.atomic():
        message = outbox_enqueue(channel="sms", kind="test", recipient=PHONE, key="k-1", body="hi")
    assert PHONE not in _column("outbox_outboxmessage", "recipient", message.pk)
    assert OutboxMessage.objects.get(pk=message.pk).recipient == PHONE


def test_a_complainant_s_phone_is_ciphertext_and_still_counts_the_filings_per_phone(org, settings):
    data = {
        "facts": "某商铺占道经营，夜间噪声扰民",
        "place": "东昌府区柳园路88号",
        "happened_on": clock.today().isoformat(),
        "unit": str(org.cgj.pk),
        "contact_name": "王小明",
        "contact_phone": PHONE,
    }
    first = complaint_submit(**data, ip="10.0.0.1")
    assert _column("complaints_complaint", "contact_phone", first.pk).startswith("sm4$")
    assert Complaint.objects.filter(contact_phone=PHONE).count() == 1
    for n in range(2, settings.COMPLAINT_LIMIT_PER_PHONE + 1):
        complaint_submit(**data, ip=f"10.0.0.{n}")
    with pytest.raises(RateLimited, match="同一手机号码"):
        complaint_submit(**data, ip="10.0.0.99")  # the limit per phone, found by the index
    assert Complaint.objects.count() == settings.COMPLAINT_LIMIT_PER_PHONE


def test_a_vehicle_owner_s_numbers_are_ciphertext(db):
    v = Vehicle.objects.create(
        plate="鲁P12345",
        owner_kind="person",
        owner_name="张某",
        owner_id_number=PERSON_ID,
        owner_phone=PHONE,
    )
    assert PERSON_ID not in _column("joint_vehicle", "owner_id_number", v.pk)
    assert PHONE not in _column("joint_vehicle", "owner_phone", v.pk)
    assert Vehicle.objects.get(plate="鲁P12345").owner_id_number == PERSON_ID


def test_a_document_printing_a_person_s_whole_id_number_is_logged_as_an_access(org):
    case = register(
        org, parties=[{"kind": "person", "name": "李四", "id_number": PERSON_ID, "address": "某地"}]
    )
    case = advance(org, case, until="investigation")
    doc = document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    (entry,) = Entry.objects.filter(stream="pii:access")
    assert entry.action == "pii_document" and entry.actor_id == org.handler.pk
    assert entry.role == "handler"  # the role the handler acted in, as a download records it
    assert entry.payload["record"] == f"case:{case.pk}/document:{doc.code}"
    assert entry.payload["fields"] == ["id_number"] and entry.payload["parties"] == [0]
    # A re-download of the issued document issues nothing new.
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    assert Entry.objects.filter(stream="pii:access").count() == 1


def test_a_document_naming_only_an_organisation_logs_no_access(org):
    case = advance(org, register(org), until="investigation")
    document_issue(case_id=case.pk, kind="filing_form", party_index=None, actor=org.handler)
    assert not Entry.objects.filter(stream="pii:access").exists()
