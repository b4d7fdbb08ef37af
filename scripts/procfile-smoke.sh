#!/usr/bin/env bash
# Smoke test of deploy/Procfile under honcho, as a deploy runs it: `release`
# (migrate, collectstatic) once, then `web` (gunicorn with
# deploy/gunicorn.conf.py, 2 workers) on a free loopback port with production
# settings, a temporary SQLite database and the machine's Redis. Checks
# /readyz, a GraphQL query, the request id and its JSON log line, /metrics
# (token, families summed over workers), then stops web with SIGTERM and
# expects a graceful exit.
#
# `worker` is not started yet: `manage.py run_worker` arrives with the
# background-worker branch; add it to PROCESSES below then.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"
export PATH="$ROOT/.venv/bin:$PATH"

PROCESSES=web
WORK=$(mktemp -d)
HONCHO_PID=
cleanup() {
    if [[ -n "$HONCHO_PID" ]] && kill -0 "$HONCHO_PID" 2>/dev/null; then
        kill -TERM "$HONCHO_PID" 2>/dev/null || true
        wait "$HONCHO_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "procfile-smoke: FAIL: $*" >&2; [[ -f "$WORK/web.log" ]] && tail -n 40 "$WORK/web.log" >&2; exit 1; }

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN="smoke-$("$PY" -c 'import secrets; print(secrets.token_hex(16))')"
REDIS=${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/13}
cat > "$WORK/env" <<ENV
DJANGO_SETTINGS_MODULE=cms.settings.production
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(60))')
ALLOWED_HOSTS=127.0.0.1
SECURE_SSL_REDIRECT=false
DATABASE_URL=sqlite:///$WORK/db.sqlite3
REDIS_URL=$REDIS
STATIC_ROOT=$WORK/static
MEDIA_ROOT=$WORK/media
HOST=127.0.0.1
WEB_CONCURRENCY=2
METRICS_TOKEN=$TOKEN
LOG_FORMAT=json
ENV_FILE=$WORK/no-dotenv
ENV
HONCHO=(honcho --no-colour -e "$WORK/env" -d "$ROOT" -f deploy/Procfile)

echo "==> release (migrate, collectstatic)"
"${HONCHO[@]}" start release > "$WORK/release.log" 2>&1 || { cat "$WORK/release.log"; fail "release exited non-zero"; }
grep -q "static files copied" "$WORK/release.log" || fail "collectstatic did not run"

echo "==> $PROCESSES on 127.0.0.1:$PORT"
"${HONCHO[@]}" start -p "$PORT" $PROCESSES > "$WORK/web.log" 2>&1 &
HONCHO_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$HONCHO_PID" 2>/dev/null || fail "honcho exited before web answered"
    sleep 0.5
done

ready=$(curl -sS -o "$WORK/ready.json" -w '%{http_code}' "$BASE/readyz")
[[ "$ready" == 200 ]] || fail "/readyz answered $ready: $(cat "$WORK/ready.json")"
grep -q '"redis": "ok"' "$WORK/ready.json" || grep -q '"redis":"ok"' "$WORK/ready.json" || fail "Redis not ready: $(cat "$WORK/ready.json")"

REQUEST_ID="smoke-$RANDOM$RANDOM"
status=$(curl -sS -D "$WORK/headers" -o "$WORK/graphql.json" -w '%{http_code}' \
    -H 'content-type: application/json' -H "X-Request-Id: $REQUEST_ID" \
    -d '{"query":"query SmokeProbe { __typename apiVersion }"}' "$BASE/graphql/")
[[ "$status" == 200 ]] || fail "GraphQL answered $status"
grep -q '"__typename":"Query"' "$WORK/graphql.json" || fail "GraphQL body: $(cat "$WORK/graphql.json")"
grep -qi "^x-request-id: $REQUEST_ID" "$WORK/headers" || fail "no X-Request-Id in the response"

unauthorised=$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/metrics")
[[ "$unauthorised" == 401 ]] || fail "/metrics without the token answered $unauthorised"
# Several scrapes land on either worker; each sees every worker's counts.
for _ in 1 2 3 4; do
    curl -fsS -H "Authorization: Bearer $TOKEN" "$BASE/metrics" > "$WORK/metrics.txt"
    grep -q '^clinic_graphql_requests_total{operation="other",status="200"} 1.0$' "$WORK/metrics.txt" \
        || fail "metrics: GraphQL request not counted once: $(grep clinic_graphql_requests_total "$WORK/metrics.txt" || true)"
done
grep -q '^# TYPE clinic_worker_queue_depth gauge$' "$WORK/metrics.txt" || fail "metrics: no queue depth family"

"$PY" - "$WORK/web.log" "$REQUEST_ID" <<'PY' || fail "no JSON request line for $REQUEST_ID"
import json, sys
log, request_id = sys.argv[1], sys.argv[2]
lines = []
for raw in open(log, encoding="utf-8"):
    _, _, payload = raw.partition("| ")
    if payload.startswith("{"):
        record = json.loads(payload)
        if record.get("logger") == "cms.request" and record.get("request_id") == request_id:
            lines.append(record)
assert len(lines) == 1, lines
(line,) = lines
assert (line["path"], line["status"], line["operation"]) == ("/graphql/", 200, "SmokeProbe"), line
# A cacheable query looked up in Redis; the generation lives there too.
assert (line["cache"], line["sql_queries"]) == ("miss", 0), line
PY

echo "==> SIGTERM: graceful stop"
kill -TERM "$HONCHO_PID"
for _ in $(seq 1 60); do
    kill -0 "$HONCHO_PID" 2>/dev/null || break
    sleep 0.5
done
kill -0 "$HONCHO_PID" 2>/dev/null && fail "web still running 30 s after SIGTERM"
wait "$HONCHO_PID" || true
HONCHO_PID=
grep -q "Shutting down: Master" "$WORK/web.log" || fail "gunicorn did not shut down gracefully"
echo "procfile-smoke: 1 passed, 0 failed"
