#!/usr/bin/env bash
# Fuzz the HTTP API against its own OpenAPI document (schemathesis): every operation, with
# generated valid and invalid input, as a handler and as the supervisor, on a fresh demo database
# served by gunicorn as in production. Fails on any server error or any answer the document does
# not declare (status, content type, body schema).
#
#   scripts/api_fuzz.sh [EXAMPLES]   examples per operation (default API_FUZZ_EXAMPLES or 20)
#
# DATABASE_URL unset: a throwaway SQLite file under a temporary directory. The DELETE of the login
# token is left out: it would end the run's own session.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh >/dev/null
EXAMPLES=${1:-${API_FUZZ_EXAMPLES:-20}}
work=$(mktemp -d)
export ZHIFA_VAR_DIR=$work DJANGO_SETTINGS_MODULE=zhifa.settings
export SECRET_KEY_FILE=${SECRET_KEY_FILE:-$PWD/var/secret_key}
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/python manage.py demo >/dev/null
.venv/bin/gunicorn zhifa.wsgi:application --bind "127.0.0.1:$port" --workers 1 --threads 4 \
  --log-level warning --error-logfile "$work/server.log" --pid "$work/gunicorn.pid" --daemon
trap 'kill "$(cat "$work/gunicorn.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 50); do curl -fs "$base/api/openapi.json" >/dev/null && break; sleep 0.2; done

token() {  # username [otp]
  local body
  body=$(.venv/bin/python -c 'import json,sys; d={"username":sys.argv[1],"password":"Zhifa@2026"}; d.update({"otp_token":sys.argv[2]} if len(sys.argv)>2 else {}); print(json.dumps(d))' "$@")
  curl -fs -X POST "$base/api/auth/token" -H 'Content-Type: application/json' -d "$body" \
    | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# Both tokens first: the fuzzing of /api/auth/token locks this address out (django-axes).
declare -A tokens
tokens[handler]=$(token 371500-cgj-handler1)
tokens[supervisor]=$(token 371500-sfj-supervisor "$(.venv/bin/python manage.py demo --otp-code)")
status=0
for who in handler supervisor; do
  tok=${tokens[$who]}
  echo "== API fuzz as $who: $EXAMPLES examples per operation"
  rc=0
  (cd "$work" && "$OLDPWD/.venv/bin/schemathesis" --no-color run "$base/api/openapi.json" \
    -H "Authorization: Bearer $tok" -H "X-Station-Key: demo-wim-key-LC-WIM-01" --exclude-method DELETE -n "$EXAMPLES" -w 2 \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --generation-deterministic) > "$work/fuzz-$who.txt" 2>&1 || rc=$?
  cat "$work/fuzz-$who.txt"
  if grep -q '^Failures:' "$work/fuzz-$who.txt"; then
    status=1  # an answer of the API broke a check
  elif [ "$rc" -ne 0 ]; then
    # Only the fuzzer's own errors (a data generator that failed inside hypothesis): nothing the
    # API answered. Shown above, not a failure of the API.
    echo "== the fuzzer reported errors of its own (no failed check); see above"
  fi
done
if [ -s "$work/server.log" ] && grep -q Traceback "$work/server.log"; then
  echo "== server errors:"; grep -B2 -A30 Traceback "$work/server.log" | head -200
fi
exit $status
