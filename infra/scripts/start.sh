#!/usr/bin/env bash
# Starts the whole product on this machine (README: `./pnpm start`). Installs what it
# needs, says what it does, and prints the links of a ready demo consultation.
#
#   ./pnpm start                 a newcomer's demo: demo data, its links printed (DEMO=0: none)
#   ./pnpm start --production    production (also DISTPRIEM_MODE=production; the systemd unit):
#                                never seeds demo data, never prints a link or a password link
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '==> %s\n' "$*" >&2; }

DISTPRIEM_MODE="${DISTPRIEM_MODE:-demo}"
for arg in "$@"; do
  case "$arg" in
    --production) DISTPRIEM_MODE=production ;;
    --demo) DISTPRIEM_MODE=demo ;;
    *) printf 'error: unknown option %s (usage: ./pnpm start [--production])\n' "$arg" >&2; exit 2 ;;
  esac
done
case "$DISTPRIEM_MODE" in
  production) say "Mode: production (no demo data, no links printed)" ;;
  demo) say "Mode: demo (a ready demo consultation and its links; ./pnpm start --production for a real installation)" ;;
  *) printf "error: DISTPRIEM_MODE must be 'demo' or 'production', got '%s'\n" "$DISTPRIEM_MODE" >&2; exit 2 ;;
esac
export DISTPRIEM_MODE

say "mediasoup worker (built once against Debian's libraries, then cached; the first time takes ~5 min)"
MEDIASOUP_WORKER_BIN="$(bash infra/mediasoup-worker/build.sh)"
export MEDIASOUP_WORKER_BIN

say "Building the web app"
pnpm exec turbo run build --filter=@dp/web --filter=@dp/signalling... --output-logs=errors-only

# Secrets are made once per installation and kept in .data/ (never committed); a secret
# that a newer version needs is added without touching the others.
mkdir -p .data && chmod 700 .data
touch .data/secrets.env && chmod 600 .data/secrets.env
for name in SFU_RPC_SECRET LINK_SECRET; do
  if ! grep -q "^$name=" .data/secrets.env; then
    say "Generating $name into .data/secrets.env"
    echo "$name=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')" >> .data/secrets.env
  fi
done
set -a; . .data/secrets.env; set +a

# PostgreSQL and Redis: the institution's own when DATABASE_URL / REDIS_URL are set,
# otherwise private servers from Debian's packages, with their data in .data/.
started=()
stop_private() {
  for s in "${started[@]}"; do bash "infra/scripts/local-$s.sh" stop || true; done
}
trap stop_private EXIT
if [ -z "${DATABASE_URL:-}" ]; then
  say "Private PostgreSQL (Debian's package) for this installation, data in .data/postgres"
  bash infra/scripts/ensure-debian-packages.sh postgresql
  bash infra/scripts/local-postgres.sh start
  started+=(postgres)
  DATABASE_URL="$(bash infra/scripts/local-postgres.sh url)"
  export DATABASE_URL
fi
if [ -z "${REDIS_URL:-}" ]; then
  say "Private Redis (Debian's package) for this installation, data in .data/redis"
  bash infra/scripts/ensure-debian-packages.sh redis-server
  bash infra/scripts/local-redis.sh start
  started+=(redis)
  REDIS_URL="$(bash infra/scripts/local-redis.sh url)"
  export REDIS_URL
fi

say "Applying database migrations"
pnpm --filter @dp/db run migrate

say "Starting the SFU and signalling (Ctrl+C stops everything)"
node infra/scripts/run-all.ts
