"""Fixtures of the complaints module: a JPEG, and a complaint filed through the service."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from complaints.models import Complaint
from complaints.services import complaint_submit
from zhifa import clock


def jpeg(colour: str = "gray") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buf, "JPEG")
    return buf.getvalue()


def form(**over: Any) -> dict[str, Any]:
    data = {
        "facts": "某商铺占道经营，夜间噪声扰民",
        "place": "东昌府区柳园路88号",
        "happened_on": (clock.today()).isoformat(),
        "unit": "",
        "contact_name": "王小明",
        "contact_phone": "13912345678",
    }
    data.update(over)
    return data


@pytest.fixture
def file_one(org) -> Callable[..., Complaint]:
    """File a complaint addressed to 城管局 (or as given) through the service."""
    counter = iter(range(1, 10_000))

    def make(**over: Any) -> Complaint:
        data = form(**{"unit": str(org.cgj.pk), **over})
        data.setdefault("ip", f"10.0.0.{next(counter)}")
        return complaint_submit(**data)

    return make
