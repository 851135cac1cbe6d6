#!/usr/bin/env bash
# A private TURN server for this installation (Debian's coturn; used by `./pnpm start` when
# TURN_ENABLED=1 and no TURN_URLS of the institution's own TURN server are set — the caller
# decides that, this script never reads TURN_ENABLED or TURN_URLS).
#
#   local-coturn.sh start    start (no-op when already running); needs TURN_SECRET
#   local-coturn.sh stop     stop (no-op when stopped)
#   local-coturn.sh status   say whether it runs; exit 0 running, 3 stopped
#   local-coturn.sh urls     print TURN_URLS for signalling on stdout (TURN over UDP and TCP)
#   local-coturn.sh destroy  stop and delete its directory
#
# Environment:
#   DATA_DIR               default <repo>/.data; config, pid file and log in $DATA_DIR/coturn
#   TURN_SECRET            coturn's static-auth-secret (use-auth-secret: signalling signs
#                          short-lived credentials with it); written into a 0600 config file,
#                          never onto a command line that `ps` would show
#   TURN_HOST              the address browsers reach it on, put into the URLs
#                          (default SFU_ANNOUNCED_ADDRESS, else 127.0.0.1)
#   TURN_PORT              TURN over UDP and TCP (default: the port of the last start, else 3478)
#   TURN_MIN_PORT, TURN_MAX_PORT   the relay ports (default 49152–49351, UDP): open them too
#   TURN_ALLOWED_PEER_IP   the SFU's address, the only private/loopback peer it may relay to
#                          (default: SFU_ANNOUNCED_ADDRESS resolved to an IPv4 address)
# It listens on every interface. No TURN over TLS here (that needs the site's certificate and
# port 443: see infra/multi-node/turnserver.conf and nginx-stream.conf). Logs go to stderr as
# "==> " lines.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

cmd="${1:-}"
case "$cmd" in start | stop | status | urls | destroy) ;; *) die "usage: $0 start|stop|status|urls|destroy" ;; esac

DATA_DIR="$(realpath -m "${DATA_DIR:-$ROOT/.data}")"
DIR="$DATA_DIR/coturn"
PIDFILE="$DIR/turnserver.pid"
TURN_HOST="${TURN_HOST:-${SFU_ANNOUNCED_ADDRESS:-127.0.0.1}}"
# The port: TURN_PORT if given, else the one of the last start, else 3478.
TURN_PORT="${TURN_PORT:-$(cat "$DIR/port" 2>/dev/null || echo 3478)}"
TURN_MIN_PORT="${TURN_MIN_PORT:-49152}"
TURN_MAX_PORT="${TURN_MAX_PORT:-49351}"

need_binaries() {
  command -v turnserver >/dev/null && return 0
  bash "$ROOT/infra/scripts/ensure-debian-packages.sh" coturn
  # On a systemd machine Debian's package also enables and starts its own coturn.service (the
  # stock /etc/turnserver.conf on port 3478). This installation wanted the program, not that
  # service: it goes again, right after the install that started it.
  if [ "$(id -u)" -eq 0 ] && command -v systemctl >/dev/null && systemctl is-enabled --quiet coturn 2>/dev/null; then
    say "Disabling Debian's coturn.service that came with the package (this installation runs its own coturn)"
    systemctl disable --now coturn >/dev/null 2>&1 || true
  fi
}

pid() { cat "$PIDFILE" 2>/dev/null || true; }

# Running = the pid file names a live turnserver process.
is_running() {
  local p
  p="$(pid)"
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null && grep -q turnserver "/proc/$p/cmdline" 2>/dev/null
}

# The SFU's address as an IPv4 address (coturn's peer rules take addresses, not names).
allowed_peer() {
  local peer="${TURN_ALLOWED_PEER_IP:-${SFU_ANNOUNCED_ADDRESS:-127.0.0.1}}"
  if [[ ! "$peer" =~ ^[0-9.]+$ ]] && [[ "$peer" != *:* ]]; then
    peer="$(getent ahostsv4 "$peer" | awk 'NR == 1 { print $1 }')"
    [ -n "$peer" ] || die "cannot resolve the SFU's address ${TURN_ALLOWED_PEER_IP:-$SFU_ANNOUNCED_ADDRESS}: set TURN_ALLOWED_PEER_IP"
  fi
  printf '%s' "$peer"
}

write_config() {
  local peer="$1"
  (
    umask 077
    cat >"$DIR/turnserver.conf" <<EOF
# Written by infra/scripts/local-coturn.sh at every start.
listening-port=$TURN_PORT
no-tls
no-dtls
min-port=$TURN_MIN_PORT
max-port=$TURN_MAX_PORT
use-auth-secret
static-auth-secret=$TURN_SECRET
realm=distpriem
fingerprint
no-cli
no-multicast-peers
no-tcp-relay
no-software-attribute
# The SFU only; allowed wins over denied whatever the order. Everything else private stays denied.
allowed-peer-ip=$peer
denied-peer-ip=0.0.0.0-0.255.255.255
denied-peer-ip=10.0.0.0-10.255.255.255
denied-peer-ip=100.64.0.0-100.127.255.255
denied-peer-ip=127.0.0.0-127.255.255.255
denied-peer-ip=169.254.0.0-169.254.255.255
denied-peer-ip=172.16.0.0-172.31.255.255
denied-peer-ip=192.0.0.0-192.0.0.255
denied-peer-ip=192.168.0.0-192.168.255.255
denied-peer-ip=198.18.0.0-198.19.255.255
denied-peer-ip=240.0.0.0-255.255.255.255
denied-peer-ip=::1
denied-peer-ip=fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff
userdb=$DIR/turndb
pidfile=$PIDFILE
log-file=$DIR/turnserver.log
simple-log
no-stdout-log
EOF
  )
}

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$TURN_PORT") 2>/dev/null; }

start() {
  need_binaries
  [ -n "${TURN_SECRET:-}" ] || die "TURN_SECRET is not set"
  [[ "$TURN_PORT$TURN_MIN_PORT$TURN_MAX_PORT" =~ ^[0-9]+$ ]] || die "TURN_PORT, TURN_MIN_PORT and TURN_MAX_PORT must be numbers"
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  exec 9>>"$DIR/.lock"
  flock 9

  if is_running; then
    say "coturn already running on port $TURN_PORT ($DIR)"
    return 0
  fi
  if answers; then
    die "another server already answers on port $TURN_PORT (Debian's own coturn.service? systemctl disable --now coturn): stop it or choose another TURN_PORT"
  fi
  local peer
  peer="$(allowed_peer)"
  # coturn never relays into loopback (peers are allowed by address, every port of it: this
  # machine's PostgreSQL and Redis listen there), so a loopback SFU cannot be reached through it.
  if [[ "$peer" == 127.* || "$peer" == ::1 ]]; then
    die "TURN relays to the SFU's announced address, and $peer is loopback: set SFU_ANNOUNCED_ADDRESS (or TURN_ALLOWED_PEER_IP) to this machine's network address"
  fi
  write_config "$peer"
  printf '%s\n' "$TURN_PORT" >"$DIR/port"
  say "Starting coturn: TURN on UDP and TCP port $TURN_PORT, relay ports $TURN_MIN_PORT–$TURN_MAX_PORT/udp, relaying only to the SFU at $peer (log: $DIR/turnserver.log)"
  rm -f "$PIDFILE"
  local log_lines
  log_lines="$( (wc -l <"$DIR/turnserver.log") 2>/dev/null || echo 0)"
  # -o: coturn daemonises itself; 9>&-: the daemon must not inherit the lock.
  turnserver -c "$DIR/turnserver.conf" -o 9>&- || die "turnserver failed to start (see $DIR/turnserver.log)"

  local i
  for i in $(seq 1 100); do
    if answers && is_running; then return 0; fi
    sleep 0.1
  done
  tail -n "+$((log_lines + 1))" "$DIR/turnserver.log" 2>/dev/null | tail -n 20 >&2 || true
  die "coturn did not start on port $TURN_PORT (is the port taken? see $DIR/turnserver.log)"
}

stop() {
  if ! is_running; then
    say "coturn for $DATA_DIR is not running"
    rm -f "$PIDFILE"
    return 0
  fi
  local p
  p="$(pid)"
  say "Stopping coturn (pid $p, $DIR)"
  kill -TERM "$p"
  local i
  for i in $(seq 1 100); do
    kill -0 "$p" 2>/dev/null || { rm -f "$PIDFILE"; return 0; }
    sleep 0.1
  done
  die "coturn (pid $p) did not stop within 10 s"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status)
    if is_running; then
      echo "running on port $TURN_PORT (data: $DIR)"
    else
      echo "stopped (data: $DIR)"
      exit 3
    fi
    ;;
  urls)
    host="$TURN_HOST"
    [[ "$host" == *:* ]] && host="[$host]"
    printf 'turn:%s:%s?transport=udp,turn:%s:%s?transport=tcp\n' "$host" "$TURN_PORT" "$host" "$TURN_PORT"
    ;;
  destroy)
    stop
    say "Deleting $DIR"
    rm -rf "$DIR"
    ;;
esac
