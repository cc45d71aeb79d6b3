#!/usr/bin/env bash
# Builds the native libraries that ship in the wheels and the jars, plus the Python and Kotlin
# bindings, without Docker, for: Linux x86_64 and aarch64 with glibc 2.17 (manylinux2014) and
# with musl (Alpine, musllinux_1_2), Windows x64, and macOS x86_64 (10.14+) and arm64 (11+):
#
#   - a Debian 12 (bookworm) amd64 build root made by debootstrap under target/portable/roots/
#     (cached), with Debian's Rust toolchain (rustc-web, which carries the aarch64 standard library
#     as libstd-rust-web-dev:arm64 and the standard library's source as rust-web-src; rustup
#     cannot fetch other targets here), mingw-w64, llvm-16 (llvm-objcopy) and zig +
#     cargo-zigbuild from PyPI;
#   - this machine's normal release build of euid-ffi, from which uniffi-bindgen generates the
#     bindings in library mode (a zig-linked library has no static symbol table, so no UniFFI metadata to
#     read; the metadata is the same for the same source and features, on every platform);
#   - one cargo build per target, checked to export exactly the interface of the normal build,
#     then stripped; the test kit's library for glibc; the test tools of
#     scripts/portable-platforms.sh (euid-core's test binaries for musl and Windows, tests/portable/).
#
# Outputs: target/portable/lib/<platform>/ (the jar's folder names: linux-x86-64, linux-aarch64,
# linux-musl-x86-64, linux-musl-aarch64, win32-x86-64, darwin-x86-64, darwin-aarch64) with
# libeuid_ffi.so, euid_ffi.dll or libeuid_ffi.dylib, and
# for glibc the test kit's libeuid_testing.so, all stripped; lib/exports.txt (the interface),
# lib/build-info.txt; target/portable/gen/python/euid.py, target/portable/gen/kotlin/ (Kotlin
# sources); target/portable/tests/ (test tools) and the test emulator
# target/portable/emulator/euid-emulator (x86-64, glibc 2.17). The test tools are not shipped.
source "$(dirname "$0")/portable-lib.sh"

ZIGLANG_VERSION="0.17.1"        # PyPI ziglang: the zig compiler, used as the linker
CARGO_ZIGBUILD_VERSION="0.24.0" # PyPI cargo-zigbuild
BUILD_ROOT="$ROOTS/build-bookworm-amd64"
# Debian's rustc-web (1.96 in bookworm today) moves with Debian's security updates, which keep
# only the newest version; the version used is recorded in build-info.txt.
BUILD_RECIPE="bookworm amd64 rustc-web libstd-rust-web-dev:arm64 rust-web-src mingw-w64 musl wine64 llvm-16 squid ziglang==$ZIGLANG_VERSION cargo-zigbuild==$CARGO_ZIGBUILD_VERSION v2"

provision_build_root() {
  local r=$1
  in_root "$r" dpkg --add-architecture arm64
  in_root "$r" apt-get update -q
  in_root "$r" apt-get install -y -q --no-install-recommends \
    rustc-web cargo-web libstd-rust-web-dev libstd-rust-web-dev:arm64 rust-web-src \
    gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 musl wine64 llvm-16 squid openssl
  # rustc strips Mach-O files with rust-objcopy, which Debian's rustc does not ship.
  in_root "$r" ln -sf /usr/bin/llvm-objcopy-16 /usr/local/bin/rust-objcopy
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
tar -C "$ROOT" --exclude=target -cf - Cargo.toml Cargo.lock "${package_dirs[@]}" \
  tests/portable tests/vectors tests/proxy scripts/macos-stubs.py scripts/macos-frameworks.txt |
  as_root tar -C "$BUILD_ROOT/src" -xf -

# RUSTC_BOOTSTRAP=1 for every build, not only those that need it (-Zbuild-std and other -Z
# flags): build scripts such as proc-macro2's rerun when it changes, and the host crates they
# build are shared by every target, so alternating would rebuild each target from the ground up.
build() {
  in_root "$BUILD_ROOT" PATH="/opt/zig/bin:$ROOT_PATH" CARGO_TARGET_DIR=/build/target \
    CARGO_TERM_COLOR=never RUSTC_BOOTSTRAP=1 bash -euo pipefail -c "cd /src && $*"
}
started=$SECONDS

# The bindings and the interface come from this machine's normal build (the one `make test` has
# made already: kotlin/pom.xml builds the same two packages); cargo only checks it is current.
HOST_TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
log "normal release build of euid-ffi on this machine (the bindings are generated from it)"
cargo build --release --locked -p euid-ffi
cargo build --locked -p uniffi-bindgen
rm -rf "$PORTABLE/gen.new"
"$HOST_TARGET/debug/uniffi-bindgen" generate --config bindings/uniffi.toml --language python \
  --language kotlin --no-format --out-dir "$PORTABLE/gen.new" "$HOST_TARGET/release/libeuid_ffi.so"

# The library's interface: UniFFI's functions and metadata, the door's C entry points and its JNI
# functions (scripts/check-natives.py names them the same way).
INTERFACE='^(uniffi_|ffi_|UNIFFI_META|euid_|Java_org_euidsdk_)'
exports() { # NM LIB: the library's exported interface names
  build "$1 -D --defined-only $2 | awk '{print \$3}' | grep -E '$INTERFACE' | sort"
}
normal_exports=$(nm -D --defined-only "$HOST_TARGET/release/libeuid_ffi.so" | awk '{print $3}' |
  grep -E "$INTERFACE" | sort)
[ "$(wc -l <<<"$normal_exports")" -gt 10 ] || { echo "the normal build exports no UniFFI symbols" >&2; exit 1; }

info="$BUILD_ROOT/build/build-info.txt"
as_root rm -rf "$BUILD_ROOT/build/lib"
as_root mkdir -p "$BUILD_ROOT/build/lib"
echo "$normal_exports" | as_root tee "$BUILD_ROOT/build/lib/exports.txt" >/dev/null
{
  echo "rustc: $(build rustc --version)"
  echo "zig: $(build python-zig version)"
  echo "cargo-zigbuild: $(build cargo-zigbuild --version)"
  echo "source: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
} | as_root tee "$info" >/dev/null
# Every shipped target. rustc-web carries the standard library for the two glibc targets
# (libstd-rust-web-dev, :amd64 and :arm64); for musl, Windows and macOS it builds one from
# rust-web-src (-Zbuild-std, which RUSTC_BOOTSTRAP=1 allows on a release compiler), cached in /build/target like
# everything else. Linkers: zig (cargo zigbuild) for Linux, pinned to glibc 2.17 by the target's
# suffix, and with musl's libc linked dynamically as musllinux requires; mingw-w64 for Windows.
TARGETS=(x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl
  aarch64-unknown-linux-musl x86_64-pc-windows-gnu x86_64-apple-darwin aarch64-apple-darwin)

# macOS: no Apple SDK here. zig carries libSystem's stubs; the two frameworks the platform
# verifier links (Security, CoreFoundation: the keychain's trust) are linked against stubs made
# from scripts/macos-frameworks.txt. zig ignores rustc's exported-symbols list, so Rust's symbols
# are hidden by default instead (the #[no_mangle] interface stays exported), and C code's too.
# The minimum macOS is recorded in LC_BUILD_VERSION: 10.14 for x86-64 (SecTrustEvaluateWithError),
# 11.0 for arm64 (its first release). -dead_strip_dylibs drops libiconv, which the libc crate
# names and nothing uses. zig signs the arm64 library (ad hoc), as macOS requires.
MACOS_SDK=/build/macos-sdk
macos_min() { case "$1" in x86_64-*) echo 10.14 ;; *) echo 11.0 ;; esac; }

# xcargo TRIPLE CARGO_ARGS...: cargo (zig)build for TRIPLE with its std, linker and flags.
xcargo() {
  local triple=$1
  shift
  case "$triple" in
    *-linux-gnu) build cargo zigbuild --locked --target "$triple.2.17" "$@" ;;
    *-linux-musl)
      build "CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$triple")_RUSTFLAGS='-Clink-self-contained=no \
        -Ctarget-feature=-crt-static' cargo zigbuild --locked --target $triple -Zbuild-std=std,panic_abort $*" ;;
    *-windows-gnu)
      build "CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
        cargo build --locked --target $triple -Zbuild-std=std,panic_abort $*" ;;
    *-apple-darwin)
      build "MACOSX_DEPLOYMENT_TARGET=$(macos_min "$triple") \
        CARGO_PROFILE_RELEASE_STRIP=symbols CFLAGS_$(tr '-' '_' <<<"$triple")=-fvisibility=hidden \
        CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$triple")_RUSTFLAGS='-Zdefault-visibility=hidden \
        -Clink-arg=-Wl,-install_name,@rpath/libeuid_ffi.dylib -Clink-arg=-Wl,-dead_strip_dylibs \
        -Clink-arg=-F$MACOS_SDK/System/Library/Frameworks' \
        cargo zigbuild --locked --target $triple -Zbuild-std=std,panic_abort $*" ;;
  esac
}

# platform_dir TRIPLE: the folder of TRIPLE's libraries under lib/: JNA's resource prefix, which is
# the jar's folder too (linux-musl-* is ours: org.euidsdk.NativePlatform picks it on musl).
platform_dir() {
  case "$1" in
    x86_64-unknown-linux-gnu) echo linux-x86-64 ;;
    aarch64-unknown-linux-gnu) echo linux-aarch64 ;;
    x86_64-unknown-linux-musl) echo linux-musl-x86-64 ;;
    aarch64-unknown-linux-musl) echo linux-musl-aarch64 ;;
    x86_64-pc-windows-gnu) echo win32-x86-64 ;;
    x86_64-apple-darwin) echo darwin-x86-64 ;;
    aarch64-apple-darwin) echo darwin-aarch64 ;;
  esac
}
lib_file() { # TRIPLE NAME: the file name of library NAME on that platform
  case "$1" in
    *-windows-*) echo "$2.dll" ;;
    *-apple-*) echo "lib$2.dylib" ;;
    *) echo "lib$2.so" ;;
  esac
}
strip_tool() { # TRIPLE: binutils' strip for that target (Debian's rustc has no rust-objcopy)
  case "$1" in
    x86_64-*-linux-*) echo strip ;;
    aarch64-*-linux-*) echo aarch64-linux-gnu-strip ;;
    *-windows-gnu) echo x86_64-w64-mingw32-strip ;;
    *-apple-*) echo "" ;; # rustc has stripped it (CARGO_PROFILE_RELEASE_STRIP above)
  esac
}

# strip_into TRIPLE BUILT NAME: BUILT stripped into lib/<platform>/, its size recorded.
strip_into() {
  local dir out
  dir=$(platform_dir "$1")
  out="/build/lib/$dir/$(lib_file "$1" "$3")"
  if [ -n "$(strip_tool "$1")" ]; then
    build "mkdir -p /build/lib/$dir && $(strip_tool "$1") --strip-all -o $out $2"
  else
    build "mkdir -p /build/lib/$dir && cp $2 $out"
  fi
  echo "$dir: ${out##*/} $(stat -c %s "$BUILD_ROOT$out") bytes stripped (unstripped $(stat -c %s \
    "$BUILD_ROOT$2")), built in $((SECONDS - t0)) s" | as_root tee -a "$info" >/dev/null
}

build "rm -rf $MACOS_SDK && python3 scripts/macos-stubs.py scripts/macos-frameworks.txt $MACOS_SDK"
for triple in "${TARGETS[@]}"; do
  log "cargo build -p euid-ffi --target $triple"
  t0=$SECONDS
  xcargo "$triple" --release -p euid-ffi
  built="/build/target/$triple/release/$(lib_file "$triple" euid_ffi)"
  # ELF here; every format is checked again by scripts/check-natives.py below.
  case "$triple" in
    *-linux-*)
      if [ "$(exports "$(strip_tool "$triple" | sed 's/strip$/nm/')" "$built")" != "$normal_exports" ]; then
        echo "the $triple library does not export what the normal build exports: bindings would not fit" >&2
        exit 1
      fi ;;
  esac
  strip_into "$triple" "$built" euid_ffi
done

# The test emulator, for the old-userland and arm64 test roots of scripts/portable-test.sh
# (the tests start emulators of their own). A separate cargo run: built together with euid-ffi,
# cargo would unify their dependencies' features and change the shipped library. x86-64 only: it
# runs natively in the arm64 root too (libc6:amd64 there), so operator-side timing stays real.
log "cargo zigbuild -p euid-emulator --target x86_64-unknown-linux-gnu.2.17 (test tool, not shipped)"
xcargo x86_64-unknown-linux-gnu --release -p euid-emulator

# The test kit's library (euid_sdk.testing in the wheels, the euid-sdk-testing jar), for glibc. A
# cargo run of its own, for the reason above: the shipped SDK library stays free of the
# emulator's features.
for triple in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu; do
  log "cargo zigbuild -p euid-testing-ffi --target $triple.2.17 (the test kit's library)"
  t0=$SECONDS
  xcargo "$triple" --release -p euid-testing-ffi
  kit="/build/target/$triple/release/libeuid_testing.so"
  nm=$(strip_tool "$triple" | sed 's/strip$/nm/')
  kit_exports=$(build "$nm -D --defined-only $kit | awk '{print \$3}' | grep '^euid_testing_' | sort | tr '\n' ' '")
  if [ "$kit_exports" != "euid_testing_free euid_testing_start euid_testing_stop " ]; then
    echo "the $triple test kit library exports '$kit_exports', not the three euid_testing_ symbols" >&2
    exit 1
  fi
  strip_into "$triple" "$kit" euid_testing
done

# Test tools (not shipped), for scripts/portable-platforms.sh: the test binaries of euid-core for
# musl x86-64 (run on this machine; squid, for its proxy tests, is in the root) and Windows (run
# under wine), in the release profile so that
# they reuse the dependencies built above; the smoke program (tests/portable/smoke.c) for each, and
# the ProcessPrng stand-in wine needs.
as_root rm -rf "$BUILD_ROOT/build/tests"
for triple in x86_64-unknown-linux-musl x86_64-pc-windows-gnu; do
  dir=$(platform_dir "$triple")
  log "test binaries of euid-core for $triple (test tools, not shipped)"
  t0=$SECONDS
  xcargo "$triple" --release -p euid-core --lib --tests \
    --message-format=json-render-diagnostics ">/build/tests-$triple.json"
  build "mkdir -p /build/tests/$dir"
  # Named <package folder>--<target>: the runner starts each in that folder, as cargo test does.
  "$PYTHON" - "$BUILD_ROOT/build/tests-$triple.json" <<'PY' | while read -r exe name; do
import json, os, sys
for line in open(sys.argv[1], encoding="utf-8"):
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        package = os.path.basename(os.path.dirname(m["manifest_path"]))
        ext = ".exe" if m["executable"].endswith(".exe") else ""
        print(m["executable"], f"{package}--{m['target']['name']}{ext}")
PY
    build "cp $exe /build/tests/$dir/$name" </dev/null
  done
  echo "$dir: euid-core test binaries built in $((SECONDS - t0)) s" | as_root tee -a "$info" >/dev/null
done
# -dynamic: a musl process with musl's loader (zig links musl programs statically by default,
# and a static program cannot dlopen).
build "python-zig cc -target x86_64-linux-musl -dynamic -O2 -Wall -Werror \
  -o /build/tests/linux-musl-x86-64/smoke tests/portable/smoke.c"
build "x86_64-w64-mingw32-gcc -O2 -Wall -Werror -o /build/tests/win32-x86-64/smoke.exe tests/portable/smoke.c"
build "x86_64-w64-mingw32-gcc -O2 -Wall -Werror -shared -o /build/tests/win32-x86-64/bcryptprimitives.dll \
  tests/portable/bcryptprimitives.c -lbcrypt"
log "collecting the libraries and bindings into target/portable/"
rm -rf "$PORTABLE/lib" "$PORTABLE/gen" "$PORTABLE/emulator" "$PORTABLE/tests"
mkdir -p "$PORTABLE/gen/python" "$PORTABLE/gen/kotlin" "$PORTABLE/emulator"
cp -r "$BUILD_ROOT/build/lib" "$PORTABLE/lib"
cp -r "$BUILD_ROOT/build/tests" "$PORTABLE/tests"
cp "$BUILD_ROOT/build/target/x86_64-unknown-linux-gnu/release/euid-emulator" "$PORTABLE/emulator/"
cp "$info" "$PORTABLE/lib/build-info.txt"
cp "$PORTABLE/gen.new/euid.py" "$PORTABLE/gen/python/euid.py"
cp -r "$PORTABLE/gen.new/org" "$PORTABLE/gen/kotlin/"
rm -rf "$PORTABLE/gen.new"
cat "$PORTABLE/lib/build-info.txt"
"$PYTHON" scripts/check-natives.py --exports "$PORTABLE/lib/exports.txt" "$PORTABLE/lib"
log "portable build done in $((SECONDS - started)) s"
