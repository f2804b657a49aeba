#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (a fresh clone, CI): the tests
# drive /usr/bin/chromium through playwright-core, which downloads no browser of its own. Two runs side
# by side wait for each other (flock, and apt's own lock timeout) instead of failing on dpkg's lock.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo -n"; else
  echo "ensure-chromium: $CHROMIUM is missing and installing it needs root: run 'apt-get install -y chromium' as root" >&2
  exit 1
fi

exec 9>"${TMPDIR:-/tmp}/tidewatch-ensure-chromium.lock"
flock 9
[ -x "$CHROMIUM" ] && exit 0

echo "ensure-chromium: installing Debian's chromium (once per machine)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
[ -x "$CHROMIUM" ] || { echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2; exit 1; }
echo "ensure-chromium: $("$CHROMIUM" --version)" >&2
