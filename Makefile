# The two commands of the README: `make run` and `make test`. Everything they need is set up here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: run test install lint browser-deps translations clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

install: $(STAMP)

run: install
	$(FLASK) db upgrade
	$(FLASK) wilma demo
	@echo ""
	@echo "  WILMA runs at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password wilma-demo-2026): admin (administrator), anna, ben, clara, greta"
	@echo ""
	$(BIN)/python -m wilma.serve --host $(HOST) --port $(PORT)

test: install browser-deps
	$(BIN)/pytest $(PYTEST_ARGS)

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; fi; }

# Update the message catalogues after changing visible strings; the compiled .mo files are committed.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o wilma/translations/messages.pot .
	$(BIN)/pybabel -q update -i wilma/translations/messages.pot -d wilma/translations --no-fuzzy-matching
	$(BIN)/pybabel -q compile -d wilma/translations

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build *.egg-info
