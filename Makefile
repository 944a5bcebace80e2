PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= changeme
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev

.PHONY: run serve install assets migrate seed test lint format clean

## make run: install, migrate, seed the demo content and serve on http://127.0.0.1:8000
run: install assets migrate seed
	@echo ""
	@echo "Board papers site: http://$(HOST):$(PORT)/   admin: http://$(HOST):$(PORT)/admin/"
	@echo "Demo sign-ins (password: $(DEMO_PASSWORD)): admin, officer, chair, member, councillor"
	@echo "admin, officer and chair set up two-factor sign-in (an authenticator app) at first sign-in"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

## make serve: the production server (gunicorn.conf.py, cms.settings.production) on
## http://127.0.0.1:8000, with the laptop's exceptions: plain http (no HTTPS redirect, HSTS or
## secure-only cookies), a local secret key, text of uploads read at once (no db_worker).
## Uses DATABASE_URL and REDIS_URL when set, like production; `make run` seeds the demo first.
SERVE_ENV = DJANGO_SETTINGS_MODULE=cms.settings.production \
	SECRET_KEY="$${SECRET_KEY:-local-serve-only-not-a-production-key-0123456789abcdef}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-off}" SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}" \
	SECURE_COOKIES="$${SECURE_COOKIES:-off}" TASKS_BACKEND="$${TASKS_BACKEND:-immediate}"
serve: install assets
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) DATABASE_STATEMENT_TIMEOUT=0 $(PY) manage.py migrate --noinput
	@echo ""
	@echo "Board papers site (gunicorn, production settings): http://$(HOST):$(PORT)/"
	@echo ""
	$(SERVE_ENV) GUNICORN_BIND="$(HOST):$(PORT)" $(VENV)/bin/gunicorn --config gunicorn.conf.py

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

assets:
	@if [ -f package.json ]; then \
		if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && npm run --silent build; \
		else echo "npm not found: install Node.js to build the site's styles"; exit 1; fi; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

seed: install
	$(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"

## make test: the whole suite (SQLite, or PostgreSQL when DATABASE_URL points at one);
## PYTEST_ARGS adds options (.ci/run deselects on SQLite what runs on PostgreSQL only).
PYTEST_ARGS ?=
test: install assets
	DJANGO_SETTINGS_MODULE=cms.settings.test $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media db.sqlite3
