"""The platform's clock. Tests may set it (the clock is outside the process, DESIGN.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[None]:
    """Freeze `now()` (an aware datetime) for the duration of the block."""
    global _frozen
    saved, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = saved


def set_now(moment: dt.datetime | None) -> None:
    global _frozen
    _frozen = moment
