#!/usr/bin/env bash
# End-to-end check of backup.sh and restore.sh on this machine's PostgreSQL: a source database with
# the demo and a signed convention, backed up, restored into a new database and folder, compared.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
export DEBUG=True SEAL_PASSPHRASE=check-only SEAL_CERTIFICATES_DIR="$work/seal"
src=ctg_backup_src dst=ctg_backup_dst
for db in $src $dst; do dropdb -h 127.0.0.1 -U postgres --if-exists "$db"; createdb -h 127.0.0.1 -U postgres "$db"; done

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$src" MEDIA_ROOT="$work/media-src"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_models >/dev/null
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/python manage.py create_demo_accounts >/dev/null
.venv/bin/python manage.py sign var-le-pradet-2022 --date 2022-01-15
.venv/bin/python manage.py export_pdf national-2025-demo -o "$work/export" >/dev/null  # fills the PDF cache
signed=$(find "$MEDIA_ROOT" -path "$MEDIA_ROOT/pdf-cache" -prune -o -name '*.pdf' -print | head -1)
before=$(.venv/bin/python manage.py shell -v 0 -c "from conventions.models import *; print(Convention.objects.count(), Article.objects.count(), SignedDocument.objects.count())")
backup=$(deploy/backup.sh "$work/backups")

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$dst" MEDIA_ROOT="$work/media-dst"
deploy/restore.sh "$backup"
after=$(.venv/bin/python manage.py shell -v 0 -c "from conventions.models import *; print(Convention.objects.count(), Article.objects.count(), SignedDocument.objects.count())")
.venv/bin/python manage.py verify_pdf "$MEDIA_ROOT/${signed#"$work/media-src/"}"
[ "$before" = "$after" ] || { echo "counts differ: $before / $after"; exit 1; }
[ ! -e "$MEDIA_ROOT/pdf-cache" ] || { echo "the PDF cache was backed up"; exit 1; }
echo "backup and restore OK: $after (conventions, articles, signed documents)"
for db in $src $dst; do dropdb -h 127.0.0.1 -U postgres "$db"; done
rm -rf "$work"
