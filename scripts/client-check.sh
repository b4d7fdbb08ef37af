#!/usr/bin/env bash
# The typed JavaScript client example (frontend_contract/client): install the
# pinned npm packages, generate types from schema.graphql and the operations
# (fails when an operation no longer validates), type-check with tsc, then run
# every operation by persisted id against a live production-settings server
# with the demo content. CLIENT_CHECK_PORT picks the port (default 8766).
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENT=frontend_contract/client
step() { printf -- '--> %s\n' "$*"; }

step "npm ci ($CLIENT)"
(cd "$CLIENT" && npm ci --no-audit --no-fund --loglevel=error)
step "graphql-codegen"
(cd "$CLIENT" && npm run --silent codegen)
step "tsc --noEmit"
(cd "$CLIENT" && npm run --silent typecheck)

PORT=${CLIENT_CHECK_PORT:-8766}
WORK=$(mktemp -d)
export DJANGO_SETTINGS_MODULE=cms.settings.production
export DATABASE_URL="sqlite:///$WORK/client.sqlite3"
export MEDIA_ROOT="$WORK/media"
export SECRET_KEY="client-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export LOG_LEVEL=WARNING
unset REDIS_URL

step "live server with the demo content on 127.0.0.1:$PORT"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo_content >/dev/null
.venv/bin/gunicorn cms.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
    --error-logfile "$WORK/gunicorn.log" --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break
    sleep 0.5
done

step "every operation by persisted id"
API_URL="http://127.0.0.1:$PORT/graphql/" node "$CLIENT/run-operations.mjs"
