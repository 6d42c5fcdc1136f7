#!/usr/bin/env bash
# Run the platform on its embedded default: SQLite, demo data, one process.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=zhifa.settings
PORT=${PORT:-8000}
# QR codes and SMS links point at the address this command serves (unless set for a proxy).
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:${PORT}}
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/python manage.py demo
echo
echo "平台已启动：http://127.0.0.1:${PORT}/  （接口文档 http://127.0.0.1:${PORT}/api/docs）"
echo "期限处理：另开终端执行 .venv/bin/python manage.py run_worker"
exec .venv/bin/gunicorn zhifa.wsgi:application --bind "127.0.0.1:${PORT}" \
  --workers 1 --threads 8 --access-logfile - --log-level warning
