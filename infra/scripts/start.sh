#!/usr/bin/env bash
# Starts the whole product on this machine (README: `./pnpm start`). Installs what it
# needs, says what it does, and prints the links of a ready demo consultation.
#
#   ./pnpm start                 a newcomer's demo: demo data, its links printed (DEMO=0: none)
#   ./pnpm start --production    production (also DISTPRIEM_MODE=production; the systemd unit):
#                                never seeds demo data, never prints a link or a password link
#
# One line per step on the terminal; the tools' own output (apt, the worker's meson and ninja,
# turbo, migrations) goes to .data/logs/start-YYYYMMDD-HHMMSS.log, and a failed step names
# itself and shows that log's last lines. Ctrl+C stops the product (and the private PostgreSQL,
# Redis and coturn this start started) and exits with status 0.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. infra/scripts/steps.sh

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
dp_log_init start
say "Log of this start: ${DP_LOG#"$ROOT"/}"

# Ctrl+C before the product runs: stop here (the EXIT trap below stops what was started).
trap 'echo >&2; say "Interrupted"; exit 130' INT

dp_worker "Media worker (built once against Debian's libraries, ~5 min; then cached)"

step "Building the web app and the servers" pnpm exec turbo run build --filter=@dp/web --filter=@dp/signalling... --output-logs=errors-only

# Secrets are made once per installation and kept in .data/ (never committed); a secret
# that a newer version needs is added without touching the others.
mkdir -p .data && chmod 700 .data
touch .data/secrets.env && chmod 600 .data/secrets.env
secret_names=(SFU_RPC_SECRET LINK_SECRET)
# TURN_SECRET only for the private coturn (TURN_ENABLED=1 without the institution's TURN_URLS).
if [ "${TURN_ENABLED:-0}" = 1 ] && [ -z "${TURN_URLS:-}" ]; then secret_names+=(TURN_SECRET); fi
for name in "${secret_names[@]}"; do
  if ! grep -q "^$name=" .data/secrets.env; then
    say "Generating $name into .data/secrets.env"
    echo "$name=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')" >> .data/secrets.env
  fi
done
turn_secret_env="${TURN_SECRET:-}"
set -a; . .data/secrets.env; set +a
# The institution's own TURN server comes with its own secret: the environment's, never the
# private coturn's kept in .data/secrets.env.
if [ -n "${TURN_URLS:-}" ]; then TURN_SECRET="$turn_secret_env"; fi

# PostgreSQL and Redis: the institution's own when DATABASE_URL / REDIS_URL are set,
# otherwise private servers from Debian's packages, with their data in .data/.
started=()
stop_private() {
  for s in "${started[@]}"; do bash "infra/scripts/local-$s.sh" stop 2>>"$DP_LOG" || true; done
  [ ${#started[@]} -eq 0 ] || say "Stopped the private $(printf '%s\n' "${started[@]}" | sed 's/^postgres$/PostgreSQL/; s/^redis$/Redis/' | paste -sd ',' | sed 's/,\([^,]*\)$/ and \1/; s/,/, /g')"
}
trap stop_private EXIT
if [ -z "${DATABASE_URL:-}" ]; then
  say "Private PostgreSQL (Debian's package) for this installation, data in .data/postgres"
  bash infra/scripts/ensure-debian-packages.sh postgresql
  started+=(postgres)
  quiet "Starting the private PostgreSQL" bash infra/scripts/local-postgres.sh start
  DATABASE_URL="$(bash infra/scripts/local-postgres.sh url)"
  export DATABASE_URL
fi
if [ -z "${REDIS_URL:-}" ]; then
  say "Private Redis (Debian's package) for this installation, data in .data/redis"
  bash infra/scripts/ensure-debian-packages.sh redis-server
  started+=(redis)
  quiet "Starting the private Redis" bash infra/scripts/local-redis.sh start
  REDIS_URL="$(bash infra/scripts/local-redis.sh url)"
  export REDIS_URL
fi

# TURN for clients whose networks block UDP and the SFU's TCP port (README, "Firewall"):
# TURN_ENABLED=1 with TURN_URLS (and TURN_SECRET) uses the institution's own coturn; without
# TURN_URLS a private coturn from Debian's package runs here, on TURN_PORT (3478) UDP and TCP.
if [ "${TURN_ENABLED:-0}" = 1 ]; then
  if [ -n "${TURN_URLS:-}" ]; then
    say "TURN: the institution's server(s) $TURN_URLS"
  else
    # local-coturn.sh installs the package itself (and turns off the service Debian starts with it).
    say "Private coturn (Debian's package) for clients behind strict firewalls, data in .data/coturn"
    started+=(coturn)
    quiet "Starting the private coturn" bash infra/scripts/local-coturn.sh start
    TURN_URLS="$(bash infra/scripts/local-coturn.sh urls)"
    say "TURN for signalling: $TURN_URLS (credentials signed with TURN_SECRET from .data/secrets.env)"
  fi
  export TURN_ENABLED TURN_URLS TURN_SECRET
fi

step "Applying database migrations" pnpm --filter @dp/db run migrate

say "Starting the SFU and signalling (Ctrl+C stops everything)"
# Ctrl+C reaches run-all.ts too (same process group): it stops the SFU and signalling and exits
# with 0 (1 when one of them died). This script then stops the private servers (EXIT trap).
# Should run-all.ts itself die of the SIGINT, the trap below still makes it a clean stop.
interrupted=0
trap 'interrupted=1' INT
status=0
node infra/scripts/run-all.ts || status=$?
if [ "$interrupted" = 1 ] || [ "$status" -eq 0 ]; then
  say "Stopped"
  exit 0
fi
exit "$status"
