"""Gateways: how a channel's messages leave the platform.

A real deployment plugs in the operator's SMS gateway and the 公安交管集成指挥平台 client behind
the same `Gateway` protocol. The local gateways record what they would deliver in the Delivery
table (the demo shows it; tests read it) and can be told to fail or time out, the two ways the
real ones fail.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import IntegrityError, transaction

from outbox.models import Delivery
from zhifa import clock


class GatewayError(Exception):
    """The other side refused the message (or answered with an error)."""


class GatewayTimeout(GatewayError):
    """No answer in time: the message may or may not have arrived (retry with the same key)."""


@dataclass(frozen=True)
class Outgoing:
    channel: str
    recipient: str
    body: str
    payload: dict[str, Any]
    idempotency_key: str


class Gateway(Protocol):
    def send(self, message: Outgoing) -> str:
        """Deliver the message; return the other side's receipt. Raise GatewayError on failure."""
        ...


@dataclass
class LocalGateway:
    """Records deliveries in the database, idempotent by key; scripted faults for tests/demo.

    `faults` holds what the next sends do: "refuse" (an error answer), "timeout" (no answer), or
    "timeout_after_delivery" (delivered, but the answer is lost: the retry must not duplicate).
    """

    channel: str
    faults: deque[str] = field(default_factory=deque)

    def fail_next(self, *modes: str) -> None:
        self.faults.extend(modes)

    def send(self, message: Outgoing) -> str:
        mode = self.faults.popleft() if self.faults else ""
        if mode == "refuse":
            raise GatewayError("对方平台拒绝接收（本地网关模拟）")
        if mode == "timeout":
            raise GatewayTimeout("对方平台无应答（本地网关模拟超时）")
        receipt = self._record(message)
        if mode == "timeout_after_delivery":
            raise GatewayTimeout("对方平台已接收但应答丢失（本地网关模拟）")
        return receipt

    def _record(self, message: Outgoing) -> str:
        try:
            with transaction.atomic():
                row = Delivery.objects.create(
                    channel=message.channel,
                    idempotency_key=message.idempotency_key,
                    recipient=message.recipient,
                    body=message.body,
                    payload=message.payload,
                    delivered_at=clock.now(),
                )
        except IntegrityError:
            row = Delivery.objects.get(
                channel=message.channel, idempotency_key=message.idempotency_key
            )
        return f"{message.channel}-{row.pk}"


_GATEWAYS: dict[str, Gateway] = {}


def gateway_for(channel: str) -> Gateway:
    if channel not in _GATEWAYS:
        _GATEWAYS[channel] = LocalGateway(channel)
    return _GATEWAYS[channel]


def gateway_set(channel: str, gateway: Gateway) -> None:
    """Install a channel's gateway (a deployment's real client, or a test's)."""
    _GATEWAYS[channel] = gateway
