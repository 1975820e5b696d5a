# Two commands for a fresh machine: `make run` (demo on SQLite, tasks in-process)
# and `make test` (PostgreSQL and Redis, for real). Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Tests and benchmarks use the real services; override either to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/homecare
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
# The SQLite page walk runs with the whole suite; a run of chosen tests
# (PYTEST_ARGS) skips it unless WALK=1.
WALK ?= $(if $(PYTEST_ARGS),0,1)

.PHONY: run test bench install assets lint format worker beat chromium spreadsheet backup restore lock deploy-check

# Dependencies come from the lock files (every version pinned, with hashes):
# requirements.lock for production (the Dockerfile), requirements-dev.lock, the
# same pins plus the dev extra, here. The project itself from its source.
# `make lock` remakes both after a change to pyproject.toml (docs/operations.md).
LOCK_OPTIONS := --generate-hashes --universal --python-version 3.11 --quiet
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	@$(VENV)/bin/pip check >/dev/null || { $(VENV)/bin/pip check; \
		echo "The lock files are behind pyproject.toml: run 'make lock', then 'make install'."; exit 1; }
	touch $@

# UPGRADE=1 moves every pin to the newest release pyproject.toml allows.
lock:
	@test -x $(VENV)/bin/uv || $(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_OPTIONS) $(if $(UPGRADE),--upgrade) \
		-o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -c requirements.lock $(LOCK_OPTIONS) \
		-o requirements-dev.lock

install: $(VENV)/.installed assets

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/.built: node_modules/.installed $(wildcard static/scss/*.scss)
	mkdir -p static/build
	npx sass --quiet --load-path=node_modules --no-source-map --style=compressed static/scss/app.scss static/build/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/build/
	rm -rf static/build/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets static/build/assets
	touch $@

assets: static/build/.built

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo --if-empty
	DEBUG=1 $(PY) manage.py demo_logins
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# LibreOffice Calc opens the CSV exports in a test, as a commissioner's spreadsheet would.
spreadsheet:
	@command -v soffice >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null)

test: install chromium spreadsheet
	./scripts/ensure-services.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	DEBUG=1 $(VENV)/bin/mypy
	$(MAKE) --no-print-directory deploy-check
	DEBUG=1 DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(VENV)/bin/pytest $(PYTEST_ARGS)
ifeq ($(WALK),1)
	@# The page walk again on SQLite, the demo's database (issue 10): every page of
	@# every role, and bad query values, answer without a server error there too.
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/var/walk.sqlite3 CELERY_BROKER_URL= \
		$(VENV)/bin/pytest tests/walk -q -p no:cacheprovider
endif

# Django's deployment checklist with production settings (DEBUG off, a
# throwaway secret key of production length): any warning fails.
deploy-check: $(VENV)/.installed
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=homecare.example.gov.uk DEBUG= LOG_FORMAT=text \
		$(PY) manage.py check --deploy --fail-level WARNING

bench: install
	./scripts/ensure-services.sh
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	DEBUG=1 DATABASE_URL=$(TEST_DATABASE_URL)_bench CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(PY) -m benchmarks.run

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	DEBUG=1 $(VENV)/bin/mypy

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker:
	$(VENV)/bin/celery -A homecare worker -Q celery,packs -l info

beat:
	$(VENV)/bin/celery -A homecare beat -l info

# Backups (docs/operations.md). `make backup` writes an archive to BACKUP_DIR
# (var/backups); `make restore FILE=...` restores one into an empty database
# (REPLACE=1 drops the current one first). COMPOSE=1 runs them in the compose
# stack: the archive goes to, or is read from, the host's BACKUP_HOST_DIR.
BACKUP_HOST_DIR ?= ./backups
ifeq ($(COMPOSE),1)
backup:
	mkdir -p $(BACKUP_HOST_DIR)
	docker compose run --rm -T --user root -v "$(abspath $(BACKUP_HOST_DIR))":/backups web \
		python manage.py backup --output-dir /backups
restore:
	@test -n "$(FILE)" || { echo "Usage: make restore COMPOSE=1 FILE=backups/homecare-backup-....tar [REPLACE=1]"; exit 2; }
	docker compose run --rm -T --user root -v "$(abspath $(FILE))":/tmp/restore.tar:ro web \
		sh -c 'python manage.py restore /tmp/restore.tar $(if $(REPLACE),--replace) && chown -R homecare /app/var/media'
else
backup: $(VENV)/.installed
	$(PY) manage.py backup
restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/homecare-backup-....tar [REPLACE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(REPLACE),--replace)
endif
