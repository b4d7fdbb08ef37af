#!/usr/bin/env bash
# schemathesis in GraphQL mode against a live server with the demo content.
# Fails on any 5xx. FUZZ_SECONDS bounds the run (default 120).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_BUDGET=${FUZZ_SECONDS:-120}
PORT=${FUZZ_PORT:-8765}
WORK=$(mktemp -d)
export DJANGO_SETTINGS_MODULE=cms.settings.production
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export MEDIA_ROOT="$WORK/media"
export SECRET_KEY="fuzz-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export GRAPHQL_RATE_LIMIT_ENABLED=false LOG_LEVEL=WARNING

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo_content >/dev/null
.venv/bin/gunicorn cms.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
    --error-logfile "$WORK/gunicorn.log" --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break
    sleep 0.5
done

# schemathesis reports every GraphQL `errors` entry (ST113), including the
# coded client errors we return on purpose (INVALID_PAGINATION, ...). What
# must never happen is a 5xx, an INTERNAL_SERVER_ERROR or a traceback, so
# those are what fail this step.
.venv/bin/schemathesis run frontend_contract/schema.graphql \
    --url "http://127.0.0.1:$PORT/graphql/" \
    --checks not_a_server_error \
    --max-time "$SECONDS_BUDGET" \
    --workers 2 | tee "$WORK/schemathesis.log" || true
if grep -Eq '^\[5[0-9][0-9]\]|INTERNAL_SERVER_ERROR|Traceback' "$WORK/schemathesis.log"; then
    echo "schemathesis saw a server error" >&2
    exit 1
fi
if ! grep -q "test cases\|generated" "$WORK/schemathesis.log"; then
    echo "schemathesis did not run" >&2
    exit 1
fi
if grep -q "Traceback" "$WORK/gunicorn.log"; then
    echo "server logged a traceback:" >&2
    cat "$WORK/gunicorn.log" >&2
    exit 1
fi
