#!/usr/bin/env bash
# Builds mediasoup's C++ worker (mediasoup-worker) offline against Debian 12's
# libraries, once per machine, and prints the absolute path of the cached
# binary on stdout (nothing else goes to stdout; progress goes to stderr).
#
#   infra/mediasoup-worker/build.sh [--mediasoup-dir DIR]
#
# DIR is an installed mediasoup npm package (it ships worker/ sources). By
# default: the mediasoup package that apps/sfu resolves.
#
# Environment:
#   MEDIASOUP_WORKER_CACHE          cache root (default:
#                                   ${XDG_CACHE_HOME:-$HOME/.cache}/distpriem/mediasoup-worker)
#   MEDIASOUP_WORKER_FORCE_REBUILD  1 = build even if the cached binary exists
#   MEDIASOUP_WORKER_JOBS           ninja parallelism (default 2)
#   MEDIASOUP_WORKER_KEEP_BUILD     1 = keep the temporary build dir on success
#
# See README.md in this folder for what is changed in mediasoup and why.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

# stdout carries only the final path: keep it as fd 3, send everything else
# (including the output of every tool run below) to stderr.
exec 3>&1 1>&2

log() { echo "==> $*" >&2; }
die() {
  echo "error: $*" >&2
  exit 1
}

usage() {
  sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

mediasoup_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mediasoup-dir)
      [ $# -ge 2 ] || die "--mediasoup-dir needs a directory"
      mediasoup_dir="$2"
      shift 2
      ;;
    --mediasoup-dir=*)
      mediasoup_dir="${1#*=}"
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage
      die "unknown argument: $1"
      ;;
  esac
done

# --- Debian packages needed to build (idempotent, fast when installed) -------
# libsrtp2-dev is deliberately absent: libsrtp is built from source (below).
"$repo/infra/scripts/ensure-debian-packages.sh" \
  g++ meson ninja-build pkg-config patch dpkg-dev \
  libssl-dev libuv1-dev libabsl-dev flatbuffers-compiler libflatbuffers-dev

# --- Which mediasoup ---------------------------------------------------------
if [ -z "$mediasoup_dir" ]; then
  command -v node >/dev/null 2>&1 ||
    die "node is not on PATH: cannot find the mediasoup package; pass --mediasoup-dir DIR"
  if ! mediasoup_dir="$(node -p "require('path').resolve(require('path').dirname(require.resolve('mediasoup', {paths: [process.argv[1]]})), '../..')" "$repo/apps/sfu" 2>/dev/null)"; then
    die "the mediasoup package is not installed for apps/sfu.
       Install the workspace dependencies first (from the repository root), or
       pass --mediasoup-dir DIR, DIR being an unpacked mediasoup npm package
       (e.g. npm pack mediasoup@3.27.1 && tar xzf mediasoup-3.27.1.tgz → DIR=package)."
  fi
fi
[ -d "$mediasoup_dir" ] || die "not a directory: $mediasoup_dir"
mediasoup_dir="$(cd "$mediasoup_dir" && pwd)"
[ -f "$mediasoup_dir/package.json" ] && [ -f "$mediasoup_dir/worker/meson.build" ] ||
  die "$mediasoup_dir is not a mediasoup package with worker sources (package.json, worker/meson.build)"

version="$(sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$mediasoup_dir/package.json" | head -n1)"
[ -n "$version" ] || die "cannot read the version from $mediasoup_dir/package.json"

# --- Cache key and location ---------------------------------------------------
# mediasoup version + sha256 over what goes into the binary: this script, the
# patches and the replacement subprojects (paths and contents). Documentation and
# the check/smoke scripts are left out, so editing them does not cost a rebuild.
tree_hash="$(cd "$here" && find build.sh patches subprojects -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
key="${version}-${tree_hash}"

cache_root="${MEDIASOUP_WORKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/distpriem/mediasoup-worker}"
case "$cache_root" in
  /*) ;;
  *) cache_root="$PWD/$cache_root" ;;
esac
out_dir="$cache_root/$key"
out="$out_dir/mediasoup-worker"
force="${MEDIASOUP_WORKER_FORCE_REBUILD:-0}"

if [ "$force" != 1 ] && [ -x "$out" ]; then
  echo "$out" >&3
  exit 0
fi

# --- One build at a time per key -------------------------------------------------
mkdir -p "$out_dir"
exec 9>"$out_dir/.lock"
if ! flock -n 9; then
  log "another build of this worker is running; waiting for it…"
  flock 9
  if [ "$force" != 1 ] && [ -x "$out" ]; then
    echo "$out" >&3
    exit 0
  fi
fi
if [ "$force" != 1 ] && [ -x "$out" ]; then
  echo "$out" >&3
  exit 0
fi

start=$SECONDS
log "building the mediasoup worker once (≈4–5 min on 2 cores): mediasoup $version, cache key $key"
log "mediasoup sources: $mediasoup_dir"

build_dir="$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")"
apt_dir=""
ok=0
cleanup() {
  [ -n "$apt_dir" ] && rm -rf "$apt_dir"
  if [ "$ok" = 1 ] && [ "${MEDIASOUP_WORKER_KEEP_BUILD:-0}" != 1 ]; then
    rm -rf "$build_dir"
  else
    echo "==> build directory kept: $build_dir" >&2
  fi
}
trap cleanup EXIT

# --- libsrtp 2.5 sources from Debian's source package (fetched once) -------------
# Private apt configuration: a deb-src copy of the machine's Debian sources,
# own lists and cache dirs. The machine's apt configuration is not touched.
srtp_src_cache="$cache_root/sources/libsrtp2"
fetch_libsrtp_source() {
  apt_dir="$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-apt.XXXXXX")"
  mkdir -p "$apt_dir/sources" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/download"

  local deb822=/etc/apt/sources.list.d/debian.sources
  if [ -f "$deb822" ]; then
    # Each stanza becomes Types: deb-src with the same URIs/Suites/Components/Signed-By.
    awk '
      function flush() {
        if (uris != "" && suites != "") {
          printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n", uris, suites, comps
          if (signed != "") printf "Signed-By: %s\n", signed
          printf "\n"
        }
        uris = suites = comps = signed = ""
      }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      { key = $1; sub(/:$/, "", key); val = $0; sub(/^[^:]*:[[:space:]]*/, "", val) }
      key == "URIs" { uris = val }
      key == "Suites" { suites = val }
      key == "Components" { comps = val }
      key == "Signed-By" { signed = val }
      END { flush() }
    ' "$deb822" >"$apt_dir/sources/debian-src.sources"
  elif [ -f /etc/apt/sources.list ]; then
    sed -n 's/^[[:space:]]*deb[[:space:]]\+/deb-src /p' /etc/apt/sources.list >"$apt_dir/sources/debian-src.list"
  fi
  [ -s "$apt_dir/sources/debian-src.sources" ] || [ -s "$apt_dir/sources/debian-src.list" ] ||
    die "found no Debian apt sources (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list) to fetch libsrtp2's source package from"

  # apt downloads as the unprivileged _apt user when run as root.
  if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
    chown -R _apt "$apt_dir/download"
    chmod 755 "$apt_dir"
  fi

  local apt_opts=(
    -o "Dir::Etc::SourceList=/dev/null"
    -o "Dir::Etc::SourceParts=$apt_dir/sources"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
  )
  log "fetching libsrtp2's Debian source package (once; private apt configuration)"
  apt-get "${apt_opts[@]}" -qq update
  (cd "$apt_dir/download" && apt-get "${apt_opts[@]}" -qq source --download-only libsrtp2)

  local dsc
  dsc="$(find "$apt_dir/download" -maxdepth 1 -name 'libsrtp2_*.dsc' | head -n1)"
  [ -n "$dsc" ] || die "apt-get source did not download libsrtp2"
  case "$(basename "$dsc")" in
    libsrtp2_2.5.*) ;;
    *) die "expected libsrtp 2.5.x from Debian, got $(basename "$dsc"); the libsrtp 3 compatibility header (subprojects/libsrtp3/include/srtp.h) targets libsrtp 2.5" ;;
  esac
  mkdir -p "$(dirname "$srtp_src_cache")"
  local staging="$srtp_src_cache.tmp.$$"
  rm -rf "$staging"
  mkdir -p "$staging"
  cp "$apt_dir/download"/libsrtp2_* "$staging/"
  rm -rf "$srtp_src_cache"
  mv "$staging" "$srtp_src_cache"
  rm -rf "$apt_dir"
  apt_dir=""
}
if ! ls "$srtp_src_cache"/libsrtp2_*.dsc >/dev/null 2>&1; then
  fetch_libsrtp_source
fi
srtp_dsc="$(ls "$srtp_src_cache"/libsrtp2_*.dsc | head -n1)"
log "libsrtp source package: $srtp_dsc"

# --- Prepare a private copy of worker/ -------------------------------------------------
log "copying $mediasoup_dir/worker to $build_dir/worker"
cp -a "$mediasoup_dir/worker" "$build_dir/worker"
worker="$build_dir/worker"
chmod -R u+w "$worker"
rm -rf "$worker/out"

log "replacing worker/subprojects (internet wraps) with wrappers of Debian's libraries"
# Drops *.wrap, packagefiles/ and anything a previous online build downloaded.
find "$worker/subprojects" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
cp -a "$here/subprojects/." "$worker/subprojects/"

log "extracting libsrtp 2.5 (Debian source package) as subproject libsrtp2"
dpkg-source -x "$srtp_dsc" "$worker/subprojects/libsrtp2"
[ -f "$worker/subprojects/libsrtp2/meson.build" ] || die "libsrtp source has no meson.build"

for p in "$here"/patches/*.patch; do
  [ -e "$p" ] || continue
  log "applying patches/$(basename "$p")"
  patch -p1 --batch --forward -d "$worker" <"$p" || die "patch $(basename "$p") does not apply to mediasoup $version"
done

# --- Build -----------------------------------------------------------------------------
log "meson setup (release)"
(cd "$worker" && meson setup out/Release --buildtype=release -Db_ndebug=true --wrap-mode=nodownload)
log "ninja mediasoup-worker (-j${MEDIASOUP_WORKER_JOBS:-2})"
ninja -C "$worker/out/Release" -j"${MEDIASOUP_WORKER_JOBS:-2}" mediasoup-worker

bin="$worker/out/Release/mediasoup-worker"
[ -x "$bin" ] || die "the build produced no $bin"
if ldd "$bin" | grep -q 'libsrtp2\.so'; then
  die "the worker links a shared libsrtp2 (Debian's NSS build); expected the static OpenSSL build"
fi
ldd "$bin" | grep -q 'libssl\.so\.3' || die "the worker does not link the system's libssl.so.3"

# --- Into the cache, atomically ----------------------------------------------------------
{
  echo "mediasoup $version"
  echo "sources: $mediasoup_dir"
  echo "cache key: $key"
  echo "libsrtp: $(basename "$srtp_dsc" .dsc) (static, crypto-library=openssl)"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "build seconds: $((SECONDS - start))"
  dpkg-query -W -f='${Package} ${Version}\n' libssl-dev libuv1-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler meson g++ 2>/dev/null || true
} >"$out_dir/build-info.txt.tmp.$$"
mv -f "$out_dir/build-info.txt.tmp.$$" "$out_dir/build-info.txt"

tmp_bin="$out_dir/.mediasoup-worker.tmp.$$"
cp "$bin" "$tmp_bin"
chmod 755 "$tmp_bin"
mv -f "$tmp_bin" "$out"
ok=1

log "built in $((SECONDS - start)) s: $out"
echo "$out" >&3
