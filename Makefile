# The two commands a newcomer needs:  make run  and  make test.
# Both create .venv from requirements.txt when it is missing or out of date.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

# The demo desk on the embedded defaults (SQLite in var/, Celery's file-system broker):
# migrate, load demo data, then web server + Celery worker with beat. Ctrl-C stops all.
run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py sync_schedules
	$(BIN)/python manage.py seed_demo
	$(BIN)/honcho --procfile Procfile.dev start

# The whole suite. With DATABASE_URL / CELERY_BROKER_URL set it runs on PostgreSQL / Redis.
test: $(BIN)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf var .pytest_cache
