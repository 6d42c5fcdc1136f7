"""The complainant's phone number is masked on every read of the officers' pages and API; the
handling unit's officers reveal it with one click (a POST, logged on `pii:access`), a supervisor
who reads the complaint may not, another unit gets 404."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from administration.selectors import audit_entries
from api.tests.test_api_flow import ApiUser
from ledger.models import Entry
from personal.tests.test_party_numbers import audit_admin
from web.tests.test_reads import no_write

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
MASKED = "139****5678"


def _logged(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_handling_unit_reads_the_complainants_phone_masked_and_the_read_writes_nothing(
    org, file_one
):
    c = file_one()
    for reader in (org.handler, org.chief, org.supervisor):
        client = _logged(reader)
        with no_write():
            page = client.get(f"/complaints/{c.pk}/").content.decode()
        assert PHONE not in page and MASKED in page
    handler_page = _logged(org.handler).get(f"/complaints/{c.pk}/").content.decode()
    assert f"/complaints/{c.pk}/phone/" in handler_page
    supervisor_page = _logged(org.supervisor).get(f"/complaints/{c.pk}/").content.decode()
    assert f"/complaints/{c.pk}/phone/" not in supervisor_page
    api = ApiUser(Client(), "handler")
    with no_write():
        one = api.get(f"/api/complaints/{c.pk}").json()
        listed = api.get("/api/complaints").json()
    assert one["contact_phone"] == MASKED
    assert PHONE not in json.dumps(listed) and MASKED in json.dumps(listed)
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_the_handler_reveals_the_phone_once_and_the_auditor_reads_the_entry(org, file_one):
    c = file_one()
    client = _logged(org.handler)
    r = client.post(f"/complaints/{c.pk}/phone/")
    assert r.status_code == 200 and PHONE in r.content.decode()
    assert PHONE not in client.get(f"/complaints/{c.pk}/").content.decode()
    (entry,) = audit_entries(audit_admin(org), stream="pii:access", actor="handler")
    assert entry.action == "pii_reveal" and entry.actor_id == org.handler.pk
    assert entry.payload["record"] == f"complaint:{c.pk}" and entry.payload["fields"] == ["phone"]
    assert entry.payload["reason"] == "承办"
    assert PHONE not in json.dumps(entry.payload, ensure_ascii=False)


def test_the_api_reveal_answers_the_whole_phone_to_the_chief(org, file_one):
    c = file_one()
    r = ApiUser(Client(), "chief").post(f"/api/complaints/{c.pk}/phone-reveal", {})
    assert r.status_code == 200 and r.json() == {"contact_phone": PHONE}
    assert Entry.objects.filter(stream="pii:access", actor_id=org.chief.pk).count() == 1


def test_a_supervisor_s_reveal_is_refused_by_its_reason_and_logs_nothing(org, file_one):
    c = file_one()
    r = _logged(org.supervisor).post(f"/complaints/{c.pk}/phone/")
    page = r.content.decode()
    assert r.status_code == 422
    assert "只有办理单位的受理、办理人员可以查看投诉举报人的完整手机号" in page
    assert PHONE not in page
    assert not Entry.objects.filter(stream="pii:access").exists()


def test_an_officer_of_another_unit_gets_404_for_the_phone(org, file_one):
    c = file_one()
    assert _logged(org.other_officer).post(f"/complaints/{c.pk}/phone/").status_code == 404
    api = ApiUser(Client(), "scjg-officer")
    assert api.post(f"/api/complaints/{c.pk}/phone-reveal", {}).status_code == 404
    assert not Entry.objects.filter(stream="pii:access").exists()
