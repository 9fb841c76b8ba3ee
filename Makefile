# 年报助手 — `make run` starts the app (offline engine), `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
HOST ?= 127.0.0.1

.PHONY: run test bench setup sysdeps lint clean bundle

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# System packages the tests use: Chromium (browser tests), LibreOffice and CJK fonts (export
# rendering), poppler (PDF to PNG), PostgreSQL (the shared-database store tests).
# Installed with apt where we may; otherwise the tests fail and say what is missing.
SYS_CMDS := chromium soffice pdftoppm pg_ctlcluster
sysdeps:
	@missing=""; for c in $(SYS_CMDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing system packages for:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	      chromium libreoffice-writer fonts-noto-cjk poppler-utils postgresql >/dev/null \
	    || (apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	      chromium libreoffice-writer fonts-noto-cjk poppler-utils postgresql >/dev/null); \
	  else echo "missing system commands:$$missing (install chromium libreoffice-writer fonts-noto-cjk poppler-utils postgresql)"; fi; \
	fi

# Desktop mode: this machine only (127.0.0.1). Another HOST needs office-server mode (NIANBAO_USERS).
run: setup
	$(PY) -m assistant serve --host $(HOST) --port $(PORT)

test: setup sysdeps
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench

# An offline installer in dist/offline/: every wheel for this platform and install.sh (see README).
bundle: setup
	$(PY) deploy/bundle.py --dest dist/offline

lint: setup
	$(VENV)/bin/ruff check assistant ui app.py bench tests deploy setup.py
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .hypothesis
