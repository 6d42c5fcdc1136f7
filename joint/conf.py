"""Settings of the joint-enforcement module, from the environment (see .env.example entries in
the report): the window the owner has to drive away and the first-offence look-back period."""

from __future__ import annotations

import datetime as dt

from zhifa.env import envint, envstr


def window() -> dt.timedelta:
    """城警联动: the owner is told by SMS and has this long to drive away (seed 002: 10 minutes)."""
    return dt.timedelta(minutes=envint("JOINT_WINDOW_MINUTES", 10))


def first_offence_period() -> dt.timedelta:
    """免罚轻罚清单 首违: a plate is a first offender when no report of it ended in a penalty or a
    warning within this many days (a local policy figure, not a statutory one: configurable)."""
    return dt.timedelta(days=envint("JOINT_FIRST_OFFENCE_DAYS", 365))


def public_base_url() -> str:
    """Where the owners' links in the SMS point (the platform's public address)."""
    return envstr("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
