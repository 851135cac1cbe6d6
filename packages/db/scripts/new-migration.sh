#!/usr/bin/env bash
# Makes a migration offline, without `prisma migrate dev` (which needs a shadow database the
# WASM engine cannot create): replays prisma/migrations into a throw-away PostgreSQL and
# diffs the result against prisma/schema.prisma.
#
#   new-migration.sh <name>   write prisma/migrations/<UTC timestamp>_<name>/migration.sql
#                             (nothing when the schema and the migrations already agree)
#   new-migration.sh --check  exit 1 when they do not agree (prints the missing SQL)
#
# Hand-written SQL (CHECKs, triggers, functions) is invisible to Prisma's diff: put it in a
# migration of its own, or append it to the generated file before committing.
set -euo pipefail
PKG="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$PKG/../.." && pwd)"
say() { printf '==> %s\n' "$*" >&2; }

arg="${1:-}"
if [ "$arg" != "--check" ] && ! [[ "$arg" =~ ^[a-z0-9_]+$ ]]; then
  echo "usage: $0 <name: a-z 0-9 _> | --check" >&2
  exit 2
fi

DATA_DIR="$(mktemp -d)"
export DATA_DIR
cleanup() {
  bash "$ROOT/infra/scripts/local-postgres.sh" destroy >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
PGPORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export PGPORT
say "Throw-away PostgreSQL on port $PGPORT (the diff replays every migration into it)"
bash "$ROOT/infra/scripts/local-postgres.sh" start
DATABASE_URL="$(bash "$ROOT/infra/scripts/local-postgres.sh" url)"

sql="$(mktemp)"
trap 'rm -f "$sql"; cleanup' EXIT
cd "$PKG"
say "prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma"
DATABASE_URL="$DATABASE_URL" CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 \
  node --import ./src/unref-wasm-timers.ts node_modules/prisma/build/index.js migrate diff \
  --config prisma.config.ts --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma --script >"$sql"

if ! grep -v '^--' "$sql" | grep -q '[^[:space:]]'; then
  say "prisma/schema.prisma and prisma/migrations agree: no migration needed"
  exit 0
fi
if [ "$arg" = "--check" ]; then
  say "prisma/schema.prisma has changes that no migration makes:"
  cat "$sql" >&2
  exit 1
fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$arg"
mkdir -p "$dir"
cp "$sql" "$dir/migration.sql"
say "Wrote packages/db/$dir/migration.sql — read it, then commit it"
