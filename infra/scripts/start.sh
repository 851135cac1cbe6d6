#!/usr/bin/env bash
# Starts the whole product on this machine (README: `./pnpm start`). Installs what it
# needs, says what it does, and prints the links of a ready demo consultation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '==> %s\n' "$*" >&2; }

say "mediasoup worker (built once against Debian's libraries, then cached; the first time takes ~5 min)"
MEDIASOUP_WORKER_BIN="$(bash infra/mediasoup-worker/build.sh)"
export MEDIASOUP_WORKER_BIN

say "Building the web app"
pnpm exec turbo run build --filter=@dp/web --output-logs=errors-only

# Secrets are made once per installation and kept in .data/ (never committed).
mkdir -p .data && chmod 700 .data
if [ ! -f .data/secrets.env ]; then
  say "Generating this installation's secrets into .data/secrets.env"
  node -e 'const r=()=>require("crypto").randomBytes(32).toString("base64url");console.log(`SFU_RPC_SECRET=${r()}\nLINK_SECRET=${r()}`)' > .data/secrets.env
  chmod 600 .data/secrets.env
fi
set -a; . .data/secrets.env; set +a

say "Starting the SFU and signalling (Ctrl+C stops everything)"
exec node infra/scripts/run-all.ts
