#!/usr/bin/env bash
# graphql-http's GraphQL-over-HTTP audit against live servers started as
# scripts/fuzz.sh does (temporary SQLite, demo content, gunicorn) on a free port:
#   1. production settings: every audit passes except those that probe with
#      `__type`, which production refuses (INTROSPECTION_DISABLED) by design;
#   2. the same database with introspection on (cms.settings.dev, DEBUG and
#      GRAPHQL_INTROSPECTION): every audit passes, no warning, no error.
# Fails on any other warning or error, or a traceback in the server log.
set -euo pipefail
cd "$(dirname "$0")/../.."

AUDIT=scripts/http-audit
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node and npm are needed (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi
(cd "$AUDIT" && npm ci --no-audit --no-fund --loglevel=error)

free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
WORK=$(mktemp -d)
SERVER=
stop_server() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
        SERVER=
    fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

export DATABASE_URL="sqlite:///$WORK/audit.sqlite3"
export MEDIA_ROOT="$WORK/media"
export SECRET_KEY="audit-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export GRAPHQL_RATE_LIMIT_ENABLED=false LOG_LEVEL=WARNING

DJANGO_SETTINGS_MODULE=cms.settings.production .venv/bin/python manage.py migrate --noinput -v0
DJANGO_SETTINGS_MODULE=cms.settings.production .venv/bin/python manage.py load_demo_content >/dev/null

# audit SETTINGS_MODULE [audit.mjs flags]: serve, audit, stop.
audit() {
    local settings=$1 port
    shift
    port=$(free_port)
    DJANGO_SETTINGS_MODULE=$settings .venv/bin/gunicorn cms.wsgi \
        --bind "127.0.0.1:$port" --workers 2 \
        --error-logfile "$WORK/gunicorn.log" --log-level warning &
    SERVER=$!
    for _ in $(seq 1 60); do
        curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
        sleep 0.5
    done
    echo "--- $settings on port $port"
    local status=0
    node "$AUDIT/audit.mjs" "http://127.0.0.1:$port/graphql/" "$@" || status=$?
    stop_server
    return $status
}

failed=0
audit cms.settings.production --introspection-off || failed=1
DEBUG=true GRAPHQL_INTROSPECTION=true audit cms.settings.dev || failed=1
if grep -q "Traceback" "$WORK/gunicorn.log"; then
    echo "server logged a traceback:" >&2
    cat "$WORK/gunicorn.log" >&2
    failed=1
fi
exit $failed
