"""pytest plugin for the Django part of the mutation run (scripts/mutation.sh, `-p`).

mutmut forks one process per mutant and runs pytest in it; two run at once. With one SQLite test
database file they would migrate and flush it under each other. The first, unmutated run creates
the database and keeps it (`--reuse-db`); each mutant's process then works on its own copy,
removed when its pytest ends.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

_own_copy: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _own_copy
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return  # the stats, clean and forced-fail runs use the shared database
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = database.setdefault("TEST", {})
    shared = Path(test.get("NAME") or "")
    if not shared.name:
        return
    _own_copy = shared.with_name(f"{shared.name}.{os.getpid()}")
    for suffix in ("", "-wal"):  # the WAL holds what the last run has not checkpointed
        if Path(f"{shared}{suffix}").exists():
            shutil.copyfile(f"{shared}{suffix}", f"{_own_copy}{suffix}")
    test["NAME"] = str(_own_copy)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _own_copy is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{_own_copy}{suffix}").unlink(missing_ok=True)
