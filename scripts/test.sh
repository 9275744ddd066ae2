#!/usr/bin/env bash
# The whole test suite: checks, lint, types, then the tests on SQLite and, when one answers, on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
export DVC_ENV=development
export DVC_VAR_DIR="${DVC_TEST_VAR_DIR:-$(mktemp -d)}"

step() { printf '\n== %s\n' "$*"; }

step "manage.py check"
"$PY" manage.py check --fail-level WARNING
step "makemigrations --check"
"$PY" manage.py makemigrations --check --dry-run
step "ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
step "mypy"
"$VENV/bin/mypy"

step "tests on SQLite"
"$PY" -m pytest -q -p no:cacheprovider "$@"

PG_URL=${DVC_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/dvc}
if "$PY" - "$PG_URL" <<'PYCODE'
import sys
import psycopg
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
try:
    psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password or None,
                    dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {u.hostname}:{u.port}: {exc}")
    sys.exit(1)
PYCODE
then
  step "tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" "$PY" -m pytest -q -p no:cacheprovider "$@"
else
  step "PostgreSQL skipped: no server answered"
fi

# Browser end-to-end: the portal as `make run` starts it, in Debian's chromium, with axe-core from npm.
step "browser end-to-end (Playwright + chromium + axe-core)"
if [ -x "${DVC_E2E_CHROMIUM:-/usr/bin/chromium}" ] || command -v chromium >/dev/null 2>&1; then
  if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  "$PY" -m pytest -q -p no:cacheprovider e2e
else
  echo "chromium not found: browser tests not run (install Debian's chromium package; .ci/run does)"
  [ -z "${CI:-}" ] || exit 1
fi
