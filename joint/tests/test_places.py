"""The place as a person says it, in the owner's SMS, the owner's page and the 提示单; phone
numbers masked on every read, the officer who handles the report revealing the owner's with one
logged click."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from pypdf import PdfReader

from administration.selectors import audit_entries
from api.tests.test_api_flow import ApiUser
from conftest import PASSWORD
from joint import services
from joint.documents import notice_pdf
from joint.models import ParkingReport
from joint.places import place_phrase
from joint.tests.conftest import OWNER_PHONE, photos
from ledger.models import Entry
from outbox.models import Delivery
from outbox.services import outbox_send_due
from personal.tests.test_party_numbers import audit_admin
from web.tests.test_reads import no_write


@pytest.mark.parametrize(
    ("street", "cross", "place", "said"),
    [
        ("东昌路", "柳园路", "", "东昌路与柳园路路口"),
        ("东昌路", "柳园路", "东50米", "东昌路与柳园路路口东50米"),
        ("东昌路", "", "柳园路", "东昌路与柳园路路口"),  # a road typed as the description
        ("东昌路", "", "人民医院门口", "东昌路人民医院门口"),
        ("柳园路", "", "柳园路与兴华路交叉口东50米", "柳园路与兴华路交叉口东50米"),
        ("柳园路", "兴华路", "柳园路与兴华路交叉口东50米", "柳园路与兴华路交叉口东50米"),
        ("东昌路", "", "", "东昌路"),
        ("东昌路", "东昌路", "", "东昌路"),
        ("东昌路", "", "GPS定位点", "东昌路"),  # what older reports wrote: never said
    ],
)
def test_the_place_is_said_as_a_person_would(street, cross, place, said):
    assert place_phrase(street, cross, place) == said


def submit(joint, **kw) -> ParkingReport:
    given = {
        "actor": joint.officer,
        "plate": "鲁P12345",
        "street": "东昌路",
        "cross_street": "柳园路",
        "place": "",
        "latitude": "36.456789",
        "longitude": "115.985432",
        "photos": photos(2),
    }
    return services.parking_report_submit(**(given | kw))


@pytest.mark.django_db
def test_the_sms_and_the_notice_name_the_junction_never_the_coordinates(joint):
    r = submit(joint)
    assert r.place == "东昌路与柳园路路口"
    outbox_send_due()
    body = Delivery.objects.get(channel="sms").body
    assert "停放在东昌路与柳园路路口，" in body and "GPS" not in body and "36.45" not in body
    r.notice_no = "聊城警联〔2026〕1号"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(notice_pdf(r))).pages)
    assert "东昌路与柳园路路口" in text.replace(" ", "").replace("\n", "") and "GPS" not in text


@pytest.mark.django_db
def test_without_a_position_the_officer_must_say_where(joint):
    from procedure.testing import assert_refused

    assert_refused(
        lambda: submit(joint, cross_street="", latitude="", longitude=""),
        "请填写违停地点",
    )
    r = submit(joint, cross_street="", place="人民医院门口", latitude="", longitude="")
    assert r.place == "东昌路人民医院门口"


def _client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


@pytest.mark.django_db
def test_the_owners_number_is_masked_on_every_read_even_to_the_handling_officer(joint):
    r = submit(joint)
    masked = f"{OWNER_PHONE[:3]}****{OWNER_PHONE[-4:]}"
    pages = {}
    for username in ("handler", "cohandler"):  # the officer of the report, a colleague
        c = _client(username)
        with no_write():
            pages[username] = c.get(f"/joint/reports/{r.pk}/").content.decode()
    for page in pages.values():
        assert OWNER_PHONE not in page and masked in page
    assert f"/joint/reports/{r.pk}/owner-phone/" in pages["handler"]
    assert f"/joint/reports/{r.pk}/owner-phone/" not in pages["cohandler"]
    assert not Entry.objects.filter(stream="pii:access").exists()
    lead = _client("chief")
    joint.sms.fail_next("refuse")
    outbox_send_due()
    board = lead.get("/api/joint/dashboard").json()
    assert board["failing"] and all(OWNER_PHONE not in m["recipient"] for m in board["failing"])
    assert OWNER_PHONE not in lead.get("/joint/dashboard/").content.decode()


@pytest.mark.django_db
def test_the_handling_officer_reveals_the_owners_number_once_and_the_auditor_reads_it(joint):
    r = submit(joint)
    c = _client("handler")
    answer = c.post(f"/joint/reports/{r.pk}/owner-phone/")
    assert answer.status_code == 200 and OWNER_PHONE in answer.content.decode()
    assert "查看已记入个人信息访问日志" in answer.content.decode()
    assert OWNER_PHONE not in c.get(f"/joint/reports/{r.pk}/").content.decode()
    (entry,) = audit_entries(audit_admin(joint.org), stream="pii:access", actor="handler")
    assert entry.action == "pii_reveal" and entry.actor_id == joint.officer.pk
    assert entry.payload["record"] == f"parking:{r.pk}" and entry.payload["fields"] == ["phone"]
    assert entry.payload["reason"] == "承办"
    assert OWNER_PHONE not in json.dumps(entry.payload, ensure_ascii=False)


@pytest.mark.django_db
def test_the_phone_app_reveals_the_owners_number_to_the_handling_officer_alone(joint):
    r = submit(joint)
    chief = ApiUser(Client(), "chief").post(f"/api/joint/reports/{r.pk}/owner-phone", {})
    assert chief.status_code == 422
    assert chief.json()["errors"] == ["只有取证的执法人员可以查看车主的完整手机号"]
    assert not Entry.objects.filter(stream="pii:access").exists()
    answer = ApiUser(Client(), "handler").post(f"/api/joint/reports/{r.pk}/owner-phone", {})
    assert answer.status_code == 200 and answer.json() == {"phones": [OWNER_PHONE]}
    (entry,) = Entry.objects.filter(stream="pii:access")
    assert entry.actor_id == joint.officer.pk and entry.payload["record"] == f"parking:{r.pk}"


@pytest.mark.django_db
def test_a_colleague_s_reveal_of_the_owners_number_is_refused_and_logs_nothing(joint):
    r = submit(joint)
    answer = _client("chief").post(f"/joint/reports/{r.pk}/owner-phone/")
    page = answer.content.decode()
    assert answer.status_code == 422 and "只有取证的执法人员可以查看车主的完整手机号" in page
    assert OWNER_PHONE not in page
    assert not Entry.objects.filter(stream="pii:access").exists()


@pytest.mark.django_db
def test_an_officer_of_another_unit_gets_404_for_the_owners_number(joint):
    r = submit(joint)
    assert _client("scjg-officer").post(f"/joint/reports/{r.pk}/owner-phone/").status_code == 404
    api = ApiUser(Client(), "scjg-officer")
    assert api.post(f"/api/joint/reports/{r.pk}/owner-phone", {}).status_code == 404
    assert not Entry.objects.filter(stream="pii:access").exists()
