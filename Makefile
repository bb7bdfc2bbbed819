# The front door. `make run` and `make test` are the two commands; the rest are helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# One pytest worker more than the cores: a browser test's worker waits on Chromium (and
# Chromium on the worker's live server) much of the time, so two workers on two cores left a
# third of the CPU idle (10 m 33 s -> 9 m 24 s on an idle 2-core machine with three).
# (The usable cores where the OS says which they are, as in a container; all cores elsewhere.)
PYTEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(len(getattr(os, 'sched_getaffinity', lambda _: range(os.cpu_count()))(0)) + 1)")

.PHONY: run test install messages compilemessages lock lint format clean bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gw_bench
BENCH_RESOURCES ?= 10000
BENCH_TERMS ?= 2000
BENCH_CASES ?= 200

$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

compilemessages: install
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

## run: a fresh machine -> running app with content and demo users on http://127.0.0.1:8000
run: compilemessages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_content
	$(PY) manage.py create_demo_users
	$(PY) manage.py runserver 127.0.0.1:8000

## test: lint, format check, migrations check and the whole pytest suite (browser tests included).
# `--dist worksteal`: a worker that runs out of tests takes the other's last ones; with the
# default (load) one worker sat idle while the other finished a few long browser tests
# (14.6 -> 11.5 min on a slow 2-core machine).
# Python writes its bytecode caches (__pycache__, ignored by git) even where the environment says
# not to (PYTHONDONTWRITEBYTECODE, common in CI images): otherwise each of the four pytest
# processes compiles Django, the project and pytest's rewritten test modules from source again
# (collecting took 12.9 s of CPU per process instead of 6.5 s).
test: export PYTHONDONTWRITEBYTECODE :=
test: compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

## bench: gunicorn on PostgreSQL, every main page against the reference page (see scripts/bench.py)
bench: compilemessages
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) scripts/bench.py --prepare $(BENCH_RESOURCES) $(BENCH_TERMS) $(BENCH_CASES)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) scripts/bench.py

## messages: refresh the .po files after changing UI text (then translate the English file,
## and the Turkish and Arabic files: they hold only the handout's sentences, context
## "folder voor ouders", as those languages exist for the parent handout only)
HANDOUT_LOCALES := tr ar
messages: install
	$(PY) manage.py makemessages --locale nl --locale en $(HANDOUT_LOCALES:%=--locale %) --ignore=.venv --ignore=staticfiles --no-obsolete
	for code in $(HANDOUT_LOCALES); do \
	  po=locale/$$code/LC_MESSAGES/django.po; \
	  msggrep --msgctxt --regexp='^folder voor ouders$$' --sort-output -o $$po.tmp $$po && mv $$po.tmp $$po; \
	done

## lock: re-pin requirements*.lock from pyproject.toml, keeping existing pins (UPGRADE=1: all newest)
lock:
	$(PYTHON) scripts/lock.py

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
