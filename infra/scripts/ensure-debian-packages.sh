#!/usr/bin/env bash
# Installs the Debian packages named as arguments when any of them is missing.
# Used by the start and test commands and by the worker build, so that a fresh
# Debian 12 machine needs no manual step. Installs nothing that is already there.
set -euo pipefail

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "==> Installing Debian packages: ${missing[*]}" >&2
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
  echo "==> apt-get update" >&2
  $SUDO apt-get update -qq >&2
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
