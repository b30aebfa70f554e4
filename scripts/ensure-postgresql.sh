#!/usr/bin/env bash
# Installs Debian's PostgreSQL server for `npm run cluster` and the cluster suite (test/cluster)
# when no supported release (15 to 17) is under /usr/lib/postgresql. The cluster creates and
# runs its own database cluster under its data folder, so Debian's default one is not created.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

# Prints the newest supported release's binaries and answers 0, or answers 1 when there is none.
report_installed() {
  for major in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$major/bin/postgres" ] && [ -x "/usr/lib/postgresql/$major/bin/initdb" ]; then
      echo "postgresql: $("/usr/lib/postgresql/$major/bin/postgres" --version) at /usr/lib/postgresql/$major/bin"
      return 0
    fi
  done
  return 1
}

report_installed && exit 0

apt_prepare "PostgreSQL (15 to 17) is missing" "install it and set POSTGRES_BIN_DIR to the folder of its postgres and initdb" postgresql
$APT_ROOT mkdir -p /etc/postgresql-common
echo "create_main_cluster = false" | $APT_ROOT tee /etc/postgresql-common/createcluster.conf >/dev/null
apt_install postgresql
report_installed && exit 0
echo "apt-get installed postgresql, but no release 15 to 17 is under /usr/lib/postgresql." >&2
exit 1
