#!/usr/bin/env bash
# Builds the wheel, installs it into a fresh virtual environment and runs the Python suite
# against the installed package and the emulator binary.
source "$(dirname "$0")/common.sh"

scripts/build-wheel.sh
log "building the emulator"
cargo build --release --locked -p euid-emulator

log "installing the wheel into a fresh .venv-test"
new_venv .venv-test
.venv-test/bin/pip install --quiet target/wheels/euid_sdk-*.whl
.venv-test/bin/pip install --quiet "pytest==9.2.0" "mypy==2.4.1"

log "mypy (strict, from pyproject.toml) on the installed package"
(cd python && ../.venv-test/bin/python -m mypy -p euid_sdk)

log "pytest"
report=target/pytest-report.txt
(cd python && EUID_EMULATOR_BIN="$ROOT/target/release/euid-emulator" \
  ../.venv-test/bin/python -m pytest -q -p no:cacheprovider tests) | tee "$report"
passed=$(grep -Eo '[0-9]+ passed' "$report" | grep -Eo '[0-9]+' || echo 0)
if [ "$passed" -eq 0 ]; then
  echo "pytest ran no tests" >&2
  exit 1
fi
