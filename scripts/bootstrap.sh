#!/usr/bin/env bash
# Install what the platform needs on a fresh Debian machine: the Debian packages listed in
# debian-packages.txt (when missing), a Python 3.11 virtualenv and the pinned requirements.
# Idempotent and quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && \
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PY=$candidate; break
    fi
  done
fi
[ -n "$PY" ] || { echo "需要 Python 3.11（python3.11）" >&2; exit 1; }

# Debian packages (fonts, browser…): install only what is missing.
if [ -s debian-packages.txt ]; then
  missing=()
  while read -r pkg; do
    pkg=${pkg%%#*}; pkg=$(echo "$pkg" | xargs)
    [ -z "$pkg" ] && continue
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done < debian-packages.txt
  if [ ${#missing[@]} -gt 0 ]; then
    echo "安装系统软件包：${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

# Virtualenv with the pinned requirements; reinstall only when a requirements file changed.
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "安装 Python 依赖（.venv）…"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    -r requirements-dev.txt -c constraints.txt
  echo "$want" > "$stamp"
fi

# This machine's own secret key (sessions, signed cookies), made once, readable by its owner only.
# Production may set SECRET_KEY or SECRET_KEY_FILE instead; with DEBUG off and no key at all the
# settings refuse to start.
vardir=${ZHIFA_VAR_DIR:-var}
keyfile="$vardir/secret_key"
if [ -z "${SECRET_KEY:-}${SECRET_KEY_FILE:-}" ] && [ ! -s "$keyfile" ]; then
  mkdir -p "$vardir"
  (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$keyfile")
fi
# The SM2 key that signs the ledger's checkpoints (LEDGER_SIGNING_KEY_FILE, default var/ledger_sm2.key):
# made once, never replaced (a new key would not verify the checkpoints the old one signed).
.venv/bin/python manage.py ledger keygen
# The SM4 and SM3 keys of the personal data (ZHIFA_DATA_KEY_FILE, default var/sm4.key, mode 0600):
# made once; `manage.py data_key rotate` adds keys later, never this script.
.venv/bin/python manage.py data_key init
