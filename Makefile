# Two commands: `make run` serves the site with demo content; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
VENV ?= .venv
# Python 3.13 as .python-version asks: pyenv's if it is there, else python3.13 on the PATH.
PYTHON ?= $(shell (command -v pyenv >/dev/null 2>&1 && pyenv which python3 2>/dev/null) || command -v python3.13 || echo python3.13)
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium
# `make test` and `make test-postgres` share the suite between TEST_WORKERS processes
# (pytest-xdist; 0 runs it in one). Tests go one by one to whichever worker is free; those
# sharing an expensive fixture carry one `xdist_group` mark and run on the same worker.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The same suite against a throw-away PostgreSQL cluster.
test-postgres: install-dev browser java redis
	scripts/with-postgres.sh $(PYTEST)

# Two gunicorn app servers and one task worker on PostgreSQL, Redis, moto's S3 server and an SMTP
# sink, all on loopback in a throw-away folder (scripts/cluster.sh), then tests/cluster/ against them.
# The app servers re-read the page cache's version only when Redis announces a new one, so the
# tests show that announcements alone carry an edit from one server to the other.
test-cluster: install-dev
	PAGE_CACHE_VERSION_RECHECK_SECONDS=3600 scripts/cluster.sh $(BIN)/python -m pytest tests/cluster -p no:cacheprovider

.PHONY: test-cluster help run test test-postgres setup venv install install-dev browser migrate demo check lint bench bench-large bench-cluster bench-cache bench-booking lighthouse wrk redis clean backup restore lock

help:
	@echo "make run     set up and serve the site with demo content on http://$(HOST):$(PORT)"
	@echo "make test    install the test tools and run the whole test suite"
	@echo "make check   ruff lint and format check, manage.py check, makemigrations --check"
	@echo "make lock    recompile requirements*.txt from requirements*.in (UPGRADE=1: newest versions)"
	@echo "make setup   install, migrate, load the demo content, collect static files (no server)"
	@echo "make test-postgres   the whole suite against a throw-away PostgreSQL cluster"
	@echo "make test-cluster    two app servers on PostgreSQL, Redis and S3 storage (see README)"
	@echo "make bench / bench-large / bench-cluster / bench-cache / bench-booking / lighthouse   benchmarks (see README)"
	@echo "make backup  one archive of the database and uploads in BACKUP_DIR (see README, Backups)"
	@echo "make restore BACKUP=path [FORCE=1]   check an archive, then restore it into an empty DATA_DIR"
	@echo "make clean   remove the virtual environment, collected static files and the cache"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 13), "Python 3.13 is needed (see .python-version); found " + sys.version' \
		|| { echo "Install Python 3.13 (e.g. 'pyenv install 3.13') and try again."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM): run 'sudo apt-get install chromium' (or set CHROMIUM=...)."; exit 1; \
		fi; \
	fi

# The HTML checks run the Nu HTML Checker (vnu.jar, shipped by a pinned PyPI package) on Java.
java:
	@if ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's Java runtime for the HTML validator..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
		else \
			echo "The HTML checks need Java: run 'sudo apt-get install default-jre-headless'."; exit 1; \
		fi; \
	fi

setup: install
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) reprocess_images
	$(MANAGE) createinitialrevisions --comment "Version before the admin history began" --verbosity 0
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) clear_page_cache

run: setup
	@$(MANAGE) ensure_demo_admin
	@echo
	@echo "  Site:  http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/"
	@echo "  Emails are printed below (console backend). Stop with Ctrl-C."
	@echo
	@SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" VENV=$(VENV) scripts/serve.sh $(HOST):$(PORT) $(WORKERS)

# Screenshots of every page template land in test-artifacts/screenshots/ (the run prints it).
test: install-dev browser java redis
	$(PYTEST)

check: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p var
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# The pins in requirements*.txt are compiled from the short requirements*.in by pip-tools: an
# existing pin is kept while it still fits, so only what changed in a .in file moves (UPGRADE=1
# moves everything to the newest versions). One plain line per package, sorted, to merge easily.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras --no-annotate --allow-unsafe \
	--no-emit-index-url --no-emit-find-links \
	$(if $(filter 1 true yes,$(UPGRADE)),--upgrade)
lock: install-dev
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

# The load generator of the benchmark: Debian's wrk.
wrk:
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else echo "The benchmark needs wrk: run 'sudo apt-get install wrk'."; exit 1; fi; }

bench: setup wrk
	$(BIN)/python bench/load.py

bench-large: setup wrk
	$(BIN)/python bench/load.py --large

# The same pages against scripts/cluster.sh's two app servers (PostgreSQL, Redis), beside two
# ceiling servers; the cluster is stopped and deleted afterwards.
bench-cluster: install-dev wrk
	scripts/cluster.sh $(BIN)/python bench/load.py --servers

# Debian's Redis: the page cache's Redis tests, and bench-cache (its hit rate with 10,000
# articles, on the file cache and on Redis).
redis:
	@command -v redis-server >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
		else echo "The page cache's Redis tests and bench-cache need Redis: run 'sudo apt-get install redis-server'."; exit 1; fi; }

bench-cache: install redis
	$(BIN)/python bench/cache_hits.py

# 500 enquiries from 64 clients against gunicorn (4 workers) on a throw-away SQLite database.
bench-booking: install
	$(BIN)/python bench/booking_concurrency.py

lighthouse: setup
	bench/lighthouse.sh

# One archive of the database and every upload; its path is the last line printed.
backup: install
	@$(MANAGE) backup

# Into an empty DATA_DIR (FORCE=1 replaces what is there), after checking the whole archive.
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=path/to/archive [FORCE=1]"; exit 2; }
	@$(MANAGE) restore "$(BACKUP)" $(if $(filter 1 true yes,$(FORCE)),--force)

clean:
	rm -rf $(VENV) staticfiles var/cache .pytest_cache
