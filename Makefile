# Shudarga: `make run` starts the app with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PYTHONPATH := src
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/shudarga
# Test processes: each has its own test database (test_shudarga_gw0, …) and data directory.
TEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run prod test lint format system-packages install install-dev messages clean bench bench-writes

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=25.1"

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e . --group dev
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# What pip cannot bring: gettext (translations), Chromium (browser tests), poppler (PDF
# checks), the PostgreSQL client (pg_dump/pg_restore for backups).
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium chromium-driver"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Please install these Debian packages first:$$missing (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

messages: $(VENV)/.installed
	cd src/shudarga && DEBUG=true ../../$(BIN)/python ../../manage.py compilemessages -v0

run: $(VENV)/.installed
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory system-packages
	$(MAKE) --no-print-directory messages
	DEBUG=true $(BIN)/python manage.py migrate -v0
	DEBUG=true $(BIN)/python manage.py load_demo_data --url http://$(HOST):$(PORT)/
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production stack on this machine: DEBUG off, JSON logs, collectstatic, migrate and
# its check, gunicorn (deploy/gunicorn.conf.py) on $(HOST):$(PORT) and a task worker.
prod: $(VENV)/.installed
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory system-packages
	$(MAKE) --no-print-directory messages
	GUNICORN_BIND=$(HOST):$(PORT) scripts/serve_production.sh $(PORT)

test: $(VENV)/.installed-dev system-packages messages
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	@echo "== tests on SQLite (whatever TEST_DATABASE_URL says) =="
	TEST_DATABASE_URL= $(BIN)/pytest -n $(TEST_WORKERS)
	@if $(BIN)/python scripts/pg_ready.py "$(TEST_DATABASE_URL)"; then \
	  echo "== tests on PostgreSQL ($(TEST_DATABASE_URL)) =="; \
	  TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -n $(TEST_WORKERS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL); CI requires it."; exit 1; \
	else \
	  echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL): skipped the PostgreSQL run."; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis

# National-scale benchmark on PostgreSQL (BENCH_DATABASE_URL); see scripts/bench.py.
# Then audited writes at once (BENCH_WRITES_DATABASE_URL); see scripts/bench_writes.py.
bench: $(VENV)/.installed
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_writes.py

bench-writes: $(VENV)/.installed
	$(BIN)/python scripts/bench_writes.py
