#!/usr/bin/env bash
# The whole test suite (README: `./pnpm test`). Installs what it needs, says what it does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '\n==> %s\n' "$*" >&2; }
started=$(date +%s)

say "Debian packages for the tests (Chromium for end-to-end, ffmpeg for media fixtures, PostgreSQL, Redis)"
bash infra/scripts/ensure-debian-packages.sh chromium ffmpeg fonts-dejavu-core

# Throw-away PostgreSQL and Redis for this run (the README's rule: real servers, no mocks).
. infra/scripts/throwaway-servers.sh

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
