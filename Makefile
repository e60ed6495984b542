# Loa — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell for p in python3.12 python3.13 python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run test lint pytest pytest-pg bench system-deps messages deps clean

help:
	@echo "make run    set up, migrate SQLite under var/, load sample plans, start worker and web server"
	@echo "make test   set up, lint, run the whole suite on SQLite and on a throwaway PostgreSQL"
	@echo "make bench  print parser, NLP, surge, forecast, execution, listening, feedback-load, digest and contest figures on SQLite and PostgreSQL (~60 min)"

system-deps:
	@scripts/system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	@if [ -z "$(PYTHON)" ]; then echo "Loa needs Python >= 3.12 (Django 6). Install python3.12 or newer." >&2; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q -c constraints.txt -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -c "import django, loa" || (echo "installation failed" >&2; exit 1)
	@touch $@

deps: system-deps $(STAMP) messages

messages: $(STAMP)
	@cd loa && ../$(BIN)/django-admin compilemessages -v 0

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0

pytest: deps
	$(BIN)/pytest

pytest-pg: deps
	scripts/with-postgres.sh $(BIN)/pytest -m "not browser"

test: deps lint pytest pytest-pg

run: deps
	@scripts/run.sh

BENCH_EXECUTION_ARGS ?=
BENCH_LISTENING_ARGS ?=
bench: deps
	$(BIN)/python -m loa.docparse.bench
	$(BIN)/python scripts/score_parser.py
	OMP_NUM_THREADS=1 $(BIN)/loa nlp eval
	$(BIN)/python -m loa.nlp.surge_bench
	$(BIN)/python -m loa.nlp.forecast_bench
	scripts/bench-execution.sh $(BENCH_EXECUTION_ARGS)
	scripts/bench-listening.sh $(BENCH_LISTENING_ARGS)
	scripts/bench-feedback.sh
	scripts/bench-digest.sh
	scripts/bench-contest.sh
	scripts/bench-contest-load.sh

clean:
	rm -rf $(VENV) var
