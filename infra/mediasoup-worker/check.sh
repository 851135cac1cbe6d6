#!/usr/bin/env bash
# Checks that a mediasoup worker uses the system's OpenSSL (Debian's
# libssl.so.3), not a bundled copy, and prints the OpenSSL version the worker
# itself reports at start-up.
#
#   infra/mediasoup-worker/check.sh [WORKER]
#
# WORKER defaults to the path printed by build.sh (which builds it if needed).
# Exits non-zero, saying why, when a check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

fail() {
  echo "check.sh: FAIL: $*" >&2
  exit 1
}
ok() { echo "ok: $*"; }

worker="${1:-}"
if [ -z "$worker" ]; then
  worker="$("$here/build.sh")" || fail "build.sh did not produce a worker"
fi
[ -f "$worker" ] && [ -x "$worker" ] || fail "not an executable file: $worker"
echo "worker: $worker"

# 1. Dynamic linking against the system's libssl.so.3 and libcrypto.so.3.
ldd_out="$(ldd "$worker" 2>&1)" || fail "ldd failed on $worker: $ldd_out"
for lib in libssl.so.3 libcrypto.so.3; do
  linked="$(awk -v lib="$lib" '$1 == lib && $2 == "=>" { print $3; exit }' <<<"$ldd_out")"
  [ -n "$linked" ] || fail "$worker does not link $lib dynamically (a bundled, statically linked OpenSSL?)"
  [ "$linked" != "not" ] || fail "$lib is not found at run time (is Debian's libssl3 installed?)"
  cache="$(ldconfig -p)"
  system="$(awk -v lib="$lib" '$1 == lib && /x86-64|64bit|AArch64/ { print $NF; exit }' <<<"$cache")"
  [ -n "$system" ] || system="$(awk -v lib="$lib" '$1 == lib { print $NF; exit }' <<<"$cache")"
  [ -n "$system" ] || fail "the system has no $lib in the dynamic linker cache (ldconfig -p)"
  [ "$(realpath "$linked")" = "$(realpath "$system")" ] ||
    fail "$lib resolves to $linked, not to the system's $system"
  owner="$(dpkg -S "$(realpath "$linked")" 2>/dev/null | head -n1 | cut -d: -f1 || true)"
  ok "$lib => $linked${owner:+ (Debian package $owner)}"
done

# 2. OpenSSL's functions are imported, not compiled into the binary.
if command -v readelf >/dev/null 2>&1; then
  dynsyms="$(readelf --dyn-syms -W "$worker")"
  for sym in SSL_new OpenSSL_version; do
    grep -Eq "[[:space:]]UND[[:space:]]+${sym}@OPENSSL_3" <<<"$dynsyms" ||
      fail "$sym is not imported from the system's OpenSSL 3 (bundled OpenSSL compiled in?)"
  done
  ok "SSL_new and OpenSSL_version are imported from libssl/libcrypto (OPENSSL_3 symbol versions)"
fi

# 3. libsrtp: static, OpenSSL-based (not Debian's NSS-based libsrtp2.so).
if grep -q 'libsrtp2\.so' <<<"$ldd_out"; then
  fail "$worker links the shared libsrtp2 (Debian's NSS build); build.sh links a static libsrtp with OpenSSL"
fi
ok "no libsrtp2.so (libsrtp is linked statically)"

# 4. What the worker itself reports. It logs its dependencies' versions at
# debug level into its channel (fd 4); the text is readable inside the
# FlatBuffers messages. Its consumer channel (fd 3) is a pipe that stays open
# until the worker is stopped with SIGTERM.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
MEDIASOUP_VERSION=check "$worker" --logLevel=debug --logTags=info \
  3< <(sleep 10) 4>"$tmp/channel" 2>"$tmp/stderr" &
pid=$!
line=""
for _ in $(seq 1 50); do
  line="$(grep -a -o 'openssl version: "[^"]*"' "$tmp/channel" 2>/dev/null | head -n1 || true)"
  [ -n "$line" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
srtp_line="$(grep -a -o 'libsrtp version: "[^"]*"' "$tmp/channel" 2>/dev/null | head -n1 || true)"
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ -n "$line" ] || fail "the worker did not report its OpenSSL version (stderr: $(head -c 500 "$tmp/stderr"))"
echo "$line"
[ -z "$srtp_line" ] || echo "$srtp_line"

# The version the worker runs with is the one of Debian's libssl3 package.
pkg_version="$(dpkg-query -W -f='${Version}' libssl3 2>/dev/null || true)"
if [ -n "$pkg_version" ]; then
  upstream="${pkg_version%%-*}"
  case "$line" in
    *"OpenSSL $upstream "*) ok "the worker runs OpenSSL $upstream, Debian's libssl3 $pkg_version" ;;
    *) fail "the worker reports $line but Debian's libssl3 is $pkg_version" ;;
  esac
fi
echo "check.sh: all checks passed"
