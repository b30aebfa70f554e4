# Shared by scripts/ensure-*.sh: installs Debian packages with apt-get, as root or through sudo,
# or says exactly what to run when neither is possible. Source it, then call apt_prepare and
# apt_install.

# The prefix of a command that must run as root: empty when already root, else "sudo".
APT_ROOT=""

# apt_prepare "<what is missing>" "<what to install, as the message should name it>" package...
# Exits with a message naming the packages unless apt-get can run as root here; sets APT_ROOT.
apt_prepare() {
  local missing="$1" hint="$2"
  shift 2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$missing and apt-get is not available: $hint." >&2
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      APT_ROOT="sudo"
    else
      echo "$missing: run 'apt-get install -y $*' as root." >&2
      exit 1
    fi
  fi
}

# apt_install package...: updates the package lists and installs the packages, without recommends.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  $APT_ROOT apt-get update -qq
  $APT_ROOT apt-get install -y -qq --no-install-recommends "$@"
}
