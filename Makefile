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

.PHONY: run worker test fuzz test-e2e ensure-chromium serve install install-dev migrate demo schema lint format check bench backup restore clean

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

## run: install, migrate SQLite, load demo content, ensure an admin, serve on
## $(HOST):$(PORT) with a background worker beside it (Ctrl-C stops both)
run: demo
	$(MANAGE) ensure_admin
	@echo ""
	@echo "  Admin:    http://$(HOST):$(PORT)/admin/"
	@echo "  GraphQL:  http://$(HOST):$(PORT)/graphql/"
	@echo "  GraphiQL: http://$(HOST):$(PORT)/graphql/ (open in a browser)"
	@echo "  Health:   http://$(HOST):$(PORT)/healthz  http://$(HOST):$(PORT)/readyz"
	@echo "  Worker:   jobs, webhooks, scheduled publishing (make worker runs more)"
	@echo ""
	MANAGE="$(abspath $(PY)) manage.py" HOST=$(HOST) WEB_PORT=$(PORT) \
		$(VENV)/bin/honcho -f scripts/Procfile.dev -d . start

## worker: one background worker (jobs, webhook deliveries, scheduled
## publishing); run as many as you like, each as its own process
worker: migrate
	$(MANAGE) run_worker

## test: install dev requirements and run the whole suite (DATABASE_URL picks the database)
test: install-dev
	$(VENV)/bin/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

## test-e2e: only the browser tests; installs Debian's chromium when it is missing
test-e2e: install-dev ensure-chromium
	$(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

ensure-chromium:
	@command -v chromium >/dev/null || { \
		echo "installing chromium from Debian's packages (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## fuzz: schemathesis (GraphQL mode) against a live server; FUZZ_SECONDS bounds it
fuzz: install-dev
	scripts/fuzz.sh

## serve: production settings under gunicorn, static files via whitenoise
serve: install
	DJANGO_SETTINGS_MODULE=cms.settings.production $(MANAGE) collectstatic --noinput
	DJANGO_SETTINGS_MODULE=cms.settings.production $(VENV)/bin/gunicorn cms.wsgi \
		--bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

$(VENV)/.bench-installed: requirements.txt requirements-bench.txt | $(PY)
	$(PIP) install --quiet -r requirements-bench.txt
	@touch $@ $(VENV)/.runtime-installed

## bench: load test GraphQL vs hello-world and Wagtail API v2 (QUICK=1: smoke run)
bench: $(VENV)/.bench-installed
	QUICK=$(QUICK) $(PY) bench/run.py

## schema: regenerate frontend_contract/schema.graphql
schema: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) export_schema

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

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest-media
