#!/bin/sh
# docker-compose's temporal-schema job (temporalio/admin-tools): creates Temporal's two databases if missing and
# brings their schema to this release, as scripts/temporal-server.ts does outside Docker. Safe to run again:
# setup-schema -v 0.0 only makes the versioning tables when they are missing, update-schema applies what is new.
set -eu
for database in "${DBNAME:-temporal}" "${VISIBILITY_DBNAME:-temporal_visibility}"; do
  if [ "$database" = "${DBNAME:-temporal}" ]; then schema=postgresql/v12/temporal; else schema=postgresql/v12/visibility; fi
  sql() {
    temporal-sql-tool --plugin postgres12 --endpoint "${POSTGRES_SEEDS:-postgres}" --port "${DB_PORT:-5432}" \
      --user "$POSTGRES_USER" --password "$POSTGRES_PWD" --database "$database" --quiet "$@"
  }
  sql create-database 2>/dev/null || echo "database $database exists"
  sql setup-schema --version 0.0
  sql update-schema --schema-name "$schema"
  echo "database $database is at the latest $schema schema"
done
