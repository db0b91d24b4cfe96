# The README's two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install demo lint format

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	DEBUG=True $(BIN)/python manage.py migrate --no-input -v 0
	DEBUG=True $(BIN)/python manage.py load_models
	DEBUG=True $(BIN)/python manage.py load_demo
	DEBUG=True $(BIN)/python manage.py create_seal_certificates
	DEBUG=True $(BIN)/python manage.py create_demo_accounts

# The PDF worker (pre-renders each convention's PDF after a save) runs beside the web server and
# stops with it.
run: demo
	DEBUG=True $(BIN)/python manage.py db_worker --no-reload --interval 0.2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	DEBUG=True $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	SECRET_KEY=insecure-key-for-tests-only SEAL_PASSPHRASE=test-only-seal-passphrase $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
