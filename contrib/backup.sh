#!/bin/sh
# Back up a WILMA installation: the database, the uploaded files and the instance configuration.
#
#   WILMA_INSTANCE_PATH=/srv/wilma/instance PYTHON=/srv/wilma/venv/bin/python \
#       /srv/wilma/app/contrib/backup.sh /var/backups/wilma
#
# Writes DEST/<UTC time>/ with
#   database.dump     PostgreSQL: pg_dump -Fc (restore with pg_restore), or
#   database.sqlite   SQLite: sqlite3's online .backup (consistent while the app writes, WAL included)
#   uploads.tar       WILMA_UPLOAD_DIR
#   instance.tar.gz   config.py and secret_key of the instance folder (they hold passwords: keep it safe)
#   SHA256SUMS
# The search index is not saved: after a restore, `flask wilma search rebuild` makes it from the
# database (see docs/deployment.md). The database is dumped before the files are archived, so every
# file the dump refers to is in the archive. The servers may keep running.
#
# Where the database and the files are comes from WILMA's own configuration layers (defaults,
# instance/config.py, WILMA_* environment), read with $PYTHON (default: python3), which must be able to
# import wilma. PostgreSQL passwords belong in ~/.pgpass of the user running this, not in the URL.
set -eu
umask 077

dest=${1:?usage: backup.sh DEST_DIR (with WILMA_INSTANCE_PATH set)}
instance=${WILMA_INSTANCE_PATH:?set WILMA_INSTANCE_PATH to the instance folder}
python=${PYTHON:-python3}

settings=$("$python" - "$instance" <<'EOF'
import shlex
import sys

from wilma.config import build_config

config = build_config(sys.argv[1], None)
print(f"database_url={shlex.quote(config['WILMA_DATABASE_URL'])}")
print(f"upload_dir={shlex.quote(config['WILMA_UPLOAD_DIR'])}")
EOF
)
eval "$settings"

out="$dest/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
chmod 700 "$out"
cd "$out"

case "$database_url" in
  postgresql*|postgres:*)
    # SQLAlchemy's "postgresql+psycopg://" is libpq's "postgresql://".
    pg_dump --format=custom --file=database.dump "$(echo "$database_url" | sed 's#^postgres[a-z]*+[a-z0-9]*://#postgresql://#')"
    ;;
  sqlite:///*)
    sqlite3 "${database_url#sqlite:///}" ".backup 'database.sqlite'"
    sqlite3 database.sqlite "PRAGMA integrity_check;" | grep -qx ok
    ;;
  *)
    echo "backup.sh: unsupported database URL: $database_url" >&2
    exit 1
    ;;
esac

if [ -d "$upload_dir" ]; then
  tar -C "$upload_dir" -cf uploads.tar .
else
  tar -cf uploads.tar --files-from /dev/null
fi

set --
for name in config.py secret_key; do
  [ -e "$instance/$name" ] && set -- "$@" "$name"
done
if [ $# -gt 0 ]; then
  tar -C "$instance" -czf instance.tar.gz "$@"
fi

sha256sum -- * > SHA256SUMS
echo "backup written to $out"
ls -l "$out"
