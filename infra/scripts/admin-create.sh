#!/usr/bin/env bash
# ./pnpm admin:create --email admin@example.org --name "Иванова Мария Петровна" [--department "…"] [--reset]
# Creates a department admin and prints a one-time link to set the password (72 hours).
# Without DATABASE_URL it uses this installation's private PostgreSQL (.data/postgres),
# starting it for the moment if ./pnpm start is not running.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
say() { printf '==> %s\n' "$*" >&2; }

say "Building what the command needs"
pnpm exec turbo run build --filter=@dp/signalling... --output-logs=errors-only >&2
started=0
stop_private() { if [ "$started" = 1 ]; then bash infra/scripts/local-postgres.sh stop >&2 || true; fi; }
trap stop_private EXIT
if [ -z "${DATABASE_URL:-}" ]; then
  say "Using this installation's private PostgreSQL (.data/postgres)"
  bash infra/scripts/ensure-debian-packages.sh postgresql >&2
  if ! bash infra/scripts/local-postgres.sh status >/dev/null 2>&1; then
    bash infra/scripts/local-postgres.sh start >&2
    started=1
  fi
  DATABASE_URL="$(bash infra/scripts/local-postgres.sh url)"
  export DATABASE_URL
fi
say "Applying database migrations"
pnpm --filter @dp/db run migrate >&2
node apps/signalling/scripts/admin-create.ts "$@"
