#!/usr/bin/env bash
# `./pnpm bench`: every benchmark, one after another (they measure CPU and time, so
# they must not share the machine), each writing its section of docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '\n==> %s\n' "$*" >&2; }
bash infra/scripts/ensure-debian-packages.sh chromium ffmpeg fonts-dejavu-core iproute2 iptables coturn
MEDIASOUP_WORKER_BIN="$(bash infra/mediasoup-worker/build.sh)"
export MEDIASOUP_WORKER_BIN CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
# The timetable benchmarks need PostgreSQL and Redis.
. infra/scripts/throwaway-servers.sh
say "Building the web app"
pnpm exec turbo run build --filter=@dp/web --filter=@dp/signalling... --output-logs=errors-only
say "Benchmarks (sequential); results go to docs/benchmarks.md"
pnpm exec turbo run bench --concurrency=1 --output-logs=full
# Webinar capacity: the whole product with a Chromium host and a few hundred werift attendees
# in child processes (packages/e2e/src/bench/webinar-capacity.ts); ~2–4 minutes.
say "Webinar capacity (one host, N WebRTC attendees)"
node packages/e2e/src/bench/webinar-capacity.ts
# Page weight of the link page on a 256 kbit/s, 400 ms line (Chromium's HTTP throttling):
# bytes before the first paint, time to the heading and to «Войти» (packages/e2e/src/bench/page-weight.ts).
say "Page weight of the link page (256 kbit/s, 400 ms RTT)"
node packages/e2e/src/bench/page-weight.ts
# A consultation over an impaired rural link (the client's Chromium in its own network namespace: caps,
# loss, delay, blackholes, an address change, UDP blocked; packages/e2e/src/bench/rural-network.ts); ~15 minutes.
say "Rural network: a consultation under impairment"
node packages/e2e/src/bench/rural-network.ts
# The health dashboard's rendering with 100 rooms of synthetic data, in a production build of its
# own entry (packages/e2e/src/bench/dashboard-render.ts; no server): a snapshot, CPU slowed 4×, a room's charts.
say "Health dashboard rendering (100 synthetic rooms)"
node packages/e2e/src/bench/dashboard-render.ts
# The fuzzer's long run (apps/signalling/test/fuzz): ≥ 100 000 generated requests with a new
# seed, its counts and failures written to docs/security.md («Fuzzer»); ~12 minutes on 2 cores.
say "Fuzzer, long run (FUZZ_CASES=${FUZZ_CASES:-100000}); figures go to docs/security.md"
fuzz_status=0
(cd apps/signalling && FUZZ_CASES="${FUZZ_CASES:-100000}" FUZZ_SEED="${FUZZ_SEED:-$(date +%s)}" FUZZ_REPORT=1 FUZZ_PROGRESS=1 \
  FUZZ_TIMEOUT_MS=$((4 * 3600 * 1000)) node --experimental-vm-modules ../../node_modules/jest/bin/jest.js --runInBand test/fuzz) ||
  fuzz_status=$?
[ $fuzz_status -eq 0 ] || say "Fuzzer: failures found (listed in docs/security.md, «Fuzzer»)"
# The report is written as plain text; keep the docs as `./pnpm lint` wants them.
pnpm exec prettier --write docs/security.md docs/benchmarks.md README.md >/dev/null
# Dependency advisories (also `./pnpm audit:deps`): reported here, never aborting the bench.
say "Dependency advisories (pnpm audit --prod, infra/audit-allowlist.json)"
audit_status=0
node infra/scripts/audit-deps.ts || audit_status=$?
case $audit_status in
  0) ;;
  2) say "Dependency advisories: NOT CHECKED (the registry's audit endpoint could not be used; see above)" ;;
  *) say "Dependency advisories: high or critical advisories not allowed (see above) — run ./pnpm audit:deps" ;;
esac
