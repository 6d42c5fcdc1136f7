"""The maintenance switch of the append-only triggers (migration 0002), for tests only.

The test database is emptied between transactional tests by Django's flush (DELETE on SQLite,
TRUNCATE on PostgreSQL), which the triggers refuse; `allow_test_flush` lifts them around the
flush alone. Tests that play an attacker who owns the database (and so can lift the triggers)
use `ledger_maintenance` to forge rows; the application itself never does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def ledger_maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT set_config('zhifa.ledger_maintenance', 'on', false)")
        elif "ledger_maintenance" in conn.introspection.table_names(cursor):
            cursor.execute("INSERT INTO ledger_maintenance (reason) VALUES ('test')")
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                cursor.execute("SELECT set_config('zhifa.ledger_maintenance', 'off', false)")
            elif "ledger_maintenance" in conn.introspection.table_names(cursor):
                cursor.execute("DELETE FROM ledger_maintenance")


def allow_test_flush() -> None:
    """Let the test database's flush pass the triggers (called once by the root conftest)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original: Callable[[Any, list[str]], None] = BaseDatabaseOperations.execute_sql_flush
    if getattr(original, "ledger_maintenance", False):
        return

    def execute_sql_flush(self: Any, sql_list: list[str]) -> None:
        with ledger_maintenance(self.connection.alias):
            original(self, sql_list)

    execute_sql_flush.ledger_maintenance = True  # type: ignore[attr-defined]
    setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)  # noqa: B010
