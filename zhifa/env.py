"""Tiny typed helpers that read settings from the environment and fail loudly."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def envsecret(name: str, default: str | None = None) -> str:
    """Read NAME, or the file named by NAME_FILE (container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    value = os.environ.get(name)
    if value:
        return value
    if default is None:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set")
    return default


def envlist(name: str, default: str) -> list[str]:
    """A comma-separated list; blanks dropped."""
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


DEVELOPMENT_KEY = "zhifa-local-development-key-not-for-production"


def secret_key(local_file: Path, *, debug: bool) -> str:
    """SECRET_KEY, SECRET_KEY_FILE, else LOCAL_FILE when it exists; the development key only with
    DEBUG on. Anything else refuses to start: never sign with a key published in the source."""
    key = envsecret("SECRET_KEY", "")
    if not key and local_file.is_file():
        key = local_file.read_text(encoding="utf-8").strip()
    if key:
        return key
    if debug:
        return DEVELOPMENT_KEY
    raise ImproperlyConfigured(
        "未设置 SECRET_KEY：DEBUG 关闭时平台拒绝启动。"
        "请设置环境变量 SECRET_KEY（或 SECRET_KEY_FILE 指向的文件），"
        f"或运行 scripts/bootstrap.sh 生成 {local_file}。"
    )
