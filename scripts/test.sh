#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest on SQLite (or on DATABASE_URL when set).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
exec .venv/bin/pytest -q "$@"
