#!/usr/bin/env bash
# Smoke test of deploy/Procfile under honcho, as a deploy runs it: `release`
# (migrate, collectstatic) once, then `web` (gunicorn with
# deploy/gunicorn.conf.py, 2 workers) on a free loopback port and `worker`
# (manage.py run_worker), with production settings, a temporary SQLite
# database, the machine's Redis and one PROMETHEUS_MULTIPROC_DIR for both.
# Demo content loaded before they start queues real jobs (renditions, search
# and reference index). Checks /readyz, a GraphQL query, the request id and
# its JSON log line, /metrics (token, families summed over the processes);
# that the worker beats its heartbeat and runs every queued job (the queue
# drains, and the web's /metrics counts each job as succeeded); then stops
# both with SIGTERM and expects graceful exits (gunicorn's master, the
# worker's "stopped" line and its heartbeat row removed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"
export PATH="$ROOT/.venv/bin:$PATH"

PROCESSES="web worker"
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

fail() { echo "procfile-smoke: FAIL: $*" >&2; [[ -f "$WORK/web.log" ]] && grep -v '"GET /metrics 200"' "$WORK/web.log" | tail -n 40 >&2; exit 1; }
# Runs Python in the processes' environment; prints what it prints.
django() { "${HONCHO[@]}" run python manage.py shell -v0 -c "$1"; }
QUEUED='import json; from django_tasks_db.models import DBTaskResult as R; from collections import Counter; print(json.dumps(Counter(R.objects.filter(status="READY").values_list("task_path", flat=True))))'
HEARTBEATS='from worker.models import WorkerHeartbeat as H; print(H.objects.count())'

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
PROMETHEUS_MULTIPROC_DIR=$WORK/metrics
ENV_FILE=$WORK/no-dotenv
ENV
HONCHO=(honcho --no-colour -e "$WORK/env" -d "$ROOT" -f deploy/Procfile)

echo "==> release (migrate, collectstatic)"
"${HONCHO[@]}" start release > "$WORK/release.log" 2>&1 || { cat "$WORK/release.log"; fail "release exited non-zero"; }
grep -q "static files copied" "$WORK/release.log" || fail "collectstatic did not run"

echo "==> demo content: queues jobs for the worker"
"${HONCHO[@]}" run python manage.py load_demo_content --articles 3 --trainers 3 > "$WORK/demo.log" 2>&1 \
    || { cat "$WORK/demo.log"; fail "load_demo_content failed"; }
django "$QUEUED" > "$WORK/queued.json" 2>>"$WORK/demo.log" || { cat "$WORK/demo.log"; fail "could not read the queue"; }
grep -q '"cms.renditions.make_renditions_task": [1-9]' "$WORK/queued.json" \
    || fail "no renditions job queued: $(cat "$WORK/queued.json")"

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
# The same query again: from the response cache in Redis, whichever worker.
curl -fsS -o /dev/null -H 'content-type: application/json' -H "X-Request-Id: $REQUEST_ID-again" \
    -d '{"query":"query SmokeProbe { __typename apiVersion }"}' "$BASE/graphql/" || fail "second GraphQL request"

unauthorised=$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/metrics")
[[ "$unauthorised" == 401 ]] || fail "/metrics without the token answered $unauthorised"
# Several scrapes land on either worker; each sees every worker's counts.
for _ in 1 2 3 4; do
    curl -fsS -H "Authorization: Bearer $TOKEN" "$BASE/metrics" > "$WORK/metrics.txt"
    grep -q '^clinic_graphql_requests_total{operation="other",status="200"} 2.0$' "$WORK/metrics.txt" \
        || fail "metrics: GraphQL requests not counted twice: $(grep clinic_graphql_requests_total "$WORK/metrics.txt" || true)"
done
grep -q '^# TYPE clinic_worker_queue_depth gauge$' "$WORK/metrics.txt" || fail "metrics: no queue depth family"

echo "==> worker: every queued job run, heartbeat"
for attempt in $(seq 1 120); do
    curl -fsS -H "Authorization: Bearer $TOKEN" "$BASE/metrics" > "$WORK/metrics.txt"
    if "$PY" - "$WORK/queued.json" "$WORK/metrics.txt" <<'PY' 2> "$WORK/jobs.txt"; then break; fi
import json, sys
from prometheus_client.parser import text_string_to_metric_families
queued = json.load(open(sys.argv[1]))
done, depth = {}, 0.0
for family in text_string_to_metric_families(open(sys.argv[2]).read()):
    for sample in family.samples:
        if sample.name == "clinic_worker_jobs_total":
            done[sample.labels["task"], sample.labels["outcome"]] = sample.value
        elif sample.name == "clinic_worker_queue_depth":
            depth += sample.value
ran = {task: int(done.get((task, "succeeded"), 0)) for task in queued}
failed = {task: n for (task, outcome), n in done.items() if outcome != "succeeded"}
if depth or ran != queued or failed:
    sys.exit(f"queue depth {depth}; queued {queued}; succeeded {ran}; other {failed}")
PY
    [[ $attempt == 120 ]] && fail "the worker did not run the queued jobs: $(cat "$WORK/jobs.txt")"
    sleep 0.5
done
echo "    ran $(cat "$WORK/queued.json")"
beats=$(django "$HEARTBEATS" 2>/dev/null) || fail "could not read the heartbeats"
[[ "$beats" == 1 ]] || fail "$beats worker heartbeats while the worker runs, expected 1"

"$PY" - "$WORK/web.log" "$REQUEST_ID" <<'PY' || fail "JSON request lines for $REQUEST_ID"
import json, sys
log, request_id = sys.argv[1], sys.argv[2]
lines = {}
for raw in open(log, encoding="utf-8"):
    _, _, payload = raw.partition("| ")
    if payload.startswith("{"):
        record = json.loads(payload)
        if record.get("logger") == "cms.request":
            lines.setdefault(record.get("request_id"), []).append(record)
(first,), (again,) = lines[request_id], lines[f"{request_id}-again"]
for line in (first, again):
    assert (line["path"], line["status"], line["operation"]) == ("/graphql/", 200, "SmokeProbe"), line
    assert isinstance(line["duration_ms"], float) and len(line["client"]) == 16, line
# Executed once, then answered from Redis without touching the database.
assert first["cache"] == "miss" and isinstance(first["sql_queries"], int), first
assert (again["cache"], again["sql_queries"]) == ("hit", 0), again
PY

echo "==> SIGTERM: graceful stop"
kill -TERM "$HONCHO_PID"
for _ in $(seq 1 60); do
    kill -0 "$HONCHO_PID" 2>/dev/null || break
    sleep 0.5
done
kill -0 "$HONCHO_PID" 2>/dev/null && fail "web or worker still running 30 s after SIGTERM"
wait "$HONCHO_PID" || true
HONCHO_PID=
grep -q "Shutting down: Master" "$WORK/web.log" || fail "gunicorn did not shut down gracefully"
grep -Eq '^[0-9:]+ worker\.1 +\| \{.*"message": ?"worker [A-Za-z0-9]+ stopped"' "$WORK/web.log" \
    || fail "the worker did not stop gracefully"
beats=$(django "$HEARTBEATS" 2>/dev/null) || fail "could not read the heartbeats"
[[ "$beats" == 0 ]] || fail "the worker left its heartbeat row behind"
echo "procfile-smoke: 1 passed, 0 failed"
