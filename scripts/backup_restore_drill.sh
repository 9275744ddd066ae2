#!/usr/bin/env bash
# Backup and restore drill for a PostgreSQL deployment (docs/production.md, "Backups").
#
#   scripts/backup_restore_drill.sh [DATABASE_URL] [MEDIA_DIR]
#
# 1. backs up the database (pg_dump, custom format) and the uploaded files (tar of MEDIA_DIR);
# 2. restores both into a scratch database and folder;
# 3. checks the copy: every table's row count equal, `manage.py migrate --check` clean on it, and every stored
#    file the restored database names present with the same SHA-256.
# Without arguments it builds a small portal database first (migrations, official units, demo data), so the drill
# runs anywhere PostgreSQL answers on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DVC_ENV=${DVC_ENV:-development}
export DJANGO_SETTINGS_MODULE=dvc.settings
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SOURCE=${1:-}
MEDIA=${2:-}
if [ -z "$SOURCE" ]; then
  SOURCE=postgres://postgres@127.0.0.1:5432/dvc_drill_source
  MEDIA=$WORK/source-var/media
  psql -q -d "${SOURCE%/*}/postgres" -c 'DROP DATABASE IF EXISTS dvc_drill_source' -c 'CREATE DATABASE dvc_drill_source'
  export DVC_VAR_DIR=$WORK/source-var
  DATABASE_URL=$SOURCE "$PY" manage.py migrate --noinput >/dev/null
  DATABASE_URL=$SOURCE "$PY" manage.py load_admin_units >/dev/null
  DATABASE_URL=$SOURCE "$PY" -c 'import django; django.setup(); from dvc.web.demo import load_demo; load_demo()' >/dev/null
fi
TARGET=${SOURCE%/*}/dvc_drill_restored
started=$(date +%s)

echo "== backup"
pg_dump --format=custom --no-owner --file="$WORK/db.dump" "$SOURCE"
tar -C "$(dirname "$MEDIA")" -czf "$WORK/media.tar.gz" "$(basename "$MEDIA")"
ls -l "$WORK/db.dump" "$WORK/media.tar.gz" | awk '{print "   " $5 " bytes  " $9}'

echo "== restore into a scratch database and folder"
psql -q -d "${SOURCE%/*}/postgres" -c 'DROP DATABASE IF EXISTS dvc_drill_restored' -c 'CREATE DATABASE dvc_drill_restored'
pg_restore --no-owner --exit-on-error --dbname="$TARGET" "$WORK/db.dump"
mkdir -p "$WORK/restored-var"
tar -C "$WORK/restored-var" -xzf "$WORK/media.tar.gz"

echo "== check the copy"
count_rows() {
  psql -At -d "$1" -c "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1" |
    while read -r table; do echo "$table $(psql -At -d "$1" -c "SELECT count(*) FROM \"$table\"")"; done
}
diff <(count_rows "$SOURCE") <(count_rows "$TARGET") && echo "   every table has the same number of rows"
DVC_VAR_DIR=$WORK/restored-var DATABASE_URL=$TARGET "$PY" manage.py migrate --check >/dev/null && echo "   migrations: up to date"
DVC_VAR_DIR=$WORK/restored-var DATABASE_URL=$TARGET "$PY" - <<'PYCODE'
import hashlib

import django

django.setup()
from dvc.vault.models import StoredFile

files = list(StoredFile.objects.all())
for stored in files:
    with stored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == stored.sha256, stored.file.name
print(f"   {len(files)} stored files present with their SHA-256")
PYCODE
psql -q -d "${SOURCE%/*}/postgres" -c 'DROP DATABASE dvc_drill_restored'
echo "drill passed in $(( $(date +%s) - started )) s"
