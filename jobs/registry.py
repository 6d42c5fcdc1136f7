"""The kinds of run a module registers (in its AppConfig.ready): what the worker does with one,
who may see one, where its page is and how its notice reads. The core never imports the module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from jobs.models import JobRun
    from orgs.models import User

Progress = Callable[[int, int], None]


class JobFailed(Exception):
    """The run's input is refused: every reason (by row and column) is kept on the run."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: str  # 导入检查对象名录, 导出统计报表, …
    #: carries the run out: records progress through the callable, sets the run's result
    #: (result_count, output_*) on the object; raises JobFailed when the input is refused.
    execute: Callable[[JobRun, Progress], None]
    #: the runs the user may see, as a filter on JobRun; None: none at all (404)
    scope: Callable[[User], Q | None]
    url: Callable[[JobRun], str]  # the run's page
    summary: Callable[[JobRun], str]  # the notice's text once the run has finished


_KINDS: dict[str, JobKind] = {}


def register_job(spec: JobKind) -> None:
    if spec.kind in _KINDS and _KINDS[spec.kind] != spec:
        raise ValueError(f"job kind {spec.kind} already registered")
    _KINDS[spec.kind] = spec


def job_kind(kind: str) -> JobKind:
    return _KINDS[kind]
