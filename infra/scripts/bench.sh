#!/usr/bin/env bash
# `./pnpm bench`: every benchmark, one after another (they measure CPU and time, so
# they must not share the machine), each writing its section of docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '\n==> %s\n' "$*" >&2; }
bash infra/scripts/ensure-debian-packages.sh chromium ffmpeg fonts-dejavu-core
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
