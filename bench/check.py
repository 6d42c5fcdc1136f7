"""What a run wrote: row counts per table, and one case's rows in a comparable form."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

TABLES = (
    "cases_case",
    "cases_party",
    "cases_evidence",
    "cases_decision",
    "cases_penaltyitem",
    "cases_numbersequence",
    "deadlines_deadline",
    "ledger_entry",
    "ledger_head",
    "coercion_enforcement",
    "notices_notice",
)
SEQUENCE_TOTAL = "cases_numbersequence.last (sum)"
FILES = "evidence files on disk"

# Columns that differ between two cases by construction: keys, clocks, hashes, 文号 serials.
_VOLATILE = {
    "id",
    "case_id",
    "party_id",
    "decision_id",
    "created_at",
    "updated_at",
    "stream",
    "at",
    "hash",
    "prev_hash",
    "file",
    "sha256",
    "sm3",
    "evidence_id",
    "id_number",  # each case's party is an organisation of its own (Art. 29)
    "id_number_index",  # and so its keyed index
    "subject",  # a notice's case, "case:<id>"
    "url",  # and the case's page
    "read_at",
}
_JSON = {"proposal", "notified", "response", "execution", "payload"}
_SERIAL = re.compile(r"〕\d+号")


def counts() -> dict[str, int]:
    out: dict[str, int] = {}
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cur:
        for table in (t for t in TABLES if t in existing):
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            out[table] = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(SUM(last), 0) FROM cases_numbersequence")
        out[SEQUENCE_TOTAL] = int(cur.fetchone()[0])
    media = Path(settings.MEDIA_ROOT) / "evidence"
    out[FILES] = sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0
    return out


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after}


def _norm(column: str, value: Any) -> Any:
    if column in _JSON and isinstance(value, str | bytes):
        value = json.loads(value)
    if isinstance(value, dict):
        return {k: _norm(k, v) for k, v in sorted(value.items()) if k not in _VOLATILE}
    if isinstance(value, list):
        return [_norm(column, v) for v in value]
    if isinstance(value, str):
        return _SERIAL.sub("〕#号", value)
    return str(value) if value is not None else None


def _rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        names = [c[0] for c in cur.description]
        rows = cur.fetchall()
    return [
        {n: _norm(n, v) for n, v in zip(names, row, strict=True) if n not in _VOLATILE}
        for row in rows
    ]


def fingerprint(case_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row the case's actions wrote, without the columns that differ by construction."""
    by_case = [case_id]
    return {
        "cases_case": _rows("SELECT * FROM cases_case WHERE id = %s", by_case),
        "cases_party": _rows(
            'SELECT * FROM cases_party WHERE case_id = %s ORDER BY "index"', by_case
        ),
        "cases_evidence": _rows("SELECT * FROM cases_evidence WHERE case_id = %s", by_case),
        "cases_decision": _rows("SELECT * FROM cases_decision WHERE case_id = %s", by_case),
        "cases_penaltyitem": _rows(
            "SELECT i.* FROM cases_penaltyitem i JOIN cases_decision d ON d.id = i.decision_id "
            "WHERE d.case_id = %s ORDER BY i.id",
            by_case,
        ),
        "deadlines_deadline": _rows(
            "SELECT *, party_id IS NOT NULL AS per_party FROM deadlines_deadline "
            "WHERE case_id = %s ORDER BY code",
            by_case,
        ),
        "ledger_entry": _rows(
            "SELECT * FROM ledger_entry WHERE stream = %s ORDER BY seq", [f"case:{case_id}"]
        ),
        "ledger_head": _rows("SELECT * FROM ledger_head WHERE stream = %s", [f"case:{case_id}"]),
        "coercion_enforcement": _rows(
            "SELECT * FROM coercion_enforcement WHERE case_id = %s ORDER BY id", by_case
        ),
        "notices_notice": _rows(
            "SELECT *, read_at IS NOT NULL AS was_read FROM notices_notice WHERE subject = %s "
            "ORDER BY occasion, user_id",
            [f"case:{case_id}"],
        ),
    }


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Human-readable differences between two fingerprints (empty: the same rows)."""
    out: list[str] = []
    for table in a:
        ra, rb = a[table], b[table]
        if len(ra) != len(rb):
            out.append(f"{table}: {len(ra)} rows vs {len(rb)}")
            continue
        for n, (x, y) in enumerate(zip(ra, rb, strict=True)):
            for col in sorted(set(x) | set(y)):
                if x.get(col) != y.get(col):
                    out.append(f"{table}[{n}].{col}: {x.get(col)!r} vs {y.get(col)!r}")
    return out
