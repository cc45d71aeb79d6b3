#!/usr/bin/env bash
# The wheels that ship: euid_sdk-<version>-py3-none-manylinux_2_17_<arch>.manylinux2014_<arch>.whl
# for x86_64 and aarch64, in target/dist/ (stale wheels there removed). One wheel per
# architecture serves every CPython >= 3.9 (the module is plain ctypes, no CPython ABI).
# The libraries and bindings come from scripts/portable-build.sh; scripts/portable-wheel.py packs
# them (maturin --zig cannot: see that script).
source "$(dirname "$0")/portable-lib.sh"
portable_lock

scripts/portable-build.sh
log "assembling the manylinux2014 wheels into target/dist/"
mkdir -p "$DIST"
rm -f "$DIST"/euid_sdk-*.whl
for arch in x86_64 aarch64; do
  "$PYTHON" scripts/portable-wheel.py --arch "$arch" --lib "$PORTABLE/lib/$arch/libeuid_ffi.so" \
    --testing-lib "$PORTABLE/lib/$arch/libeuid_testing.so" \
    --bindings "$PORTABLE/gen/python/euid.py" --out "$DIST"
done
"$PYTHON" scripts/check-glibc.py "$DIST"/euid_sdk-*.whl
ls -l "$DIST"/euid_sdk-*.whl
