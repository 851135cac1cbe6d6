#!/usr/bin/env bash
# The whole test suite (README: `./pnpm test`). Installs what it needs, says what it does.
#
# One line per step on the terminal (on a terminal the tests' progress is one updating line);
# the tools' own output — apt, the worker's build, tsc, ESLint, every jest line — goes to
# .data/logs/test-YYYYMMDD-HHMMSS.log. Each package's jest summary, the failed tests and the
# closing `Tests: N passed, N failed` line (which CI reads) stay on the terminal.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. infra/scripts/steps.sh
dp_log_init test
say "Log of this run: ${DP_LOG#"$ROOT"/}"
started=$(date +%s)

# Chromium for end-to-end, ffmpeg for media fixtures, iproute2 + iptables for the impaired links of
# rural-network.e2e.test.ts (network namespaces, tc, loss rules), coturn for the TURN tests (started
# by the tests themselves on private ports); one line, and only when something is missing.
bash infra/scripts/ensure-debian-packages.sh chromium ffmpeg fonts-dejavu-core iproute2 iptables coturn

# Throw-away PostgreSQL and Redis for this run (the README's rule: real servers, no mocks).
. infra/scripts/throwaway-servers.sh

dp_worker "Media worker (built once against Debian's libraries, then cached)"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
echo "worker: $MEDIASOUP_WORKER_BIN" >>"$DP_LOG"

RESULTS="$ROOT/.data/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
export JEST_RESULTS_DIR="$RESULTS"

step "Type-checking every package (tsc --noEmit, strict)" pnpm exec turbo run typecheck --output-logs=errors-only
step "Lint (ESLint) and formatting (Prettier)" pnpm run lint

status=0
dp_progress_run "Unit and integration tests (jest; real PostgreSQL, Redis and mediasoup workers)" jest \
  pnpm exec turbo run test --concurrency=2 --output-logs=full || status=$?

if [ $status -eq 0 ]; then
  step "Building the web app for the end-to-end tests" pnpm exec turbo run build --filter=@dp/web --filter=@dp/signalling... --output-logs=errors-only
  dp_progress_run "End-to-end tests (Debian's Chromium with fake camera and microphone, real media through the SFU)" jest \
    pnpm exec turbo run test:e2e --output-logs=full || status=$?
fi
[ $status -eq 0 ] || printf 'error: some tests failed; their whole output is in %s\n' "$DP_LOG" >&2

say "Summary ($(($(date +%s) - started)) s)"
node infra/scripts/test-summary.ts "$RESULTS" || status=$?
exit $status
