"""Settings of the joint-enforcement module (zhifa/settings.py, .env.example): the window the
owner has to drive away, the first-offence look-back period and the public address."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def window() -> dt.timedelta:
    """城警联动: the owner is told by SMS and has this long to drive away (seed 002: 10 minutes)."""
    return dt.timedelta(minutes=settings.JOINT_WINDOW_MINUTES)


def first_offence_period() -> dt.timedelta:
    """免罚轻罚清单 首违: a plate is a first offender when no report of it ended in a penalty or a
    warning within this many days (a local policy figure, not a statutory one: configurable)."""
    return dt.timedelta(days=settings.JOINT_FIRST_OFFENCE_DAYS)


def public_base_url() -> str:
    """Where the owners' links in the SMS point (the platform's public address)."""
    return str(settings.PUBLIC_BASE_URL)
