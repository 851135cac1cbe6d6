#!/usr/bin/env bash
# The whole test suite (README: `./pnpm test`). Installs what it needs, says what it does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '\n==> %s\n' "$*" >&2; }
started=$(date +%s)

say "Debian packages for the tests (Chromium for end-to-end, ffmpeg for media fixtures, PostgreSQL, Redis)"
bash infra/scripts/ensure-debian-packages.sh chromium ffmpeg fonts-dejavu-core postgresql redis-server

# Throw-away PostgreSQL and Redis for this run (the README's rule: real servers, no mocks).
free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
TEST_DATA_DIR="$(mktemp -d /tmp/distpriem-test.XXXXXX)"
cleanup() {
  DATA_DIR="$TEST_DATA_DIR" bash infra/scripts/local-postgres.sh destroy >/dev/null 2>&1 || true
  DATA_DIR="$TEST_DATA_DIR" bash infra/scripts/local-redis.sh destroy >/dev/null 2>&1 || true
  rm -rf "$TEST_DATA_DIR"
}
trap cleanup EXIT
say "Throw-away PostgreSQL and Redis for this run (in $TEST_DATA_DIR)"
export DATA_DIR="$TEST_DATA_DIR" PGPORT="$(free_port)" REDIS_PORT="$(free_port)"
bash infra/scripts/local-postgres.sh start
bash infra/scripts/local-redis.sh start
DATABASE_URL="$(bash infra/scripts/local-postgres.sh url)"
REDIS_URL="$(bash infra/scripts/local-redis.sh url)"
export DATABASE_URL REDIS_URL

say "mediasoup worker (built once against Debian's libraries, then cached)"
MEDIASOUP_WORKER_BIN="$(bash infra/mediasoup-worker/build.sh)"
export MEDIASOUP_WORKER_BIN CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
echo "    worker: $MEDIASOUP_WORKER_BIN" >&2

RESULTS="$ROOT/.data/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
export JEST_RESULTS_DIR="$RESULTS"

say "Type-checking every package (tsc --noEmit, strict)"
pnpm exec turbo run typecheck --output-logs=errors-only

say "Lint (ESLint) and formatting (Prettier)"
pnpm run lint

say "Unit and integration tests (jest; real mediasoup workers on loopback)"
status=0
pnpm exec turbo run test --concurrency=2 --output-logs=full || status=$?

if [ $status -eq 0 ]; then
  say "Building the web app for the end-to-end tests"
  pnpm exec turbo run build --filter=@dp/web --filter=@dp/signalling... --output-logs=errors-only
  say "End-to-end tests (Debian's Chromium with fake camera and microphone, real media through the SFU)"
  pnpm exec turbo run test:e2e --output-logs=full || status=$?
fi

say "Summary ($(( $(date +%s) - started )) s)"
node infra/scripts/test-summary.ts "$RESULTS" || status=$?
exit $status
