# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_PORT ?= 8080

.PHONY: demo test lint typecheck unit clean bench chromium

$(STAMP): pyproject.toml sandbox/pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,demo]' -e ./sandbox
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/hearback demo --port $(DEMO_PORT)

lint: $(STAMP)
	$(BIN)/ruff check bot flows storage sandbox tests bench examples
	$(BIN)/ruff format --check bot flows storage sandbox tests bench examples

typecheck: $(STAMP)
	$(BIN)/mypy bot flows storage sandbox examples

# The browser tests drive Debian's chromium (Playwright cannot download browsers here); the
# emoji font is what the bot's buttons need to look right in their screenshots.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	test -x /usr/bin/chromium || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-noto-color-emoji)

test: lint typecheck chromium
	$(BIN)/pytest -q -p no:cacheprovider -n auto

bench: $(STAMP)
	$(BIN)/python bench/intake.py

clean:
	rm -rf $(VENV) hearback.db* hearback-demo.*
