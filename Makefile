# CBEC Academy: `make run` serves the demo, `make test` runs every check.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
# The first Python 3.12+ on PATH (pyenv reads .python-version for `python3`).
PYTHON ?= $(shell for p in python3 python3.13 python3.12; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/cbec_academy

.PHONY: run test lint check unit postgres venv dev-deps system-packages browser-packages messages bench serve clean fonts

$(VENV)/bin/activate:
	@test -n "$(PYTHON)" || { echo "CBEC Academy needs Python 3.12 or newer on PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.requirements: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements-dev.txt $(VENV)/.requirements
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

$(VENV)/.requirements-bench: requirements-bench.txt $(VENV)/.requirements-dev
	$(PY) -m pip install -q -r requirements-bench.txt
	touch $@

venv: $(VENV)/.requirements
dev-deps: $(VENV)/.requirements-dev

system-packages:
	bin/system-packages

# Debian's chromium for the browser tests (make test runs them; make run does not need it).
browser-packages:
	bin/system-packages --browser

# Font subsets for fast certificate rendering (built once, under var/fonts).
fonts: venv system-packages
	$(PY) manage.py prepare_certificate_fonts

run: export CERTIFICATES_BASE_URL ?= http://$(HOST):$(PORT)
run: venv system-packages fonts
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production stack (gunicorn, Celery worker and beat) against PostgreSQL and Redis.
serve: venv system-packages fonts
	HOST=$(HOST) PORT=$(PORT) bin/serve

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check: dev-deps
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(PY) manage.py compilemessages --ignore=.venv -v 0

unit: dev-deps fonts
	$(PY) -m pytest

# The suite again on PostgreSQL when it answers (required under CI=true).
postgres: dev-deps fonts
	@if $(PY) bin/service-up postgres; then \
		DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is not reachable on 127.0.0.1:5432 (required in CI)" >&2; exit 1; \
	else echo "SKIPPED: PostgreSQL not reachable on 127.0.0.1:5432; the suite ran on SQLite only."; fi

test: dev-deps system-packages browser-packages lint check unit postgres

# Extract every app's messages into its own locale/ (run from the root so each file's
# nearest locale/ folder receives it), then compile them.
messages: dev-deps
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

# Benchmarks: ratios measured side by side in one run; figures go to bench/RESULTS.md.
bench: $(VENV)/.requirements-bench system-packages fonts
	bin/system-packages --bench
	$(PY) bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
