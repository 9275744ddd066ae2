# DVC — the two commands: `make run` (portal with demo data) and `make test` (the whole suite).
PYTHON ?= python3
# The portal refuses to start without DVC_ENV: the two commands run it on the development defaults, explicitly.
export DVC_ENV ?= development
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint lock messages clean mutate

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_admin_units
	$(PY) manage.py run_portal --addr $${DVC_ADDR:-127.0.0.1:8000}

test: setup
	bash scripts/test.sh

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "DVC needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Mutation testing of the calendar and the payment modules (docs/testing.md); incremental, not part of `make test`.
mutate: setup
	@# mutmut refreshes the Python files it copied, not templates or static files: copy those again.
	test ! -d mutants/dvc || (cd dvc && find . -type f ! -name '*.py' ! -name '*.pyc' -exec cp --parents {} ../mutants/dvc/ \;)
	DVC_VAR_DIR=$$(mktemp -d) $(VENV)/bin/mutmut run --max-children $${JOBS:-2}
	$(PY) scripts/mutation_report.py

# Re-pin dependencies after editing requirements*.in.
lock: SHELL := /bin/bash
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -r requirements.in
	(echo "# Pinned runtime dependencies (from requirements.in). Regenerate with: make lock"; .lockenv/bin/pip freeze) > requirements.txt
	.lockenv/bin/pip install --quiet -r requirements-dev.in
	(echo "# Pinned test and lint tools (from requirements-dev.in), on top of requirements.txt."; echo "-r requirements.txt"; \
	  .lockenv/bin/pip freeze | grep -vxFf <(grep -v '^#' requirements.txt)) > requirements-dev.txt
	rm -rf .lockenv

# Collect texts into the English catalogue and compile it (needs GNU gettext); fill new ones with
# `python scripts/translations.py missing` and `... set FILE.json`, then run this again.
messages: setup
	$(PY) manage.py makemessages --locale en --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --locale en

clean:
	rm -rf $(VENV) var/test.sqlite3
