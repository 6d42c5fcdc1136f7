"""What the 治超 module puts in the 待办: the records to review as one line with their count, and
a party's 陈述、申辩 submitted online until the case's next step."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from cases.services.steps import case_act
from conftest import PASSWORD
from demo.testing import certified_person
from nonsite import services
from nonsite.models import WimRecord
from nonsite.tests.test_ingest import post, rec
from orgs.models import User
from outbox.models import Delivery
from outbox.services import outbox_send_due
from procedure.roles import Role

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_records_to_review_are_one_line_of_the_officers_todo_with_their_count(wim):
    post(wim, rec(60_000), rec(61_000, minutes=-180), rec(62_000, plate="鲁P20003", minutes=-60))
    html = _client(wim.officer).get("/").content.decode()
    assert 'data-kind="nonsite"' in html and "超限审核 3" in html and "/nonsite/queue/" in html
    # The legal reviewer of the same unit reviews devices, not records; another unit sees none.
    assert 'data-kind="nonsite"' not in _client(wim.legal).get("/").content.decode()
    other = User.objects.get(username="county-jtj-officer")
    assert 'data-kind="nonsite"' not in _client(other).get("/").content.decode()


def test_a_statement_submitted_online_waits_for_the_handler_until_the_case_moves(wim):
    post(wim, rec(60_000))
    case = services.wim_record_confirm(record_id=WimRecord.objects.get().pk, actor=wim.officer)
    outbox_send_due()
    sms = Delivery.objects.get(channel="sms")
    Client().post(sms.body[sms.body.index("/nonsite/q/") :], {"statement": "当日地磅显示未超限"})
    html = _client(wim.officer).get("/").content.decode()
    assert 'data-kind="statement"' in html and "处理当事人在线提交的陈述、申辩" in html
    assert f"/cases/{case.pk}/" in html
    chief = certified_person(
        "jtj-chief", wim.jtj, Role.SECTION_CHIEF, password_hash=make_password(PASSWORD)
    )
    assert 'data-kind="statement"' not in _client(chief).get("/").content.decode()
    case_act(
        case_id=case.pk, actor=chief, step="lead_approve", decision="file", data={"opinion": "立案"}
    )
    assert 'data-kind="statement"' not in _client(wim.officer).get("/").content.decode()
