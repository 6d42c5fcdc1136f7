"""The exchange format (数据汇聚): ``zhifa.case/1`` and ``zhifa.inspection/1`` JSON Lines.

See shared/exchange.md. Import is validated line by line (unknown fields are errors), idempotent
(key: unit code + case_no / inspection_no; a re-import replaces the imported record) and
all-or-nothing per batch. Export writes the same format back, so that export → import into an
empty database gives the same statistics forms.

Choices made here (the format leaves them open):
- An imported case gets ``imported=True``, status ``closed`` with step ``end`` when ``closed_on`` is
  given, otherwise status ``open`` with step ``execution`` when it holds a decision and
  ``investigation`` when it does not. Its ``discovered_on`` is its ``filed_on``.
- ``Case.handler`` is required: each unit gets one placeholder user ``import:<unit code>``
  (inactive, unusable password, no roles) that "handles" the unit's imported cases.
- A unit unknown to the platform is created (``imported=True``) under the government unit of the
  region ``unit.region`` names (``<region>-GOV``, created too when missing, under its parent
  region's). A matter unknown to the platform is created with ``imported=True``.
- The ledger is the platform's own record: imported cases get no per-case chain. Each committed
  batch appends one entry to the stream ``import:<first 32 hex of the batch's SM3>`` holding the
  SM3 of the batch's raw lines, the file name, the line range and the counts.
- A key that belongs to a case handled on the platform (``imported=False``) is an error: an import
  never overwrites the platform's own record.

Two ways to write (``import_lines(bulk=...)``, ``import_cases --bulk``): batch by batch, each its
own transaction, while the platform runs; or as a bulk load for a maintenance window, one
transaction with a savepoint per batch in which the case tables' secondary indexes and foreign keys
are dropped and rebuilt (see ``exchange.bulk._bulk_load``). The parser processes also turn their
batches into rows (COPY text on PostgreSQL, either way; parameter tuples for a SQLite bulk load);
the writer only resolves units, matters and handlers and streams them.

The modules, each importing only those before it: ``records`` (parse and validate lines),
``rows`` (resolve units, matters and handlers, replace keys, build rows into sinks), ``bulk`` (the
parser processes' rows, COPY, the bulk load's locks, indexes and foreign keys), ``load`` (the
import entry point, batches and transactions); ``export`` stands apart.
"""
