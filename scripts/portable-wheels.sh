#!/usr/bin/env bash
# The Python packages that ship, in target/dist/ (stale ones removed): one wheel per platform,
# euid_sdk-<version>-py3-none-<tag>.whl for manylinux2014 x86_64 and aarch64, musllinux_1_2
# x86_64 and aarch64, win_amd64, macosx_10_14_x86_64 and macosx_11_0_arm64 (each serves every
# CPython >= 3.9: the module is plain ctypes, no CPython ABI). No sdist yet: maturin's leaves out
# the workspace's uniffi-bindgen crate, so pip cannot build it (issue 15's note).
# The libraries and bindings come from scripts/portable-build.sh; scripts/portable-wheel.py packs
# them (maturin --zig cannot: see that script).
source "$(dirname "$0")/portable-lib.sh"
portable_lock

PLATFORMS=(linux-x86-64 linux-aarch64 linux-musl-x86-64 linux-musl-aarch64 win32-x86-64
  darwin-x86-64 darwin-aarch64)

scripts/portable-build.sh
log "assembling the wheels into target/dist/"
mkdir -p "$DIST"
rm -f "$DIST"/euid_sdk-*.whl
for platform in "${PLATFORMS[@]}"; do
  lib=$(find "$PORTABLE/lib/$platform" -maxdepth 1 -type f -name '*euid_ffi.*')
  kit=()
  [ ! -f "$PORTABLE/lib/$platform/libeuid_testing.so" ] || kit=(--testing-lib "$PORTABLE/lib/$platform/libeuid_testing.so")
  "$PYTHON" scripts/portable-wheel.py --platform "$platform" --lib "$lib" "${kit[@]}" \
    --bindings "$PORTABLE/gen/python/euid.py" --out "$DIST"
done
"$PYTHON" scripts/check-natives.py --exports "$PORTABLE/lib/exports.txt" --wheel-count 7 "$DIST"/euid_sdk-*.whl

ls -l "$DIST"/euid_sdk-*
