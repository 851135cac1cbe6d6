#!/usr/bin/env bash
# A private PostgreSQL server for this checkout (used when DATABASE_URL is unset; the caller
# decides that — this script never reads DATABASE_URL).
#
#   local-postgres.sh start    initialise once, start (no-op when already running)
#   local-postgres.sh stop     stop (no-op when stopped)
#   local-postgres.sh status   say whether it runs; exit 0 running, 3 stopped
#   local-postgres.sh url      print postgresql://… on stdout (the cluster must exist: run start)
#   local-postgres.sh destroy  stop and delete the cluster and its data (throw-away clusters)
#
# Environment: DATA_DIR (default <repo>/.data), PGPORT (default: the port of the last start,
# else 54329). Logs go to stderr as "==> " lines; only `url` and `status` write to stdout.
#
# Where the data lives. PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` OS user, and that user must be able to reach its data directory. A checkout under
# /root, `.data` (mode 700) or `mktemp -d` (mode 700) is not reachable, and loosening the
# permissions of someone else's directories is not ours to do. So:
#   - as root:     the cluster lives in /var/lib/distpriem/<first 16 hex of sha256(DATA_DIR)>/,
#                  owned by postgres, and $DATA_DIR/postgres is a symlink to it;
#   - as non-root: the server runs as the current user, in $DATA_DIR/postgres itself.
# Either way $DATA_DIR/postgres leads to the same layout:
#   cluster/ (PGDATA)  password (generated, 0600)  port  server.log  data-dir (the owning DATA_DIR)
# A root cluster whose DATA_DIR no longer exists (a crashed test run's temp dir) is removed at
# the next `start` of any cluster.
#
# Access: listens on 127.0.0.1 only (no Unix socket), scram-sha-256 with the generated password
# for the superuser `distpriem`; the database `distpriem` is created once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

cmd="${1:-}"
case "$cmd" in start | stop | status | url | destroy) ;; *) die "usage: $0 start|stop|status|url|destroy" ;; esac

DATA_DIR="$(realpath -m "${DATA_DIR:-$ROOT/.data}")"
LINK="$DATA_DIR/postgres"
DB_NAME=distpriem
DB_USER=distpriem
DEFAULT_PORT=54329
SYSTEM_BASE=/var/lib/distpriem
AS_ROOT=0
[ "$(id -u)" -eq 0 ] && AS_ROOT=1

# --- where the cluster is ------------------------------------------------------------------
if [ -e "$LINK" ] || [ -L "$LINK" ]; then
  BASE="$(realpath -m "$LINK")"
elif [ $AS_ROOT -eq 1 ]; then
  BASE="$SYSTEM_BASE/$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-16)"
else
  BASE="$LINK"
fi
PGDATA_DIR="$BASE/cluster"

# Runs a command as the user that owns the cluster.
as_owner() {
  if [ $AS_ROOT -eq 1 ]; then
    # From /: the postgres user may not be allowed into the caller's directory.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] || return 1
  printf '%s' "$dir"
}

need_binaries() {
  if ! PG_BIN="$(pg_bin)"; then
    bash "$ROOT/infra/scripts/ensure-debian-packages.sh" postgresql
    PG_BIN="$(pg_bin)" || die "postgresql installed, but no /usr/lib/postgresql/*/bin/pg_ctl found"
  fi
}

is_running() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] || return 1
  as_owner "$PG_BIN/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1
}

# The port: PGPORT if given, else the one recorded at the last start, else the default.
configured_port() {
  if [ -n "${PGPORT:-}" ]; then
    printf '%s' "$PGPORT"
  elif [ -f "$BASE/port" ]; then
    cat "$BASE/port"
  else
    printf '%s' "$DEFAULT_PORT"
  fi
}

# The port of the running server, read from postmaster.pid (line 4).
running_port() { sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null; }

url() {
  [ -f "$BASE/password" ] || die "no cluster for DATA_DIR=$DATA_DIR yet: run '$0 start' first"
  local port
  if is_running; then port="$(running_port)"; else port="$(configured_port)"; fi
  printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$DB_USER" "$(cat "$BASE/password")" "$port" "$DB_NAME"
}

psql_admin() {
  PGPASSWORD="$(cat "$BASE/password")" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$(running_port)" -U "$DB_USER" -d postgres "$@"
}

# Removes root clusters whose DATA_DIR is gone (left behind by a killed test run).
collect_orphans() {
  [ $AS_ROOT -eq 1 ] && [ -d "$SYSTEM_BASE" ] || return 0
  local dir owner
  for dir in "$SYSTEM_BASE"/*/; do
    dir="${dir%/}"
    [ -f "$dir/data-dir" ] && [ "$dir" != "$BASE" ] || continue
    owner="$(cat "$dir/data-dir")"
    [ -d "$owner" ] && continue
    say "Removing the orphaned cluster $dir (its DATA_DIR $owner no longer exists)"
    if [ -f "$dir/cluster/postmaster.pid" ]; then
      as_owner "$PG_BIN/pg_ctl" stop -D "$dir/cluster" -m immediate -w >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
  done
}

init_cluster() {
  say "Creating a PostgreSQL cluster in $PGDATA_DIR (once)"
  if [ $AS_ROOT -eq 1 ]; then
    install -d -m 755 "$SYSTEM_BASE"
    install -d -m 700 -o postgres -g postgres "$BASE"
    [ -L "$LINK" ] || ln -s "$BASE" "$LINK"
  else
    install -d -m 700 "$BASE"
  fi
  printf '%s\n' "$DATA_DIR" >"$BASE/data-dir"
  if [ ! -s "$BASE/password" ]; then
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$BASE/password")
  fi
  if [ $AS_ROOT -eq 1 ]; then chown postgres:postgres "$BASE/data-dir" "$BASE/password"; fi
  rm -rf "$PGDATA_DIR"
  # ICU collation "ru-RU" sorts Russian names as people expect; C.UTF-8 underneath is always
  # present on Debian (no locale generation needed).
  as_owner "$PG_BIN/initdb" -D "$PGDATA_DIR" -U "$DB_USER" --pwfile="$BASE/password" \
    --auth-local=reject --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
    --locale-provider=icu --icu-locale=ru-RU >"$BASE/initdb.log" 2>&1 ||
    { cat "$BASE/initdb.log" >&2; die "initdb failed"; }
  printf "\ninclude = 'distpriem.conf'\n" >>"$PGDATA_DIR/postgresql.conf"
}

start() {
  need_binaries
  collect_orphans
  local port
  port="$(configured_port)"
  [[ "$port" =~ ^[0-9]+$ ]] || die "PGPORT must be a number, got '$port'"

  mkdir -p "$DATA_DIR"
  exec 9>>"$DATA_DIR/.postgres.lock"
  flock 9

  if is_running; then
    local current
    current="$(running_port)"
    if [ -n "${PGPORT:-}" ] && [ "$current" != "$PGPORT" ]; then
      die "PostgreSQL for $DATA_DIR already runs on port $current, not $PGPORT: stop it first to change the port"
    fi
    say "PostgreSQL already running on 127.0.0.1:$current ($PGDATA_DIR)"
  else
    [ -f "$PGDATA_DIR/PG_VERSION" ] || init_cluster
    if [ $AS_ROOT -eq 1 ]; then
      as_owner test -w "$PGDATA_DIR" || die "the postgres user cannot reach $PGDATA_DIR"
    fi
    # Rewritten at every start so that PGPORT can change between runs.
    cat >"$PGDATA_DIR/distpriem.conf" <<EOF
# Written by infra/scripts/local-postgres.sh at every start.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 200
EOF
    printf '%s\n' "$port" >"$BASE/port"
    if [ $AS_ROOT -eq 1 ]; then chown postgres:postgres "$PGDATA_DIR/distpriem.conf" "$BASE/port"; fi
    say "Starting PostgreSQL on 127.0.0.1:$port (data: $PGDATA_DIR, log: $BASE/server.log)"
    local log_lines
    log_lines="$( (wc -l <"$BASE/server.log") 2>/dev/null || echo 0)"
    # 9>&-: the server must not inherit the lock, or it would hold it for its whole life.
    if ! as_owner "$PG_BIN/pg_ctl" start -w -t 60 -D "$PGDATA_DIR" -l "$BASE/server.log" >/dev/null 9>&-; then
      tail -n "+$((log_lines + 1))" "$BASE/server.log" | tail -n 20 >&2 || true
      die "PostgreSQL did not start (is port $port taken? see $BASE/server.log)"
    fi
  fi

  if [ -z "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
    say "Creating database $DB_NAME"
    psql_admin -c "CREATE DATABASE $DB_NAME"
  fi
}

stop() {
  need_binaries
  if is_running; then
    say "Stopping PostgreSQL ($PGDATA_DIR)"
    as_owner "$PG_BIN/pg_ctl" stop -w -t 60 -m fast -D "$PGDATA_DIR" >/dev/null
  else
    say "PostgreSQL for $DATA_DIR is not running"
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status)
    need_binaries
    if is_running; then
      echo "running on 127.0.0.1:$(running_port) (data: $PGDATA_DIR)"
    else
      echo "stopped (data: $PGDATA_DIR)"
      exit 3
    fi
    ;;
  url) need_binaries && url ;;
  destroy)
    stop
    say "Deleting the cluster $BASE"
    rm -rf "$BASE"
    rm -f "$LINK" "$DATA_DIR/.postgres.lock"
    ;;
esac
