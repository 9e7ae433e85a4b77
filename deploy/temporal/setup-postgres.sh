#!/bin/sh
# One-shot: creates Temporal's two databases on PostgreSQL and brings their schemas up to date.
set -eu
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" "$@"; }
schema_dir=/etc/temporal/schema/postgresql/v12
tool --db temporal create || true
tool --db temporal setup-schema -v 0.0
tool --db temporal update-schema -d "$schema_dir/temporal/versioned"
tool --db temporal_visibility create || true
tool --db temporal_visibility setup-schema -v 0.0
tool --db temporal_visibility update-schema -d "$schema_dir/visibility/versioned"
