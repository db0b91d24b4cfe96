#!/usr/bin/env bash
# Back up the database (pg_dump, custom format) and the files of MEDIA_ROOT (délibérations, signed
# PDFs) into one dated folder; /etc/ctg (ctg.env, seal certificates) is not included, nor the PDF
# cache (pdf-cache/: every file in it is rendered again when needed).
# Usage: deploy/backup.sh BACKUP_DIR   (reads DATABASE_URL and MEDIA_ROOT)
set -euo pipefail
target="${1:?usage: backup.sh BACKUP_DIR}/ctg-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --dbname="${DATABASE_URL:?DATABASE_URL is required}" --file="$target/database.dump"
tar -C "${MEDIA_ROOT:?MEDIA_ROOT is required}" --exclude=./pdf-cache -czf "$target/media.tar.gz" .
(cd "$target" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "$target"
