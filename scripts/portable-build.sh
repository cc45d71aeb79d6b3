#!/usr/bin/env bash
# Builds the native library that ships in the wheels and the jar, for x86_64 and aarch64 Linux,
# linked against glibc 2.17 (manylinux2014), plus the Python and Kotlin bindings, without Docker:
#
#   - a Debian 12 (bookworm) amd64 build root made by debootstrap under target/portable/roots/
#     (cached), with Debian's Rust toolchain (rustc-web, which carries the aarch64 standard library
#     as libstd-rust-web-dev:arm64; rustup cannot fetch one here) and zig + cargo-zigbuild from PyPI;
#   - a normal release build of euid-ffi, from which uniffi-bindgen generates the bindings in
#     library mode (a zig-linked library has no static symbol table, so no UniFFI metadata to
#     read; the metadata is the same for the same source and features, on every architecture);
#   - `cargo zigbuild --target <arch>-unknown-linux-gnu.2.17` for each architecture, checked to
#     export exactly the symbols of the normal build, then stripped.
#
# Outputs: target/portable/lib/<arch>/libeuid_ffi.so and the test kit's libeuid_testing.so
# (stripped), target/portable/gen/python/euid.py,
# target/portable/gen/kotlin/ (Kotlin sources), target/portable/lib/build-info.txt, and the test
# emulator target/portable/emulator/euid-emulator (x86-64, glibc 2.17; not shipped).
source "$(dirname "$0")/portable-lib.sh"

ZIGLANG_VERSION="0.17.1"        # PyPI ziglang: the zig compiler, used as the linker
CARGO_ZIGBUILD_VERSION="0.24.0" # PyPI cargo-zigbuild
BUILD_ROOT="$ROOTS/build-bookworm-amd64"
ARCHES=(x86_64 aarch64)
# Debian's rustc-web (1.96 in bookworm today) moves with Debian's security updates, which keep
# only the newest version; the version used is recorded in build-info.txt.
BUILD_RECIPE="bookworm amd64 rustc-web libstd-rust-web-dev:arm64 ziglang==$ZIGLANG_VERSION cargo-zigbuild==$CARGO_ZIGBUILD_VERSION v1"

provision_build_root() {
  local r=$1
  in_root "$r" dpkg --add-architecture arm64
  in_root "$r" apt-get update -q
  in_root "$r" apt-get install -y -q --no-install-recommends \
    rustc-web cargo-web libstd-rust-web-dev libstd-rust-web-dev:arm64
  in_root "$r" python3 -m venv /opt/zig
  in_root "$r" /opt/zig/bin/pip install -q "ziglang==$ZIGLANG_VERSION" \
    "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION"
}

portable_lock
make_root build-bookworm-amd64 bookworm amd64 "$BUILD_RECIPE" provision_build_root \
  ca-certificates,gcc,libc6-dev,python3-venv,binutils-aarch64-linux-gnu

# The sources cargo needs (the folders of the workspace's local packages, as cargo metadata
# lists them), copied rather than bind-mounted so that no mount ever exposes the work tree inside
# target/. tar keeps the mtimes, so cargo stays incremental.
log "copying the workspace sources into the build root"
mapfile -t package_dirs < <(cargo metadata --locked --no-deps --format-version 1 | "$PYTHON" -c '
import json, os, sys
root = os.getcwd()
for p in json.load(sys.stdin)["packages"]:
    d = os.path.relpath(os.path.dirname(p["manifest_path"]), root)
    if d != "." and not d.startswith(".."):
        print(d)')
as_root rm -rf "$BUILD_ROOT/src"
as_root mkdir -p "$BUILD_ROOT/src"
tar -C "$ROOT" --exclude=target -cf - Cargo.toml Cargo.lock "${package_dirs[@]}" |
  as_root tar -C "$BUILD_ROOT/src" -xf -

build() {
  in_root "$BUILD_ROOT" PATH="/opt/zig/bin:$ROOT_PATH" CARGO_TARGET_DIR=/build/target \
    CARGO_TERM_COLOR=never bash -euo pipefail -c "cd /src && $*"
}
started=$SECONDS

log "normal release build of euid-ffi (the bindings are generated from it)"
build cargo build --release --locked -p euid-ffi
log "uniffi-bindgen (the workspace's own, same uniffi version)"
build cargo build --locked -p uniffi-bindgen
build 'rm -rf /build/gen && /build/target/debug/uniffi-bindgen generate --config bindings/uniffi.toml \
  --language python --language kotlin --no-format --out-dir /build/gen /build/target/release/libeuid_ffi.so'

exports() { # NM LIB: the library's exported function and metadata names
  build "$1 -D --defined-only $2 | awk '{print \$3}' | grep -E '^(uniffi_|ffi_|UNIFFI_META)' | sort"
}
normal_exports=$(exports nm /build/target/release/libeuid_ffi.so)
[ "$(wc -l <<<"$normal_exports")" -gt 10 ] || { echo "the normal build exports no UniFFI symbols" >&2; exit 1; }

info="$BUILD_ROOT/build/build-info.txt"
as_root rm -rf "$BUILD_ROOT/build/lib"
{
  echo "rustc: $(build rustc --version)"
  echo "zig: $(build python-zig version)"
  echo "cargo-zigbuild: $(build cargo-zigbuild --version)"
  echo "source: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
} | as_root tee "$info" >/dev/null
for arch in "${ARCHES[@]}"; do
  triple="$arch-unknown-linux-gnu"
  log "cargo zigbuild --target $triple.2.17"
  build cargo zigbuild --release --locked -p euid-ffi --target "$triple.2.17"
  nm=nm strip=strip
  [ "$arch" = x86_64 ] || { nm="$arch-linux-gnu-nm"; strip="$arch-linux-gnu-strip"; }
  if [ "$(exports "$nm" "/build/target/$triple/release/libeuid_ffi.so")" != "$normal_exports" ]; then
    echo "the $arch library does not export what the normal build exports: bindings would not fit" >&2
    exit 1
  fi
  build "mkdir -p /build/lib/$arch && $strip --strip-all -o /build/lib/$arch/libeuid_ffi.so \
    /build/target/$triple/release/libeuid_ffi.so"
  size=$(stat -c %s "$BUILD_ROOT/build/lib/$arch/libeuid_ffi.so")
  echo "$arch: libeuid_ffi.so $size bytes stripped (unstripped $(stat -c %s \
    "$BUILD_ROOT/build/target/$triple/release/libeuid_ffi.so"))" | as_root tee -a "$info" >/dev/null
done

# The test emulator, for the old-userland and arm64 test roots of scripts/portable-test.sh
# (the tests start emulators of their own). A separate cargo run: built together with euid-ffi,
# cargo would unify their dependencies' features and change the shipped library. x86-64 only: it
# runs natively in the arm64 root too (libc6:amd64 there), so operator-side timing stays real.
log "cargo zigbuild -p euid-emulator --target x86_64-unknown-linux-gnu.2.17 (test tool, not shipped)"
build cargo zigbuild --release --locked -p euid-emulator --target x86_64-unknown-linux-gnu.2.17

# The test kit's library (euid_sdk.testing in the wheels), per architecture. A cargo run of its
# own, for the reason above: the shipped SDK library stays free of the emulator's features.
for arch in "${ARCHES[@]}"; do
  triple="$arch-unknown-linux-gnu"
  log "cargo zigbuild -p euid-testing-ffi --target $triple.2.17 (the test kit's library)"
  build cargo zigbuild --release --locked -p euid-testing-ffi --target "$triple.2.17"
  nm=nm strip=strip
  [ "$arch" = x86_64 ] || { nm="$arch-linux-gnu-nm"; strip="$arch-linux-gnu-strip"; }
  kit="/build/target/$triple/release/libeuid_testing.so"
  kit_exports=$(build "$nm -D --defined-only $kit | awk '{print \$3}' | grep '^euid_testing_' | sort | tr '\n' ' '")
  if [ "$kit_exports" != "euid_testing_free euid_testing_start euid_testing_stop " ]; then
    echo "the $arch test kit library exports '$kit_exports', not the three euid_testing_ symbols" >&2
    exit 1
  fi
  build "$strip --strip-all -o /build/lib/$arch/libeuid_testing.so $kit"
  echo "$arch: libeuid_testing.so $(stat -c %s "$BUILD_ROOT/build/lib/$arch/libeuid_testing.so") bytes stripped" |
    as_root tee -a "$info" >/dev/null
done

log "collecting the libraries and bindings into target/portable/"
rm -rf "$PORTABLE/lib" "$PORTABLE/gen" "$PORTABLE/emulator"
mkdir -p "$PORTABLE/gen/python" "$PORTABLE/gen/kotlin" "$PORTABLE/emulator"
cp -r "$BUILD_ROOT/build/lib" "$PORTABLE/lib"
cp "$BUILD_ROOT/build/target/x86_64-unknown-linux-gnu/release/euid-emulator" "$PORTABLE/emulator/"
cp "$info" "$PORTABLE/lib/build-info.txt"
cp "$BUILD_ROOT/build/gen/euid.py" "$PORTABLE/gen/python/euid.py"
cp -r "$BUILD_ROOT/build/gen/org" "$PORTABLE/gen/kotlin/"
cat "$PORTABLE/lib/build-info.txt"
"$PYTHON" scripts/check-glibc.py "$PORTABLE"/lib/*/libeuid_*.so
log "portable build done in $((SECONDS - started)) s"
