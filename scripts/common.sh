# Sourced by the other scripts: strict mode, the repository root, and shared helpers.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MATURIN_VERSION="1.16.0"
PYTHON="${PYTHON:-python3}"

log() { printf '\n==> %s\n' "$*" >&2; }

# new_venv DIR: a fresh virtual environment with an up-to-date pip.
new_venv() {
  rm -rf "$1"
  "$PYTHON" -m venv "$1"
  "$1/bin/python" -m pip install --quiet --upgrade pip
}

# apt_install PACKAGE...: installs the Debian packages not installed yet (sudo when not root).
apt_install() {
  local missing=() p sudo=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" || {
    $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  }
}

# ensure_test_tools: what the proxy and certificate tests of every language run: Debian's squid
# (tests/proxy/squid.sh starts it on loopback) and openssl (tests/tls/make-ca.sh).
ensure_test_tools() {
  apt_install squid openssl
}

# maturin_venv: .venv-build with maturin $MATURIN_VERSION (made when missing or another version).
maturin_venv() {
  if [ ! -x .venv-build/bin/maturin ] || ! .venv-build/bin/maturin --version | grep -q "$MATURIN_VERSION"; then
    log "installing maturin $MATURIN_VERSION into .venv-build"
    new_venv .venv-build
    .venv-build/bin/pip install --quiet "maturin==$MATURIN_VERSION"
  fi
}
