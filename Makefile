# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := .make
POSTGRES_SERVER ?= postgres://postgres@127.0.0.1:5432
POSTGRES_URL ?= $(POSTGRES_SERVER)/liaison
# The app's own role in the PostgreSQL run: it owns nothing and may only read and append
# to the audit trail; the role in POSTGRES_URL owns the tables (docs/deployment.md).
POSTGRES_APP_ROLE ?= liaison_app
BACKUP_DIR ?= backups
DEBIAN_PACKAGES := chromium libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext



.PHONY: lighthouse security run test test-postgres test-fast lint format setup system-packages messages check-deploy bench backup restore clean

run: setup ## Set up, migrate SQLite, load demo data and serve on http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup ## The whole suite on SQLite, browser tests included
	$(BIN)/pytest -n 2

# CI runs the browser tests on SQLite only: on a 2-core machine the whole suite took 51
# minutes on SQLite alone, so twice would not fit in CI's 90. Everything else runs on both
# databases; `make test-postgres POSTGRES_PYTEST_ARGS=` runs the browser tests there too.
POSTGRES_PYTEST_ARGS ?= -m "not e2e"

test-postgres: setup ## The suite on PostgreSQL, run as the app's own role (POSTGRES_APP_ROLE); browser tests: see above
	@psql "$(POSTGRES_SERVER)/postgres" --no-psqlrc --tuples-only --no-align \
		--command="SELECT 1 FROM pg_roles WHERE rolname = '$(POSTGRES_APP_ROLE)'" | grep -q 1 \
		|| psql "$(POSTGRES_SERVER)/postgres" --no-psqlrc --quiet --command="CREATE ROLE $(POSTGRES_APP_ROLE) LOGIN"
	DATABASE_URL=$(POSTGRES_URL) DATABASE_APP_ROLE=$(POSTGRES_APP_ROLE) $(BIN)/pytest -n 2 $(POSTGRES_PYTEST_ARGS)

test-fast: setup ## Everything but the browser tests
	$(BIN)/pytest -n 2 -m "not e2e"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djlint templates --lint

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: setup ## Django's deployment checks with production settings
	DJANGO_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=liaison.example \
		FIELD_ENCRYPTION_KEYS=$$($(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
		CONTEXT_MATCH_KEY=$$(head -c 48 /dev/urandom | base64) \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

messages: setup ## Refresh and compile the Dutch and English message catalogues
	$(BIN)/python manage.py makemessages -l nl -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=scripts
	$(BIN)/python manage.py compilemessages --ignore=.venv

security: setup ## bandit over our code, pip-audit over the pinned dependencies
	$(BIN)/bandit -q -c pyproject.toml -r liaison families safety_plans portal bench
	@status=0; $(BIN)/pip-audit -r requirements.txt -r requirements-dev.txt --progress-spinner off \
		> .make/pip-audit.log 2>&1 || status=$$?; cat .make/pip-audit.log; \
	if grep -q 'could not be audited' .make/pip-audit.log; then \
		echo 'WARNING: pip-audit could not reach a vulnerability database for some packages (above); run make security where pypi.org answers.'; \
	fi; exit $$status

bench: setup ## Speed at 1,000 and 20,000 families under gunicorn + PostgreSQL (timings and ratios, never asserted in the suite)
	@command -v wrk >/dev/null || [ "$$(id -u)" != "0" ] || apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/plan_pdf.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/contexts.py

lighthouse: setup ## Lighthouse accessibility and best practices on every page each role reaches, both languages (slow; LIGHTHOUSE_ARGS=--limit 5)
	@command -v npm >/dev/null || [ "$$(id -u)" != "0" ] || apt-get install -y -qq npm >/dev/null 2>&1 \
		|| { apt-get update -qq && apt-get install -y -qq npm; }
	$(BIN)/python scripts/lighthouse.py $(LIGHTHOUSE_ARGS)

# Backup and restore need only the virtualenv (and PostgreSQL's client tools for
# PostgreSQL), not the Debian packages for browser tests and PDFs: they run on servers.
backup: $(STAMP)/python ## One timestamped archive (database, private media, manifest) into BACKUP_DIR (default backups/)
	$(BIN)/python manage.py backup --dir "$(BACKUP_DIR)"

restore: $(STAMP)/python ## Restore BACKUP=path into DATABASE_URL and PRIVATE_MEDIA_ROOT, then check it; FORCE=1 replaces what is there
	@test -n "$(BACKUP)" || { echo "Say which archive: make restore BACKUP=backups/liaison-backup-<time>.tar.gz [FORCE=1]" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" $(if $(filter 1,$(FORCE)),--force)

setup: system-packages $(STAMP)/python

system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian packages: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "Missing Debian packages (run as root or install them): $$missing"; \
		fi; \
	fi

$(STAMP)/python: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@mkdir -p $(STAMP) && touch $@

clean:
	rm -rf $(VENV) $(STAMP) db.sqlite3 staticfiles .pytest_cache
