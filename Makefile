# The two commands of the README: `make run` and `make test`. Everything they need is set up here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: run test install lint test-deps translations clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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

# One pytest-xdist worker per core (PYTEST_WORKERS=0 runs in one process); PYTEST_ARGS picks tests.
PYTEST_WORKERS ?= auto
test: install test-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Debian packages the tests start or drive: Chromium (through Playwright; no browser download) and
# OpenLDAP's slapd (the directory login of a city plugin is tested against a real server).
TEST_DEBS := chromium fonts-dejavu-core slapd ldap-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
test-deps:
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -x /usr/sbin/slapd ]; then \
	  echo "Installing $(TEST_DEBS) from Debian's packages"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_DEBS) >/dev/null; \
	fi

# Update the message catalogues after changing visible strings; the compiled .mo files are committed.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o wilma/translations/messages.pot .
	$(BIN)/pybabel -q update -i wilma/translations/messages.pot -d wilma/translations --no-fuzzy-matching
	$(BIN)/pybabel -q compile -d wilma/translations

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build *.egg-info
