# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := .make
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/liaison
DEBIAN_PACKAGES := chromium libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext


.PHONY: run test test-postgres test-fast lint format setup system-packages messages check-deploy bench clean

run: setup ## Set up, migrate SQLite, load demo data and serve on http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup ## The whole suite on SQLite, browser tests included
	$(BIN)/pytest -n 2

test-postgres: setup ## The whole suite on PostgreSQL
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -n 2

test-fast: setup ## Everything but the browser tests
	$(BIN)/pytest -n 2 -m "not e2e"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: setup ## Django's deployment checks with production settings
	DJANGO_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=liaison.example \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

messages: setup ## Refresh and compile the Dutch and English message catalogues
	$(BIN)/python manage.py makemessages -l nl -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=scripts
	$(BIN)/python manage.py compilemessages --ignore=.venv

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
