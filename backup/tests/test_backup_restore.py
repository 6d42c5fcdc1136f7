"""`manage.py backup` then `manage.py restore` into a fresh database, on the vendor the suite runs
on (SQLite by default; PostgreSQL with DATABASE_URL, the target then named after the source with
`_dst` for `_src`). The restore runs as its own process against the fresh target, as an operator
would run it on the new machine."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from backup.archive import MANIFEST, archives
from cases.tests.flow import advance, register
from ledger.models import Checkpoint
from ledger.services import ledger_checkpoint

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _heads(cursor: Any) -> list[tuple[str, int, str]]:
    cursor.execute("SELECT stream, seq, hash FROM ledger_head")
    return sorted((s, int(q), h) for s, q, h in cursor.fetchall())


def _files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@dataclass
class Target:
    """A fresh database and var directory of the vendor under test, reached by `manage.py`."""

    url: str
    var: Path
    key: Path
    sqlite_file: Path | None = None
    pg_params: dict[str, Any] | None = None

    @property
    def media(self) -> Path:
        return self.var / "media"

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "ZHIFA_VAR_DIR": str(self.var),
            "LEDGER_SIGNING_KEY_FILE": str(self.key),
            "SECRET_KEY": "restore-test-" + "k" * 50,
        }
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    def cursor(self) -> Any:
        if self.sqlite_file is not None:
            return sqlite3.connect(self.sqlite_file).cursor()
        assert self.pg_params is not None
        return psycopg.connect(**self.pg_params, autocommit=True).cursor()

    def tables(self) -> list[str]:
        cursor = self.cursor()
        if self.sqlite_file is not None:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return sorted(n for (n,) in cursor.fetchall() if not n.startswith("sqlite_"))
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return sorted(n for (n,) in cursor.fetchall())


def _pg_params(name: str) -> dict[str, Any]:
    s = connection.settings_dict
    params = {"dbname": name, "user": s["USER"], "host": s["HOST"] or None}
    if s["PORT"]:
        params["port"] = int(s["PORT"])
    if s["PASSWORD"]:
        params["password"] = s["PASSWORD"]
    return params


@pytest.fixture
def target(tmp_path, settings) -> Iterator[Target]:
    var = tmp_path / "restored"
    var.mkdir()
    key = Path(settings.LEDGER_SIGNING_KEY_FILE)
    if connection.vendor == "sqlite":
        file = var / "zhifa.sqlite3"
        yield Target(f"sqlite:///{file}", var, key, sqlite_file=file)
        return
    source = re.sub(r"^test_", "", connection.settings_dict["NAME"])
    name = re.sub(r"_src$", "", source) + "_dst"
    admin = psycopg.connect(**_pg_params("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    url = f"postgres://{auth}@{s['HOST']}:{s['PORT'] or 5432}/{name}"
    try:
        yield Target(url, var, key, pg_params=_pg_params(name))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def history(org, settings, tmp_path):
    """Two cases (one with an evidence photo), a signed checkpoint, one entry after it and a
    file with a Chinese name in MEDIA_ROOT."""
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "keys" / "ledger_sm2.key"
    first = advance(org, register(org), until="investigation_report")
    ledger_checkpoint()
    second = advance(org, register(org), until="lead_approve")
    document = Path(settings.MEDIA_ROOT) / "documents" / "2025" / "03" / "处罚决定书.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.7 decision " * 100)
    return first, second


def _backup(tmp_path: Path, *args: str) -> Path:
    call_command("backup", "--dir", str(tmp_path / "backups"), *args, stdout=io.StringIO())
    return archives(tmp_path / "backups")[-1]


def _source() -> tuple[dict[str, int], list[tuple[str, int, str]]]:
    with connection.cursor() as cursor:
        return _rows(cursor, connection.introspection.table_names(cursor)), _heads(cursor)


def _rewrite(archive: Path, change: dict[str, bytes]) -> None:
    """Write the archive again with some members' contents replaced."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar]
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            data = change.get(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def _evidence_member(archive: Path) -> str:
    with tarfile.open(archive) as tar:
        return next(n for n in tar.getnames() if n.startswith("media/evidence/"))


def test_a_backup_restored_into_a_fresh_database_gives_the_same_rows_ledger_heads_and_files(
    history, tmp_path, settings, target
):
    archive = _backup(tmp_path)
    rows, heads = _source()

    done = target.manage("restore", str(archive))

    assert done.returncode == 0, done.stderr
    assert "全过程记录校验（ledger verify）通过" in done.stdout
    cursor = target.cursor()
    assert _rows(cursor, target.tables()) == rows
    assert rows["cases_case"] == 2 and rows["ledger_checkpoint"] == 1
    assert _heads(cursor) == heads
    restored = _files(target.media)
    assert restored == _files(Path(settings.MEDIA_ROOT))
    assert "documents/2025/03/处罚决定书.pdf" in restored
    assert any(name.startswith("evidence/") for name in restored)


def test_the_manifest_names_the_vendor_migrations_checkpoint_and_every_part(history, tmp_path):
    archive = _backup(tmp_path)

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    assert manifest["vendor"] == connection.vendor
    assert manifest["migrations"]["ledger"].startswith("00")
    latest = Checkpoint.objects.order_by("-id").first()
    assert latest is not None and latest.merkle_root
    assert manifest["ledger"]["checkpoint"] == {
        "id": latest.pk,
        "hash": latest.hash,
        "merkle_root": latest.merkle_root,
    }
    assert manifest["files"] == 2
    assert sorted(p["name"] for p in manifest["parts"]) == sorted(
        n for n in names if n not in {MANIFEST, "manifest.sig"}
    )
    assert not any("key" in n or "secret" in n for n in names)


def test_an_archive_with_one_altered_file_is_refused_and_the_target_stays_empty(
    history, tmp_path, target
):
    archive = _backup(tmp_path)
    evidence = _evidence_member(archive)
    _rewrite(archive, {evidence: b"\xff\xd8\xff\xe0 another photo"})

    done = target.manage("restore", str(archive))

    assert done.returncode != 0
    assert f"SHA-256 与清单不符：{evidence}" in done.stderr
    assert target.tables() == []
    assert _files(target.media) == {}


def test_a_manifest_rewritten_to_match_a_changed_file_is_refused_by_its_signature(
    history, tmp_path
):
    archive = _backup(tmp_path)
    evidence = _evidence_member(archive)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    forged = b"\xff\xd8\xff\xe0 another photo"
    for part in manifest["parts"]:
        if part["name"] == evidence:
            part.update(size=len(forged), sha256=hashlib.sha256(forged).hexdigest())
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    _rewrite(archive, {evidence: forged, MANIFEST: body})

    with pytest.raises(CommandError, match="清单的签名不符"):
        call_command("restore", "--verify-only", str(archive))


def test_a_non_empty_database_is_refused_without_force_and_keeps_its_rows(
    history, tmp_path, settings
):
    archive = _backup(tmp_path)
    call_command("restore", "--verify-only", str(archive), stdout=io.StringIO())
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    rows, heads = _source()

    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(archive))

    assert _source() == (rows, heads)
    assert _files(settings.MEDIA_ROOT) == {}


def test_keep_leaves_the_newest_archives_and_removes_the_older(history, tmp_path):
    made = [_backup(tmp_path) for _ in range(3)]

    newest = _backup(tmp_path, "--keep", "2")

    assert archives(tmp_path / "backups") == [made[-1], newest]


def test_a_second_restore_is_refused_and_with_force_replaces_the_database_and_sets_files_aside(
    history, tmp_path, settings, target
):
    archive = _backup(tmp_path)
    rows, heads = _source()
    assert target.manage("restore", str(archive)).returncode == 0
    (target.media / "left-over.txt").write_bytes(b"written after the restore")

    refused = target.manage("restore", str(archive))
    assert refused.returncode != 0 and "目标数据库不是空的" in refused.stderr

    done = target.manage("restore", "--force", str(archive))
    assert done.returncode == 0, done.stderr
    assert "全过程记录校验（ledger verify）通过" in done.stdout
    assert _rows(target.cursor(), target.tables()) == rows
    assert _heads(target.cursor()) == heads
    assert _files(target.media) == _files(Path(settings.MEDIA_ROOT))
    (aside,) = [p for p in target.var.iterdir() if p.name.startswith("media.before-restore-")]
    assert (aside / "left-over.txt").exists()


def test_a_restore_of_a_case_changed_behind_its_record_reports_the_case_and_fails(
    history, tmp_path, target
):
    first, _ = history
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET step = 'closing_approve' WHERE id = %s", [first.pk])
    archive = _backup(tmp_path)

    done = target.manage("restore", str(archive))

    assert done.returncode != 0
    assert "全过程记录校验失败" in done.stderr and (first.case_no or first.lead_no) in done.stderr
    assert "行数与清单一致" in done.stdout


def test_archives_kept_under_media_root_are_not_archived_again(history, settings):
    kept = Path(settings.MEDIA_ROOT) / "backups"
    for _ in range(2):
        call_command("backup", "--dir", str(kept), stdout=io.StringIO())

    with tarfile.open(archives(kept)[-1]) as tar:
        names = tar.getnames()
    assert not [n for n in names if n.startswith("media/backups/")]
    assert "media/documents/2025/03/处罚决定书.pdf" in names
