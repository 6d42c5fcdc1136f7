"""数据备份恢复 (GB/T 22239-2019 8.1.4.11): one tar archive holds the database and MEDIA_ROOT.

The archive's members: the database (`database.pgdump`, pg_dump's custom format, or
`database.sqlite3`, a copy by SQLite's online backup API), every file of MEDIA_ROOT under
`media/`, then `manifest.json` (time, database vendor, migration heads, row count of every table,
the ledger's heads and latest checkpoint, and the size and SHA-256 of every other member) and,
where the platform has its SM2 key, `manifest.sig`, the manifest signed with it. The keys are
never in the archive: the SM2 key file and the secret key are backed up apart.

Restoring checks the whole archive before it changes anything: every member's hash against the
manifest, the manifest's signature, the vendor; it restores into an empty database and an empty
MEDIA_ROOT only (unless forced), then verifies the ledger (with the checks the apps register,
the case projection among them) and compares the restored rows with the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from ledger import signing
from ledger.services import ledger_verify

FORMAT = "zhifa.backup/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MEDIA = "media/"
DATABASE_PARTS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ARCHIVE_NAME = re.compile(r"^zhifa-\d{8}T\d{6}\.\d{6}Z\.tar$")
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
CHUNK = 1024 * 1024


class BackupRefused(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


@dataclass
class Made:
    path: Path
    manifest: dict[str, Any]
    removed: list[Path]


@dataclass
class Restored:
    manifest: dict[str, Any]
    report: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def backup_dir() -> Path:
    return Path(settings.ZHIFA_BACKUP_DIR)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _facts(cursor: Any, tables: Iterable[str]) -> dict[str, Any]:
    """What the manifest says of a database and a restore compares: the latest migration of each
    app, each table's rows, the ledger's heads (their SHA-256 over `stream seq hash` lines in
    byte order) and its latest checkpoint."""
    tables = sorted(tables)
    rows = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        rows[table] = int(cursor.fetchone()[0])
    migrations: dict[str, str] = {}
    if "django_migrations" in rows:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            migrations[app] = max(migrations.get(app, ""), name)
    heads = hashlib.sha256()
    streams = 0
    if "ledger_head" in rows:
        cursor.execute("SELECT stream, seq, hash FROM ledger_head")
        lines = sorted((str(s).encode(), int(q), str(h)) for s, q, h in cursor.fetchall())
        for stream, seq, digest in lines:
            heads.update(stream + f" {seq} {digest}\n".encode())
        streams = len(lines)
    checkpoint = None
    if "ledger_checkpoint" in rows:
        cursor.execute(
            "SELECT id, hash, merkle_root FROM ledger_checkpoint ORDER BY id DESC LIMIT 1"
        )
        last = cursor.fetchone()
        if last is not None:
            checkpoint = {"id": int(last[0]), "hash": last[1], "merkle_root": last[2]}
    return {
        "migrations": dict(sorted(migrations.items())),
        "rows": rows,
        "ledger": {
            "entries": rows.get("ledger_entry", 0),
            "streams": streams,
            "heads_sha256": heads.hexdigest(),
            "checkpoint": checkpoint,
        },
    }


def _sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class _Hashing:
    """A file read through tarfile while its SHA-256 is taken."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """pg_dump / pg_restore with the connection of DATABASES['default'] (Django's own reading
    of the settings for psql: user, host, port, password and SSL in the environment)."""
    params = connection.settings_dict
    args, env = connection.client.settings_to_cmd_args_env(params, [])
    name = params.get("NAME") or ""
    options = args[1:]
    if name and options and options[-1] == name:  # psql's positional database name
        options = options[:-1]
    return [program, "--no-password", *options, f"--dbname={name}"], {
        **os.environ,
        **(env or {}),
    }


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupRefused(f"{command[0]} 失败（退出码 {done.returncode}）：" + " / ".join(said))


def _snapshot_postgres(target: Path) -> dict[str, Any]:
    """pg_dump in the snapshot the manifest's facts were read in, so both tell the same instant."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = _facts(cursor, connection.introspection.table_names(cursor))
        command, env = _pg_command("pg_dump")
        _run([*command, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], env)
    return facts


def _snapshot_sqlite(target: Path) -> dict[str, Any]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        # One self-contained file: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [n for (n,) in cursor.fetchall() if not n.startswith("sqlite_")]
        return _facts(cursor, tables)
    finally:
        copy.close()


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under MEDIA_ROOT, in name order; links are not followed."""
    if not root.is_dir():
        return
    for here, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(here) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def create(directory: Path | None = None, *, keep: int | None = None) -> Made:
    """Write one archive into `directory` (ZHIFA_BACKUP_DIR), then keep the `keep` newest."""
    if connection.in_atomic_block:
        raise BackupRefused("备份不能在数据库事务中进行")
    vendor = connection.vendor
    if vendor not in DATABASE_PARTS:
        raise BackupRefused(f"不支持的数据库：{vendor}")
    if keep is not None and keep < 1:
        raise BackupRefused("--keep 至少为 1")
    directory = directory or backup_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = dt.datetime.now(dt.UTC)
    work = Path(tempfile.mkdtemp(prefix=".zhifa-partial-", dir=directory))
    try:
        part = DATABASE_PARTS[vendor]
        dumped = work / part
        facts = _snapshot_postgres(dumped) if vendor == "postgresql" else _snapshot_sqlite(dumped)
        size, digest = _sha256(dumped)
        parts = [{"name": part, "size": size, "sha256": digest}]
        archive = work / "archive.tar"
        with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(dumped, arcname=part)
            for path, rel in _media_files(Path(settings.MEDIA_ROOT)):
                if path.resolve().is_relative_to(directory.resolve()):
                    continue  # archives kept under MEDIA_ROOT are not archived again
                try:
                    info = tar.gettarinfo(path, arcname=MEDIA + rel)
                    fh = path.open("rb")
                except FileNotFoundError:
                    continue  # deleted since the walk (a file whose row went before the snapshot)
                with fh:
                    reader = _Hashing(fh)
                    tar.addfile(info, reader)
                parts.append(
                    {"name": info.name, "size": info.size, "sha256": reader.digest.hexdigest()}
                )
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "vendor": vendor,
                "database": part,
                **facts,
                "files": len(parts) - 1,
                "parts": parts,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            _add_bytes(tar, MANIFEST, body, now)
            if signing.public_key() is not None:
                _add_bytes(tar, SIGNATURE, signing.sign(body).encode(), now)
        os.chmod(archive, 0o600)
        final = directory / f"zhifa-{now:%Y%m%dT%H%M%S.%f}Z.tar"
        os.replace(archive, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    removed = prune(directory, keep) if keep is not None else []
    return Made(final, manifest, removed)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, now: dt.datetime) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(now.timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def archives(directory: Path) -> list[Path]:
    """The archives `create` wrote into a directory, oldest first (their names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if ARCHIVE_NAME.match(p.name) and p.is_file())


def prune(directory: Path, keep: int) -> list[Path]:
    old = archives(directory)[:-keep]
    for path in old:
        path.unlink()
    return old


# Restoring.


def _member_path(name: str, database: set[str]) -> PurePosixPath:
    """A member's name as a safe relative path: the database part or a file under media/."""
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or any(p in {"", ".", ".."} for p in name.split("/"))
        or "\\" in name
        or "\x00" in name
    ):
        raise BackupRefused(f"归档中有不安全的路径：{name!r}")
    if name not in database and not (name.startswith(MEDIA) and len(path.parts) > 1):
        raise BackupRefused(f"归档中有清单之外的成员：{name}")
    return path


def _stage(archive: Path, staging: Path, *, allow_unsigned: bool = False) -> dict[str, Any]:
    """Unpack the archive into `staging`, hashing each member as it is written, and check it
    whole against its manifest and signature; returns the manifest. Nothing outside `staging`
    changes."""
    seen: dict[str, tuple[int, str]] = {}
    manifest_body = signature = None
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                name = member.name
                if name in seen or (name == MANIFEST and manifest_body is not None):
                    raise BackupRefused(f"归档中成员重复：{name}")
                if not member.isfile():
                    raise BackupRefused(f"归档中有非普通文件的成员：{name}")
                source = tar.extractfile(member)
                assert source is not None
                if name in {MANIFEST, SIGNATURE}:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise BackupRefused(f"{name} 过大")
                    data = source.read()
                    if name == MANIFEST:
                        manifest_body = data
                    else:
                        signature = data
                    continue
                rel = _member_path(name, set(DATABASE_PARTS.values()))
                target = staging.joinpath(*rel.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("xb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                seen[name] = (member.size, digest.hexdigest())
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupRefused(f"归档无法读取或已损坏：{exc}") from exc
    if manifest_body is None:
        raise BackupRefused(f"归档中没有 {MANIFEST}：不是本平台的备份")
    try:
        manifest = json.loads(manifest_body)
    except ValueError as exc:
        raise BackupRefused(f"{MANIFEST} 不是有效的 JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{MANIFEST} 的格式不是 {FORMAT}")
    _check_signature(manifest_body, signature, allow_unsigned=allow_unsigned)
    listed: dict[str, tuple[int, str]] = {}
    for part in manifest.get("parts") or []:
        listed[str(part["name"])] = (int(part["size"]), str(part["sha256"]))
    if manifest.get("database") not in listed:
        raise BackupRefused("清单未列出数据库部分")
    for name in sorted(set(listed) | set(seen)):
        if name not in seen:
            raise BackupRefused(f"归档缺少清单列出的成员：{name}")
        if name not in listed:
            raise BackupRefused(f"归档中有清单之外的成员：{name}")
        if seen[name] != listed[name]:
            raise BackupRefused(f"SHA-256 与清单不符：{name}（归档被改动或损坏）")
    return manifest


def _check_signature(body: bytes, signature: bytes | None, *, allow_unsigned: bool) -> None:
    public = signing.public_key()
    if signature is None:
        if public is not None and not allow_unsigned:
            raise BackupRefused(
                "归档的清单未签名，而本机有签名密钥：无法确认归档出自本平台（确需恢复时加 --force）"
            )
        return
    if public is None:
        raise BackupRefused(
            f"归档的清单已签名，但找不到签名密钥文件 {signing.key_file()}：请先恢复密钥文件"
        )
    if not signing.verify(body, signature.decode("ascii", "replace").strip(), public):
        raise BackupRefused("清单的签名不符：归档被改动，或不是用本机的签名密钥备份的")


def verify_archive(archive: Path) -> dict[str, Any]:
    """Check an archive whole (hashes, signature) without restoring anything."""
    staging = Path(tempfile.mkdtemp(prefix=".zhifa-verify-", dir=archive.parent))
    try:
        return _stage(archive, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _database_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _media_empty(root: Path) -> bool:
    return next(_media_files(root), None) is None


def restore(archive: Path, *, force: bool = False) -> Restored:
    """Restore an archive into the configured database and MEDIA_ROOT, then check them."""
    if connection.in_atomic_block:
        raise BackupRefused("恢复不能在数据库事务中进行")
    if not archive.is_file():
        raise BackupRefused(f"找不到归档：{archive}")
    media = Path(settings.MEDIA_ROOT)
    if not force and not _database_empty():
        raise BackupRefused(
            "目标数据库不是空的：恢复只写入空数据库（未执行 migrate 的新库）；确需覆盖时加 --force"
        )
    if not force and not _media_empty(media):
        raise BackupRefused(f"MEDIA_ROOT（{media}）中已有文件；确需覆盖时加 --force")
    media.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".zhifa-restore-", dir=media.parent))
    try:
        manifest = _stage(archive, staging, allow_unsigned=force)
        if manifest.get("vendor") != connection.vendor:
            raise BackupRefused(
                f"归档来自 {manifest.get('vendor')} 数据库，目标是 {connection.vendor}"
            )
        dump = staging / str(manifest["database"])
        if connection.vendor == "postgresql":
            _restore_postgres(dump, clean=force)
        else:
            _restore_sqlite(dump)
        moved_aside = _put_media(staging / "media", media)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    done = Restored(manifest)
    if moved_aside is not None:
        done.report.append(f"原有的 MEDIA_ROOT 已移到 {moved_aside}")
    _check(done)
    return done


def _restore_postgres(dump: Path, *, clean: bool) -> None:
    connection.close()
    command, env = _pg_command("pg_restore")
    options = ["--no-owner", "--exit-on-error", "--single-transaction"]
    if clean:
        options += ["--clean", "--if-exists"]
    _run([*command, *options, str(dump)], env)


def _restore_sqlite(dump: Path) -> None:
    connection.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        check = source.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupRefused(f"归档中的 SQLite 数据库未通过完整性检查：{check}")
        source.backup(target)
    finally:
        target.close()
        source.close()


def _put_media(staged: Path, media: Path) -> Path | None:
    staged.mkdir(exist_ok=True)
    aside = None
    if media.exists():
        if _media_empty(media):
            shutil.rmtree(media)
        else:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = media.with_name(f"{media.name}.before-restore-{stamp}")
            os.replace(media, aside)
    os.replace(staged, media)
    return aside


def _check(done: Restored) -> None:
    manifest = done.manifest
    with connection.cursor() as cursor:
        facts = _facts(cursor, connection.introspection.table_names(cursor))
    expected_rows: dict[str, int] = manifest.get("rows") or {}
    differing = [
        f"{t}（清单 {expected_rows.get(t)}，恢复后 {facts['rows'].get(t)}）"
        for t in sorted(set(expected_rows) | set(facts["rows"]))
        if expected_rows.get(t) != facts["rows"].get(t)
    ]
    if differing:
        done.problems.append("行数与清单不符：" + "；".join(differing))
    else:
        total = sum(facts["rows"].values())
        done.report.append(f"数据库：{len(facts['rows'])} 张表的行数与清单一致（共 {total} 行）")
    ledger, expected = facts["ledger"], manifest.get("ledger") or {}
    if ledger != expected:
        done.problems.append(
            f"全过程记录的链头或检查点与清单不符：清单 {expected}，恢复后 {ledger}"
        )
    else:
        cp = ledger["checkpoint"]
        said = f"最新检查点 {cp['id']}（Merkle 根 {cp['merkle_root']}）" if cp else "尚无检查点"
        done.report.append(
            f"全过程记录：{ledger['entries']} 条记录、{ledger['streams']} 条链的链头"
            f"与清单一致，{said}"
        )
    if facts["migrations"] != manifest.get("migrations"):
        done.problems.append("迁移记录与清单不符")
    files = int(manifest.get("files", 0))
    done.report.append(f"文件：{files} 个已放回 MEDIA_ROOT（SHA-256 均与清单一致）")
    breaks = ledger_verify()
    if breaks:
        done.problems.extend(f"全过程记录校验失败：{b}" for b in breaks)
    else:
        cases = facts["rows"].get("cases_case", 0)
        done.report.append(
            "全过程记录校验（ledger verify）通过：哈希链、链头和检查点签名完好，"
            f"{cases} 件案件的环节与其记录链一致"
        )
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        done.report.append(
            f"归档早于当前代码：有 {len(pending)} 个迁移未执行，请运行 manage.py migrate"
        )
