"""Batch actions of the review queues (违停, 超限): one action per selected record, each in its own
transaction (the services are atomic), so one record refused — reviewed meanwhile by a colleague,
out of scope, failing a guard — leaves the others done and itself unchanged, and the officer is
told which and why."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.http import Http404

from procedure.engine import Refused

# At most this many records in one batch: a page of the queue.
BATCH_MAX = 100


@dataclass
class BatchResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, list[str]]] = field(default_factory=list)

    def summary(self, verb: str) -> tuple[str, list[str]]:
        """(what was done, one line per record refused) in Chinese."""
        lines = [f"{label}：{'；'.join(reasons)}" for label, reasons in self.refused]
        return f"已{verb}{len(self.done)}条", lines


def run_batch(items: Iterable[tuple[str, Callable[[], Any]]]) -> BatchResult:
    result = BatchResult()
    for label, act in items:
        try:
            act()
        except Refused as exc:
            result.refused.append((label, list(exc.errors)))
        except Http404:
            result.refused.append((label, ["记录不存在或不在您的办理范围内"]))
        else:
            result.done.append(label)
    return result


def selected_ids(raw: Iterable[str]) -> list[int] | None:
    """The ids ticked in the queue, in order, without repeats; None when one is malformed or
    there are more than BATCH_MAX."""
    ids: list[int] = []
    for value in raw:
        if not value.isdigit() or len(value) > 18:
            return None
        n = int(value)
        if n not in ids:
            ids.append(n)
    return ids if len(ids) <= BATCH_MAX else None


def run_batch_by_id(ids: Iterable[int], act: Callable[[int], Any]) -> dict[str, Any]:
    """The API's batch: `act` on each id (repeats once), the answer cases.payloads.BatchOut."""
    result = run_batch((str(i), partial(act, i)) for i in dict.fromkeys(ids))
    return {
        "done": [int(label) for label in result.done],
        "refused": [{"id": int(label), "errors": errors} for label, errors in result.refused],
    }
