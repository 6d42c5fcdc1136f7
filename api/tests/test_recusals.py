"""回避 over the API: recorded, decided by the agency head, read; the same checks and scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from api.tests.test_api_flow import ApiUser
from cases.models import Case, Recusal
from cases.tests.flow import advance, register
from conftest import PASSWORD
from demo.testing import certified_person
from ledger.models import Entry
from procedure.roles import Role

pytestmark = pytest.mark.django_db

APPLY = {"officer": "cohandler", "source": "party", "reason": "当事人称协办人系其亲属"}


@pytest.fixture
def investigating(org):
    return advance(org, register(org), until="investigation")


def test_an_application_recorded_then_granted_replaces_the_officer_over_the_api(org, investigating):
    certified_person("spare", org.cgj, Role.HANDLER, password_hash=make_password(PASSWORD))
    handler = ApiUser(Client(), "handler")
    r = handler.post(f"/api/cases/{investigating.pk}/recusals", APPLY)
    assert r.status_code == 201, r.content
    made = Recusal.objects.get()
    entry = Entry.objects.filter(stream=investigating.stream).order_by("-seq").first()
    assert entry is not None
    assert r.json() == {
        "case_id": investigating.pk,
        "record": "recusal",
        "record_id": made.pk,
        "step": "recusal_decide",
        "step_name": "回避决定",
        "status": "",
        "decision": "submit",
        "limits": [],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }
    (recusal,) = handler.get(f"/api/cases/{investigating.pk}/recusals").json()
    assert (recusal["id"], recusal["officer"], recusal["decided"], recusal["source_label"]) == (
        made.pk,
        "cohandler",
        False,
        "当事人申请回避",
    )
    r = ApiUser(Client(), "director").post(
        f"/api/cases/{investigating.pk}/recusals/{recusal['id']}/decide",
        {"granted": True, "reason": "系近亲属，应当回避", "replacement": "spare"},
    )
    assert r.status_code == 200, r.content
    entry = Entry.objects.filter(stream=investigating.stream).order_by("-seq").first()
    assert entry is not None
    assert r.json() == {
        "case_id": investigating.pk,
        "record": "recusal",
        "record_id": recusal["id"],
        "step": "end",
        "step_name": "已决定",
        "status": "granted",
        "decision": "grant",
        "limits": [],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }
    assert Case.objects.get(pk=investigating.pk).co_handler.username == "spare"
    read = ApiUser(Client(), "supervisor").get(f"/api/cases/{investigating.pk}/recusals")
    assert read.status_code == 200
    assert read.json()[0]["granted"] is True and read.json()[0]["replacement"] == "spare"


def test_a_bad_request_gets_422_with_chinese_reasons_and_changes_nothing(org, investigating):
    before = Entry.objects.count()
    handler = ApiUser(Client(), "handler")
    r = handler.post(f"/api/cases/{investigating.pk}/recusals", {**APPLY, "officer": "chief"})
    assert r.status_code == 422 and r.json()["errors"] == ["只能对本案的承办人或协办人申请回避"]
    r = handler.post(f"/api/cases/{investigating.pk}/recusals", {**APPLY, "source": "rumour"})
    assert r.status_code == 422
    recusal = Recusal.objects.create(
        case=investigating,
        officer=org.co_handler,
        source="party",
        reason="x",
        requested_on=investigating.discovered_on,
        requested_by=org.handler,
    )
    r = handler.post(
        f"/api/cases/{investigating.pk}/recusals/{recusal.pk}/decide",
        {"granted": False, "reason": "不属实"},
    )
    assert r.status_code == 422 and "行政机关负责人决定" in r.json()["errors"][0]
    assert Entry.objects.count() == before and Recusal.objects.get().granted is None


@pytest.mark.parametrize("who", ["scjg-officer", "county-officer", "sysadmin"])
def test_a_caller_outside_the_case_scope_gets_404(org, investigating, who):
    outsider = ApiUser(Client(), who)
    assert outsider.get(f"/api/cases/{investigating.pk}/recusals").status_code == 404
    r = outsider.post(f"/api/cases/{investigating.pk}/recusals", APPLY)
    assert r.status_code == 404
    assert not Recusal.objects.exists()
