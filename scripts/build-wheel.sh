#!/usr/bin/env bash
# Builds the Python wheel into target/wheels/ (exactly one wheel, stale ones removed).
source "$(dirname "$0")/common.sh"

if [ ! -x .venv-build/bin/maturin ] || ! .venv-build/bin/maturin --version | grep -q "$MATURIN_VERSION"; then
  log "installing maturin $MATURIN_VERSION into .venv-build"
  new_venv .venv-build
  .venv-build/bin/pip install --quiet "maturin==$MATURIN_VERSION"
fi

log "building the wheel"
rm -rf target/wheels
(cd python && ../.venv-build/bin/maturin build --release --out ../target/wheels)
count=$(find target/wheels -name 'euid_sdk-*.whl' | wc -l)
if [ "$count" -ne 1 ]; then
  echo "expected exactly one wheel in target/wheels, found $count" >&2
  exit 1
fi
ls -l target/wheels/
