#!/usr/bin/env bash
# Installs the Debian packages named as arguments when any of them is missing.
# Used by the start and test commands and by the worker build, so that a fresh
# Debian 12 machine needs no manual step. Installs nothing that is already there.
# Says one line; apt's own output goes to the caller's log file (DP_LOG, steps.sh) when there
# is one, else to stderr.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/steps.sh"

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

say "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "error: these Debian packages are missing and this user cannot install them: ${missing[*]}" >&2
    echo "       run as root, or install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# A package list older than a day (or none) would make apt find nothing: refresh it once.
lists=/var/lib/apt/lists
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages' -mtime -1 2>/dev/null | head -1)" ]; then
  quiet "apt-get update" $SUDO apt-get update -qq
fi
quiet "apt-get install ${missing[*]}" $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
