"""Importing the exchange format: ``import_lines`` reads JSON Lines in batches, each written in
its own transaction (on line) or under a savepoint of one bulk load, and ledgers each batch.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction

from exchange.bulk import (
    _IMPORTED_MODELS,
    BulkLockError,
    _Bulk,
    _bulk_load,
    _copy_specs,
    _Counters,
    _loading,
    _prepare_batch,
    _Prepared,
    _row_specs,
    _SequenceIds,
    _sequences_next,
    _sequences_past,
    _sqlite_next,
    _write_prepared,
)
from exchange.records import CaseRec, InspectionRec, Parsed, RecordError, _parse_batch
from exchange.rows import ImportReport, _Resolver, _write_rows
from ledger.services import SYSTEM_ACTOR, ledger_append

__all__ = [
    "DEFAULT_BATCH",
    "BulkLockError",
    "ImportReport",
    "RecordError",
    "import_lines",
    "open_text",
]

DEFAULT_BATCH = 10_000


def _write_batch(
    lines: list[tuple[int, str]],
    parsed: Parsed | _Prepared,
    res: _Resolver,
    report: ImportReport,
    source: str,
) -> None:
    if isinstance(parsed, _Prepared):
        sm3, case_count, insp_count = parsed.sm3, parsed.case_count, parsed.inspection_count
    else:
        recs, sm3 = parsed
        case_recs = [r for r in recs if isinstance(r, CaseRec)]
        insp_recs = [r for r in recs if isinstance(r, InspectionRec)]
        case_count, insp_count = len(case_recs), len(insp_recs)
    with transaction.atomic():
        units_before = dict(res.units)
        try:
            if isinstance(parsed, _Prepared):
                replaced = _write_prepared(parsed, res)
            else:
                replaced = _write_rows(case_recs, insp_recs, res)
            ledger_append(
                stream=f"import:{sm3[:32]}",
                action="case_import",
                payload={
                    "source": source,
                    "lines": [lines[0][0], lines[-1][0]],
                    "sm3": sm3,
                    "cases": case_count,
                    "inspections": insp_count,
                    "replaced": replaced,
                },
                actor_id=None,
                actor_name=SYSTEM_ACTOR,
                role="import",
            )
        except BaseException:
            # Units, matters and handlers created in this batch are rolled back with it.
            res.units = units_before
            res.matters.clear()
            res.handlers.clear()
            res.fresh.clear()
            res.had_cases = None
            raise
    report.cases += case_count
    report.inspections += insp_count
    report.replaced += replaced
    report.batches += 1
    report.lines += len(lines)


def _batches(lines: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for n, raw in enumerate(lines, start=1):
        text = raw.rstrip("\r\n")
        if not text.strip():
            continue
        batch.append((n, text))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _parsed(
    lines: Iterable[str],
    batch_size: int,
    workers: int,
    prepare: Callable[[list[tuple[int, str]], int], Any] = _parse_batch,
) -> Iterator[tuple[list[tuple[int, str]], Any]]:
    """The file's batches in order, each with its parse; with ``workers`` > 1 parsed in that many
    processes ahead of the writer (at most two batches per worker in flight)."""
    if workers <= 1:
        for k, batch in enumerate(_batches(lines, batch_size)):
            yield batch, prepare(batch, k)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[tuple[list[tuple[int, str]], Future[Any]]] = deque()
        for k, batch in enumerate(_batches(lines, batch_size)):
            pending.append((batch, pool.submit(prepare, batch, k)))
            if len(pending) >= 2 * workers:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def import_lines(
    lines: Iterable[str],
    *,
    batch_size: int = DEFAULT_BATCH,
    source: str = "-",
    workers: int = 1,
    bulk: bool = False,
) -> ImportReport:
    """Import JSON Lines; batches before a bad one stay, the bad one raises RecordError.

    With ``workers`` > 1, batches are parsed and validated in that many processes while this one
    writes them, in file order.

    ``bulk`` loads the way pg_restore does, for large loads into a platform that can be taken off
    line meanwhile (the initial load of a city's history, the province's 数据汇聚): the whole import
    is one transaction with a savepoint per batch; the case tables' secondary indexes and foreign
    keys are dropped at the start and re-created, as they were, at the end. Other sessions cannot
    read or write cases until it commits. The outcome is the same as without it: batches before a
    bad one stay, nothing of the bad one does; a crash or an interrupt leaves nothing at all.
    """
    report = ImportReport()
    res = _Resolver(report)
    if not bulk and (connection.vendor != "postgresql" or workers <= 1):
        for batch, parsed in _parsed(lines, batch_size, workers):
            _write_batch(batch, parsed, res, report, source)
        return report
    if not bulk:
        # On line on PostgreSQL with parser processes: each batch its own transaction, the COPY
        # data built beside the parsing as in a bulk load, ids drawn from the sequences.
        ids = _SequenceIds()
        try:
            with _loading(_Bulk(copy=True, copy_specs=_copy_specs(), row_specs={}, counters=ids)):
                for batch, parsed in _parsed(lines, batch_size, workers, _prepare_batch):
                    _write_batch(batch, parsed, res, report, source)
        finally:
            ids.close()
        return report
    failure: RecordError | None = None
    res.prime()
    with transaction.atomic(), _bulk_load(_IMPORTED_MODELS, report):
        copy = connection.vendor == "postgresql"
        state = _Bulk(
            copy=copy,
            copy_specs=_copy_specs() if copy else {},
            row_specs={} if copy else _row_specs(),
            counters=_Counters(_sequences_next() if copy else _sqlite_next()),
        )
        counters = state.counters
        with _loading(state):
            try:
                for batch, parsed in _parsed(lines, batch_size, workers, _prepare_batch):
                    _write_batch(batch, parsed, res, report, source)  # a savepoint each
            except RecordError as exc:
                failure = exc  # its batch is rolled back to its savepoint; commit the ones before
        # Reached only when the load commits (any other exception rolls it all back, and an
        # aborted transaction would refuse the statement and hide the exception).
        if copy and isinstance(counters, _Counters):
            _sequences_past(counters)
    if failure is not None:
        raise failure
    return report


def open_text(path: str) -> IO[str]:
    """A file path ('.gz' decompressed) or '-' for standard input, as UTF-8 text."""
    import sys

    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return Path(path).open(encoding="utf-8")
