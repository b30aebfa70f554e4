#!/usr/bin/env bash
# Installs Debian's poppler-utils (pdftotext, pdftoppm) when absent: the homologation file's
# test (test/api/dossier.test.ts) reads the PDF back with them. Production needs neither.
set -euo pipefail

if command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
  echo "poppler-utils: $(pdftotext -v 2>&1 | head -n 1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "pdftotext and pdftoppm (poppler-utils) are missing and apt-get is not available: install poppler-utils." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "poppler-utils is missing: run 'apt-get install -y poppler-utils' as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends poppler-utils
