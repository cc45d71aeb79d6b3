#!/usr/bin/env bash
# Builds the Python wheel into target/wheels/ (exactly one wheel, stale ones removed).
source "$(dirname "$0")/common.sh"

maturin_venv

# The test kit's native library ships in the wheel as package data of euid_sdk.testing (a
# library of its own: the SDK's carries no emulator). Copied fresh before every build.
log "building the test kit's library (euid-testing-ffi)"
cargo build --release --locked -p euid-testing-ffi
cp target/release/libeuid_testing.so python/src/euid_sdk/testing/

log "building the wheel"
rm -rf target/wheels
(cd python && ../.venv-build/bin/maturin build --release --out ../target/wheels)
count=$(find target/wheels -name 'euid_sdk-*.whl' | wc -l)
if [ "$count" -ne 1 ]; then
  echo "expected exactly one wheel in target/wheels, found $count" >&2
  exit 1
fi
"$PYTHON" - target/wheels/euid_sdk-*.whl <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
if "euid_sdk/testing/libeuid_testing.so" not in names:
    sys.exit(f"{sys.argv[1]} lacks euid_sdk/testing/libeuid_testing.so")
PY
ls -l target/wheels/
