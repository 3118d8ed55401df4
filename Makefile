# Camino: `make run` starts the whole site; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Only this machine can reach `make run` unless told otherwise (its demo superuser's password is
# printed below): LISTEN_ADDRESS=0.0.0.0 make run opens it to the network.
LISTEN_ADDRESS ?= 127.0.0.1
# A local site: debug on (settings default to production). A deployment never runs make.
export DJANGO_DEBUG ?= true
# Mail prints to this console unless EMAIL_URL says otherwise, in production mode too: a server
# started without make refuses to start without EMAIL_URL (config/settings/production.py).
export EMAIL_URL ?= consolemail://
# Links in emails (receipts, manage links, letter status) point at the port the site listens on.
ifeq ($(filter 0.0.0.0 ::,$(LISTEN_ADDRESS)),)
export SITE_URL ?= http://$(LISTEN_ADDRESS):$(PORT)
else
export SITE_URL ?= http://127.0.0.1:$(PORT)
endif

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

run: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Camino is starting at $(SITE_URL)/  (admin: $(SITE_URL)/admin/)"
	@echo "Web, the Celery workers (one per queue) and beat run below; Ctrl-C stops all of them."
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) LISTEN_ADDRESS=$(LISTEN_ADDRESS) exec $(BIN)/python bin/run_all.py -f Procfile

test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var staticfiles
