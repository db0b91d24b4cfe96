#!/usr/bin/env bash
# Restore a backup made by backup.sh into an EMPTY database and media folder.
# Usage: deploy/restore.sh BACKUP_FOLDER   (reads DATABASE_URL and MEDIA_ROOT)
set -euo pipefail
source_dir="${1:?usage: restore.sh BACKUP_FOLDER}"
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)
pg_restore --no-owner --exit-on-error --dbname="${DATABASE_URL:?DATABASE_URL is required}" "$source_dir/database.dump"
mkdir -p "${MEDIA_ROOT:?MEDIA_ROOT is required}"
tar -C "$MEDIA_ROOT" -xzf "$source_dir/media.tar.gz"
echo "restored from $source_dir"
