"""Values of a page's query string (filters) and a form's date fields, read leniently: a value
that does not parse is no value (no filter, or the form's own "请填写" on its field), never an
error page."""

from __future__ import annotations

import datetime as dt

# A filter date outside these years is no date any record of the platform holds.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def query_day(raw: str | None) -> dt.date | None:
    """A YYYY-MM-DD filter, or None when it is empty, malformed or outside EARLIEST–LATEST."""
    try:
        day = dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None
