#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (test/browser) when /usr/bin/chromium is missing.
# The tests drive it with playwright-core, which downloads no browser of its own.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo present) at $CHROMIUM"
  exit 0
fi

apt_prepare "chromium is missing at $CHROMIUM" "install Debian's chromium package" chromium fonts-dejavu-core
apt_install chromium fonts-dejavu-core
echo "chromium: $("$CHROMIUM" --version) at $CHROMIUM"
