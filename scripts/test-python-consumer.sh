#!/usr/bin/env bash
# A publisher's fresh pytest project: tests/consumers/pytest copied into a temporary directory with
# the Python blocks of README.md's "Testing your integration" added as pasted, a new virtual
# environment with only the built wheel and pytest installed, and its tests, which use the
# euid_emulator fixture the wheel registers (no emulator binary, no conftest). Fails unless every
# test passes.
#
# Expects the wheel in target/wheels/; scripts/test-python.sh builds it and then calls this script.
source "$(dirname "$0")/common.sh"

PYTEST_VERSION="9.2.0"
EXPECTED=4   # the 2 tests in tests/consumers/pytest and the README's 2

wheel=$(find target/wheels -name 'euid_sdk-*.whl' | head -1)
if [[ -z $wheel ]]; then
  echo "no wheel in target/wheels: run scripts/build-wheel.sh" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r tests/consumers/pytest "$work/project"
"$PYTHON" scripts/readme_blocks.py "### Python" python "$work/project"

log "a fresh pytest project: pip install $(basename "$wheel") pytest==$PYTEST_VERSION"
new_venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$wheel" "pytest==$PYTEST_VERSION"

log "pytest in the fresh project (the euid_emulator fixture from the wheel's entry point)"
(cd "$work/project" && "$work/venv/bin/python" -m pytest -q -p no:cacheprovider) | tee "$work/report"
if ! grep -Eq "^$EXPECTED passed" "$work/report"; then
  echo "expected $EXPECTED passed tests in the fresh pytest project" >&2
  exit 1
fi
