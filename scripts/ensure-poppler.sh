#!/usr/bin/env bash
# Installs Debian's poppler-utils (pdftotext, pdftoppm) when absent: the homologation file's
# test (test/api/dossier.test.ts) reads the PDF back with them. Production needs neither.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

if command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
  echo "poppler-utils: $(pdftotext -v 2>&1 | head -n 1)"
  exit 0
fi

apt_prepare "pdftotext and pdftoppm (poppler-utils) are missing" "install poppler-utils" poppler-utils
apt_install poppler-utils
