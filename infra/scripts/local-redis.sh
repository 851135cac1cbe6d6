#!/usr/bin/env bash
# A private Redis server for this checkout (Debian's redis-server; used when REDIS_URL is unset —
# the caller decides that, this script never reads REDIS_URL).
#
#   local-redis.sh start    start (no-op when already running)
#   local-redis.sh stop     stop (no-op when stopped); Redis flushes its append-only file first
#   local-redis.sh status   say whether it runs; exit 0 running, 3 stopped
#   local-redis.sh url      print redis://default:PASSWORD@127.0.0.1:PORT on stdout
#   local-redis.sh destroy  stop and delete its data (throw-away servers)
#
# Environment: DATA_DIR (default <repo>/.data), REDIS_PORT (default: the port of the last start,
# else 63799). Data, pid file, log, password and config in $DATA_DIR/redis. Logs go to stderr
# as "==> " lines.
#
# Persistence is on (append-only file, fsync every second, plus RDB snapshots): queued jobs
# survive a Redis restart. Listens on 127.0.0.1 only, with a generated password (like
# local-postgres.sh's): any local user of this machine can reach the port, and the counters
# and queues in it are the product's. The password is made once (password, mode 0600) and
# given to redis-server in a config file (redis.conf, 0600), never on a command line that
# `ps` would show; `url` prints it inside REDIS_URL. A server this script started before it
# had passwords keeps running without one until it is stopped (its data dir has no password).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

cmd="${1:-}"
case "$cmd" in start | stop | status | url | destroy) ;; *) die "usage: $0 start|stop|status|url|destroy" ;; esac

DATA_DIR="$(realpath -m "${DATA_DIR:-$ROOT/.data}")"
DIR="$DATA_DIR/redis"
PIDFILE="$DIR/redis.pid"
DEFAULT_PORT=63799

need_binaries() {
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    bash "$ROOT/infra/scripts/ensure-debian-packages.sh" redis-server
  fi
}

configured_port() {
  if [ -n "${REDIS_PORT:-}" ]; then
    printf '%s' "$REDIS_PORT"
  elif [ -f "$DIR/port" ]; then
    cat "$DIR/port"
  else
    printf '%s' "$DEFAULT_PORT"
  fi
}

pid() { cat "$PIDFILE" 2>/dev/null || true; }

# Running = the pid file names a live redis-server process.
is_running() {
  local p
  p="$(pid)"
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null && grep -q redis-server "/proc/$p/cmdline" 2>/dev/null
}

running_port() { cat "$DIR/port"; }

# redis-cli reads the password from REDISCLI_AUTH (not from its command line).
cli() {
  if [ -s "$DIR/password" ]; then
    REDISCLI_AUTH="$(cat "$DIR/password")" redis-cli --no-auth-warning "$@"
  else
    redis-cli "$@"
  fi
}

ping() { [ "$(cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }

# The password, generated once; and the config file that carries it (rewritten at every start).
ensure_password() {
  if [ ! -s "$DIR/password" ]; then
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$DIR/password")
  fi
  (umask 077 && printf '# Written by infra/scripts/local-redis.sh at every start.\nrequirepass %s\n' "$(cat "$DIR/password")" >"$DIR/redis.conf")
}

start() {
  need_binaries
  local port
  port="$(configured_port)"
  [[ "$port" =~ ^[0-9]+$ ]] || die "REDIS_PORT must be a number, got '$port'"
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  exec 9>>"$DIR/.lock"
  flock 9

  if is_running; then
    local current
    current="$(running_port)"
    if [ -n "${REDIS_PORT:-}" ] && [ "$current" != "$REDIS_PORT" ]; then
      die "Redis for $DATA_DIR already runs on port $current, not $REDIS_PORT: stop it first to change the port"
    fi
    say "Redis already running on 127.0.0.1:$current ($DIR)"
    return 0
  fi

  # Any answer (PONG, or NOAUTH from a server with a password) means the port is taken.
  if [ -n "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" ]; then
    die "another Redis already answers on 127.0.0.1:$port: choose another REDIS_PORT"
  fi
  ensure_password
  say "Starting Redis on 127.0.0.1:$port (data: $DIR, append-only persistence, log: $DIR/redis.log)"
  rm -f "$PIDFILE"
  printf '%s\n' "$port" >"$DIR/port"
  local log_lines
  log_lines="$( (wc -l <"$DIR/redis.log") 2>/dev/null || echo 0)"
  # 9>&-: the daemon must not inherit the lock.
  redis-server "$DIR/redis.conf" --bind 127.0.0.1 --port "$port" --protected-mode yes \
    --dir "$DIR" --appendonly yes --appendfsync everysec \
    --daemonize yes --pidfile "$PIDFILE" --logfile "$DIR/redis.log" 9>&- ||
    die "redis-server failed to start (see $DIR/redis.log)"

  local i
  for i in $(seq 1 100); do
    if ping "$port"; then
      is_running || die "port $port answers, but not the Redis of $DIR (another server on that port?)"
      return 0
    fi
    if [ "$i" -gt 5 ] && ! is_running; then break; fi
    sleep 0.1
  done
  tail -n "+$((log_lines + 1))" "$DIR/redis.log" 2>/dev/null | tail -n 20 >&2 || true
  die "Redis did not start on port $port (is the port taken? see $DIR/redis.log)"
}

stop() {
  if ! is_running; then
    say "Redis for $DATA_DIR is not running"
    rm -f "$PIDFILE"
    return 0
  fi
  local p
  p="$(pid)"
  say "Stopping Redis (pid $p, $DIR)"
  # SIGTERM: Redis fsyncs the append-only file (and saves a snapshot) before it exits.
  kill -TERM "$p"
  local i
  for i in $(seq 1 300); do
    kill -0 "$p" 2>/dev/null || { rm -f "$PIDFILE"; return 0; }
    sleep 0.1
  done
  die "Redis (pid $p) did not stop within 30 s"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status)
    if is_running; then
      echo "running on 127.0.0.1:$(running_port) (data: $DIR)"
    else
      echo "stopped (data: $DIR)"
      exit 3
    fi
    ;;
  url)
    if is_running; then port="$(running_port)"; else port="$(configured_port)"; fi
    if [ -s "$DIR/password" ]; then
      printf 'redis://default:%s@127.0.0.1:%s\n' "$(cat "$DIR/password")" "$port"
    else
      printf 'redis://127.0.0.1:%s\n' "$port"
    fi
    ;;
  destroy)
    stop
    say "Deleting $DIR"
    rm -rf "$DIR"
    ;;
esac
