from __future__ import annotations

import datetime as dt
from collections import deque

import pytest
from django.db import transaction

from conftest import move
from ledger.models import Entry
from outbox.gateways import LocalGateway, gateway_set
from outbox.models import Delivery, OutboxMessage
from outbox.services import MAX_ATTEMPTS, backoff, outbox_enqueue, outbox_send_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(frozen) -> LocalGateway:
    gw = LocalGateway("sms", deque())
    gateway_set("sms", gw)
    return gw


def enqueue(key: str = "k1") -> OutboxMessage:
    with transaction.atomic():
        return outbox_enqueue(
            channel="sms",
            kind="test",
            recipient="13900000009",
            key=key,
            body="你好",
            stream="test:1",
        )


def test_backoff_doubles_from_thirty_seconds_and_stops_at_an_hour():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(12) == dt.timedelta(hours=1)


def test_the_same_key_queues_one_message(sms):
    assert enqueue().pk == enqueue().pk
    assert OutboxMessage.objects.count() == 1


def test_a_message_that_always_fails_is_given_up_after_the_last_attempt_and_recorded(sms):
    enqueue()
    sms.fail_next(*["refuse"] * MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        outbox_send_due()
        move(hours=1)
    m = OutboxMessage.objects.get()
    assert (m.status, m.attempts) == ("dead", MAX_ATTEMPTS) and "拒绝" in m.last_error
    assert outbox_send_due() == {"sent": 0, "retried": 0, "dead": 0}
    actions = list(
        Entry.objects.filter(stream="test:1").order_by("seq").values_list("action", flat=True)
    )
    assert actions.count("outbox_attempt_failed") == MAX_ATTEMPTS - 1
    assert actions[-1] == "outbox_given_up"
    assert not Delivery.objects.exists()


def test_a_gateway_that_raises_something_unexpected_does_not_stop_the_loop(sms):
    class Broken:
        def send(self, message):
            raise RuntimeError("boom")

    gateway_set("sms", Broken())
    enqueue("a")
    enqueue("b")
    assert outbox_send_due()["retried"] == 2
    gateway_set("sms", sms)
    move(minutes=1)
    assert outbox_send_due()["sent"] == 2
