"""What waits for an officer besides the case steps: the 待办's other kinds, registered by the
apps that own them from their `AppConfig.ready()`.

The core never imports a module (README, "What may import what"); a module that has something
waiting for someone (a measure to approve, a matter to answer, records to review) registers a
reader here, and the 待办 page merges what every reader returns with the case steps, sorted by
limit then age. A reader returns the items waiting for `user` working as `role` (nothing for a
role that has none), at most `TODO_CAP` of them; a queue of many like records (违停, 超限) is one
item with its `count` and the link to the queue rather than a row per record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgs.models import User
    from procedure.roles import Role

# The most items one reader lists (a longer backlog is a queue: count and link).
TODO_CAP = 100
# A queue's count stops here ("1000+"): a million records are never counted.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting: its kind (a registered code), what it is about (`subject`), what is
    asked, where it is done (`url`), its limit (`due`), since when it waits (`since`, the age),
    how many records stand behind it (`count`, a queue) and a note (a return's who and why)."""

    kind: str
    subject: str
    asked: str
    url: str
    due: dt.date | None = None
    since: dt.date | None = None
    count: int = 1
    note: str = ""


Reader = Callable[["User", "Role"], list[TodoItem]]


@dataclass(frozen=True)
class TodoKind:
    code: str
    label: str
    read: Reader


_KINDS: dict[str, TodoKind] = {}


def register_todo(code: str, label: str, read: Reader) -> None:
    """List what `read(user, role)` returns in the 待办 under `label` (idempotent per code)."""
    known = _KINDS.get(code)
    if known is not None and known.read is not read:
        raise ValueError(f"the 待办 already has a kind {code}")
    _KINDS[code] = TodoKind(code, label, read)


def todo_kinds() -> tuple[TodoKind, ...]:
    return tuple(_KINDS.values())


def todo_items(user: User, role: Role) -> list[TodoItem]:
    """Every registered kind's items for `user` working as `role`, each reader capped."""
    items: list[TodoItem] = []
    for kind in _KINDS.values():
        items.extend(kind.read(user, role)[:TODO_CAP])
    return items
