#!/usr/bin/env bash
# Installs Debian's PostgreSQL server for `npm run cluster` and the cluster suite (test/cluster)
# when no supported release (15 to 17) is under /usr/lib/postgresql. The cluster creates and
# runs its own database cluster under its data folder, so Debian's default one is not created.
set -euo pipefail

for major in 17 16 15; do
  if [ -x "/usr/lib/postgresql/$major/bin/postgres" ] && [ -x "/usr/lib/postgresql/$major/bin/initdb" ]; then
    echo "postgresql: $("/usr/lib/postgresql/$major/bin/postgres" --version) at /usr/lib/postgresql/$major/bin"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL (15 to 17) is missing and apt-get is not available: install it and set POSTGRES_BIN_DIR to the folder of its postgres and initdb." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "PostgreSQL is missing: run 'apt-get install -y postgresql' as root." >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO mkdir -p /etc/postgresql-common
echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends postgresql
for major in 17 16 15; do
  if [ -x "/usr/lib/postgresql/$major/bin/postgres" ]; then
    echo "postgresql: $("/usr/lib/postgresql/$major/bin/postgres" --version) at /usr/lib/postgresql/$major/bin"
    exit 0
  fi
done
echo "apt-get installed postgresql, but no release 15 to 17 is under /usr/lib/postgresql." >&2
exit 1
