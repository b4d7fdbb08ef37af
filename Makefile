# Two commands matter: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
HOST ?= 127.0.0.1
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=
# Two workers: one per core on the reference machine; PYTEST_WORKERS= runs serially.
PYTEST_WORKERS ?= -n 2

.PHONY: run worker test fuzz http-audit client-check test-e2e ensure-chromium ensure-varnish serve procfile-smoke multihost install install-dev migrate demo schema graphiql-assets lint format check bench backup restore clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo_content
	$(MANAGE) run_worker --batch --no-periodic

# The reference site (web/) is served by the same process under /site and is
# the preview target unless FRONTEND_BASE_URL says otherwise.
SITE_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
RUN_FRONTEND_BASE_URL := $(or $(FRONTEND_BASE_URL),http://$(SITE_HOST):$(PORT)/site)
RUNSERVER_ARGS ?=

## run: install, migrate SQLite, load demo content, ensure an admin, serve on
## $(HOST):$(PORT) with a background worker beside it (Ctrl-C stops both)
run: demo
	$(MANAGE) ensure_admin
	@echo ""
	@echo "  Site:     $(RUN_FRONTEND_BASE_URL)/ (the admin's preview target)"
	@echo "  Admin:    http://$(HOST):$(PORT)/admin/"
	@echo "  GraphQL:  http://$(HOST):$(PORT)/graphql/"
	@echo "  GraphiQL: http://$(HOST):$(PORT)/graphql/ (open in a browser)"
	@echo "  Health:   http://$(HOST):$(PORT)/healthz  http://$(HOST):$(PORT)/readyz"
	@echo "  Worker:   jobs, webhooks, scheduled publishing (make worker runs more)"
	@echo ""
	MANAGE="$(abspath $(PY)) manage.py" HOST=$(HOST) WEB_PORT=$(PORT) \
		RUNSERVER_ARGS="$(RUNSERVER_ARGS)" FRONTEND_BASE_URL=$(RUN_FRONTEND_BASE_URL) \
		$(VENV)/bin/honcho -f scripts/Procfile.dev -d . start

## worker: one background worker (jobs, webhook deliveries, scheduled
## publishing); run as many as you like, each as its own process
worker: migrate
	$(MANAGE) run_worker

## test: install dev requirements, Debian's chromium and varnish when missing
## (needs root the first time), then the whole suite (DATABASE_URL picks the database)
test: install-dev ensure-chromium ensure-varnish
	$(VENV)/bin/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

## test-e2e: only the browser tests; installs Debian's chromium when it is missing
test-e2e: install-dev ensure-chromium
	$(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

ensure-chromium:
	@command -v chromium >/dev/null || { \
		echo "installing chromium from Debian's packages (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## ensure-varnish: Debian's varnish + varnish-modules (xkey), for the edge tests and bench
ensure-varnish:
	@{ command -v varnishd >/dev/null || test -x /usr/sbin/varnishd; } && \
	  ls /usr/lib/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || { \
		echo "installing varnish + varnish-modules from Debian's packages (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends varnish varnish-modules; }

## fuzz: schemathesis (GraphQL mode) against a live server; FUZZ_SECONDS bounds it
fuzz: install-dev
	scripts/fuzz.sh

## http-audit: graphql-http's GraphQL-over-HTTP audit (pinned, npm ci) against live servers
http-audit: install
	scripts/http-audit/run.sh

## client-check: typed JS client example: npm ci, codegen, tsc --noEmit, operations vs a live server
client-check: install
	scripts/client-check.sh

## serve: production settings under gunicorn (deploy/gunicorn.conf.py), static files via whitenoise
## (WEB_CONCURRENCY defaults to 2 with REDIS_URL, else 1: production needs Redis for more)
serve: install
	DJANGO_SETTINGS_MODULE=cms.settings.production $(MANAGE) collectstatic --noinput
	DJANGO_SETTINGS_MODULE=cms.settings.production HOST=$(HOST) PORT=$(PORT) \
		WEB_CONCURRENCY=$${WEB_CONCURRENCY:-$(if $(REDIS_URL),2,1)} \
		$(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py

## procfile-smoke: deploy/Procfile under honcho (release, then web and worker), production settings
procfile-smoke: install-dev
	scripts/procfile-smoke.sh

## multihost: two web processes and a worker sharing PostgreSQL, Redis and S3 (moto)
multihost: install-dev
	$(PY) scripts/multihost.py

$(VENV)/.bench-installed: requirements.txt requirements-bench.txt | $(PY)
	$(PIP) install --quiet -r requirements-bench.txt
	@touch $@ $(VENV)/.runtime-installed

## bench: load test GraphQL vs hello-world and Wagtail API v2 on the default and the
## production stack (QUICK=1: smoke run; BENCH_STACK=sqlite: no PostgreSQL/Redis;
## RESULTS=1: copy the Markdown summary to bench/RESULTS.md)
bench: $(VENV)/.bench-installed
	QUICK=$(QUICK) RESULTS=$(RESULTS) $(PY) bench/run.py

## schema: regenerate frontend_contract/schema.graphql
schema: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) export_schema

## graphiql-assets: re-fetch the pinned GraphiQL build (scripts/graphiql) into cms/static/graphiql/vendor/
graphiql-assets:
	scripts/graphiql/fetch.sh

## backup: write backups/backup-<timestamp>.tar.gz (rows + media)
## restore: FILE=<archive>; asks for confirmation, or YES=1 to restore without a terminal
backup: install
	$(MANAGE) backup

restore: install
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/backup-....tar.gz"; exit 2)
	$(MANAGE) migrate --noinput
	$(MANAGE) restore "$(FILE)" $(if $(YES),--no-input)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest-media
