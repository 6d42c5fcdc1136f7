"""An overload of a plate the vehicle registry does not know: the officer enters the owner by
hand (identity with its check digit, a valid mobile number), and the record says so."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD
from law.validators import make_credit_code, make_id_card
from ledger.models import Entry
from nonsite import services
from nonsite.models import WimRecord
from nonsite.tests.test_ingest import post, rec
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db
UNKNOWN = "鲁P99999"


def owner(**kw: str) -> dict[str, str]:
    return {
        "kind": "organisation",
        "name": "聊城某某运输有限公司",
        "id_number": make_credit_code("91371500MA0000002"),
        "phone": "13800000009",
        "address": "聊城市东昌府区",
        **kw,
    }


def test_without_a_registry_owner_the_confirmation_asks_for_one_by_hand(wim):
    post(wim, rec(60_000, plate=UNKNOWN))
    r = WimRecord.objects.get()
    assert_refused(
        lambda: services.wim_record_confirm(record_id=r.pk, actor=wim.officer),
        f"车辆登记信息中查不到{UNKNOWN}的所有人，请手工登记车辆所有人后确认",
    )
    assert WimRecord.objects.get().status == "queued"


def test_the_owner_entered_by_hand_becomes_the_party_and_is_on_the_record(wim):
    post(wim, rec(60_000, plate=UNKNOWN))
    r = WimRecord.objects.get()
    case = services.wim_record_confirm(record_id=r.pk, actor=wim.officer, owner=owner())
    party = case.parties.get()
    assert (party.name, party.phone) == ("聊城某某运输有限公司", "13800000009")
    review = Entry.objects.get(stream=f"wim:{r.pk}", action="wim_review").payload
    assert review["data"]["owner_source"] == "manual"
    assert review["data"]["owner"]["id_number"] == party.id_number


def test_a_person_entered_by_hand_is_on_the_record_with_the_numbers_masked(wim):
    post(wim, rec(60_000, plate=UNKNOWN))
    r = WimRecord.objects.get()
    number = make_id_card("37150219900101001")
    person = owner(kind="person", name="张三", id_number=number)
    case = services.wim_record_confirm(record_id=r.pk, actor=wim.officer, owner=person)
    assert case.parties.get().id_number == number
    recorded = Entry.objects.get(stream=f"wim:{r.pk}", action="wim_review").payload["data"]
    assert recorded["owner"]["id_number"] == number[:3] + "*" * 11 + number[-4:]
    assert recorded["owner"]["phone"] == "138****0009"
    assert number not in str(recorded)


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"id_number": "91371500MA00000020"}, "统一社会信用代码"),
        ({"kind": "person", "name": "张三", "id_number": "37150219900101001X"}, "身份证"),
        ({"phone": "12800000009"}, "手机号码应为11位中国大陆手机号码，以13至19开头"),
        ({"name": ""}, "名称"),
    ],
)
def test_an_owner_entered_by_hand_is_refused_by_its_reason_and_nothing_changes(wim, given, reason):
    post(wim, rec(60_000, plate=UNKNOWN))
    r = WimRecord.objects.get()
    refusal = assert_refused(
        lambda: services.wim_record_confirm(
            record_id=r.pk, actor=wim.officer, owner=owner(**given)
        ),
        reason,
    )
    assert refusal.errors
    assert WimRecord.objects.get().status == "queued" and r.case is None
    assert not Entry.objects.filter(stream=f"wim:{r.pk}").exists()


def test_a_person_with_a_valid_id_card_and_no_phone_is_taken(wim):
    post(wim, rec(60_000, plate=UNKNOWN))
    r = WimRecord.objects.get()
    card = make_id_card("37150219900101001")
    case = services.wim_record_confirm(
        record_id=r.pk,
        actor=wim.officer,
        owner=owner(kind="person", name="张三", id_number=card, phone=""),
    )
    assert case.parties.get().id_number == card
    notice = Entry.objects.get(stream=case.stream, action="monitoring_notice").payload
    assert notice["channel"] == "none"


def test_the_record_page_offers_the_form_and_takes_the_owner(wim):
    post(wim, rec(60_000, plate=UNKNOWN))
    r = WimRecord.objects.get()
    c = Client()
    c.login(username="jtj-officer", password=PASSWORD)
    assert 'name="owner_id_number"' in c.get(f"/nonsite/records/{r.pk}/").content.decode()
    form = {f"owner_{k}": v for k, v in owner().items()}
    c.post(f"/nonsite/records/{r.pk}/review/", {"decision": "confirm", **form})
    r.refresh_from_db()
    assert r.status == "confirmed" and r.case.parties.get().name == "聊城某某运输有限公司"


def test_the_api_takes_the_owner_by_hand_and_refuses_a_bad_one_by_field(wim):
    post(wim, rec(60_000, plate=UNKNOWN))
    r = WimRecord.objects.get()
    c = Client()
    c.login(username="jtj-officer", password=PASSWORD)
    url = f"/api/nonsite/records/{r.pk}/review"
    bad = c.post(
        url,
        {"decision": "confirm", "owner": owner(phone="139000000091")},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "owner.phone" in bad.json()["fields"]
    wrong = c.post(
        url,
        {"decision": "confirm", "owner": owner(id_number="91371500MA00000020")},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "统一社会信用代码" in "".join(wrong.json()["errors"])
    assert WimRecord.objects.get().status == "queued"
    ok = c.post(url, {"decision": "confirm", "owner": owner()}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
