# Sourced by start.sh, test.sh, worker-build.sh and ensure-debian-packages.sh: one line per
# step on the terminal, every tool's own output in the command's log file.
#
#   dp_log_init NAME        the log file .data/logs/NAME-YYYYMMDD-HHMMSS.log, exported as DP_LOG
#                           (a script run by another one keeps its caller's DP_LOG)
#   say TEXT                «==> TEXT» on the terminal (stderr)
#   step TEXT CMD…          say TEXT, run CMD with its output into the log; on failure: dp_fail
#   quiet TEXT CMD…         the same without the «==>» line (a part of a step already said)
#   dp_fail TEXT STATUS     which step failed, the log's last 30 lines and its path; exit STATUS
#   dp_progress_run LABEL MODE CMD…
#                           CMD's output through progress.ts (ninja: [n/N] on one line; jest:
#                           counts, then the summaries); its status is CMD's
#   dp_worker LABEL         the mediasoup worker (built once, then cached) → MEDIASOUP_WORKER_BIN
#
# Without DP_LOG (a script run on its own, e.g. ensure-debian-packages.sh by hand) the output
# goes to stderr as it comes.

DP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '==> %s\n' "$*" >&2; }

dp_log_init() {
  if [ -z "${DP_LOG:-}" ]; then
    mkdir -p "$DP_ROOT/.data/logs"
    DP_LOG="$DP_ROOT/.data/logs/$1-$(date +%Y%m%d-%H%M%S).log"
    : >"$DP_LOG"
    export DP_LOG
  fi
}

dp_fail() {
  local what="$1" status="$2"
  if [ -n "${DP_LOG:-}" ] && [ -s "$DP_LOG" ]; then
    printf '\nerror: %s failed (exit status %s). The last 30 lines of its log:\n' "$what" "$status" >&2
    tail -n 30 "$DP_LOG" | sed 's/^/    /' >&2
    printf 'error: %s failed; the whole output is in %s\n' "$what" "$DP_LOG" >&2
  else
    printf 'error: %s failed (exit status %s)\n' "$what" "$status" >&2
  fi
  exit "$status"
}

quiet() {
  local what="$1" status=0
  shift
  if [ -n "${DP_LOG:-}" ]; then
    printf '\n### %s %s\n### $ %s\n' "$(date +%T)" "$what" "$*" >>"$DP_LOG"
    "$@" >>"$DP_LOG" 2>&1 || status=$?
  else
    "$@" >&2 || status=$?
  fi
  [ "$status" -eq 0 ] || dp_fail "$what" "$status"
}

step() {
  say "$1"
  quiet "$@"
}

dp_progress_run() {
  local label="$1" mode="$2" status_file status
  shift 2
  status_file="$(mktemp)"
  printf '\n### %s %s\n### $ %s\n' "$(date +%T)" "$label" "$*" >>"$DP_LOG"
  {
    "$@" 2>&1 && echo 0 >"$status_file" || echo $? >"$status_file"
  } | node "$DP_ROOT/infra/scripts/progress.ts" --log "$DP_LOG" --label "$label" --mode "$mode" || true
  status="$(cat "$status_file" 2>/dev/null || echo 1)"
  rm -f "$status_file"
  return "${status:-1}"
}

# The mediasoup worker (infra/mediasoup-worker/build.sh: built once, then cached), its path in
# MEDIASOUP_WORKER_BIN; the build's output into the log, its progress on one line.
dp_worker() {
  local out status=0
  out="$(mktemp)"
  # build.sh prints only the binary's path on stdout: that goes to a file, the rest to progress.ts.
  dp_progress_run "$1" ninja bash -c 'bash "$0" >"$1"' "$DP_ROOT/infra/mediasoup-worker/build.sh" "$out" || status=$?
  MEDIASOUP_WORKER_BIN="$(cat "$out")"
  rm -f "$out"
  [ "$status" -eq 0 ] && [ -n "$MEDIASOUP_WORKER_BIN" ] || dp_fail "the mediasoup worker build" "$((status == 0 ? 1 : status))"
  export MEDIASOUP_WORKER_BIN
}
