#!/usr/bin/env bash
# Builds the wheel, installs it into a fresh virtual environment and runs the Python suite
# against the installed package and the emulator binary, then the test kit in a fresh pytest
# project (scripts/test-python-consumer.sh).
source "$(dirname "$0")/common.sh"

REDIS_PY_VERSION="8.1.0"   # redis-py, for the RedisStore tests only (not a wheel dependency)
GUNICORN_VERSION="27.0.1"  # for the pre-fork server test

scripts/build-wheel.sh
log "building the emulator"
cargo build --release --locked -p euid-emulator

# The RedisStore tests start their own redis-server; the wheel itself needs neither it nor redis-py.
if ! command -v redis-server >/dev/null; then
  log "installing redis-server"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y redis-server || { $sudo apt-get update && $sudo apt-get install -y redis-server; }
fi
redis-server --version
# The proxy and certificate tests start their own squid and make a CA with openssl.
ensure_test_tools

log "installing the wheel into a fresh .venv-test"
new_venv .venv-test
.venv-test/bin/pip install --quiet target/wheels/euid_sdk-*.whl
.venv-test/bin/pip install --quiet "pytest==9.2.0" "mypy==2.4.1" "redis==$REDIS_PY_VERSION" \
  "gunicorn==$GUNICORN_VERSION"

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

# The test kit as a publisher gets it: a fresh pytest project using the wheel's fixture.
scripts/test-python-consumer.sh
