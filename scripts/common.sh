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
