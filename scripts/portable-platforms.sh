#!/usr/bin/env bash
# Tests the musl and Windows artifacts as far as this Linux machine can run
# them (run by scripts/portable-test.sh, after the wheels and the jar are in target/dist/):
#
#   1. pip's own resolution (pip install --dry-run --platform TAG --only-binary=:all: against
#      target/dist/) picks each platform's wheel, for the oldest and a current version of each;
#   2. musl x86-64: the test binaries of euid-core, built for musl, run natively in
#      the build root (Debian's musl package gives the loader), then the smoke program
#      (tests/portable/smoke.c, a musl process) loads the shipped library and calls it against
#      the emulator;
#   3. Windows x64 under Debian's wine64 (Wine 8) in the build root: the same test binaries, then
#      the smoke program (a Windows process) loads the shipped DLL and calls it against the
#      emulator. Wine 8 lacks ProcessPrng, which Rust's std calls: the test-only stand-in
#      tests/portable/bcryptprimitives.c is loaded in its place (Windows 10+ has the real one);
# aarch64 musl: built and format-checked (scripts/check-natives.py, run by the caller), not executed.
# Usage: scripts/portable-platforms.sh   (needs target/portable/ from scripts/portable-build.sh)
source "$(dirname "$0")/portable-lib.sh"
shopt -s inherit_errexit # a failing step inside $(...) fails the script
portable_lock

BUILD_ROOT="$ROOTS/build-bookworm-amd64"
EMULATOR_BIN="$PORTABLE/emulator/euid-emulator"
SUMMARY="$PORTABLE/platforms-summary.txt"
PYTEST_VERSION="8.4.2"    # as scripts/portable-test.sh
GUNICORN_VERSION="27.0.1" # as scripts/test-python.sh
WINE=/usr/lib/wine/wine64 # Debian's wine64 puts its runner here, not on PATH
: >"$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY" >&2; }
started=$SECONDS

[ -f "$BUILD_ROOT/.euid-root" ] || { echo "no build root: run scripts/portable-build.sh" >&2; exit 1; }
enter_root "$BUILD_ROOT"
in_build_root() { in_root "$BUILD_ROOT" "$@"; }

# --- 1. pip picks the right wheel -----------------------------------------------------------------
VENV="$PORTABLE/venv-platforms"
if [ ! -x "$VENV/bin/pytest" ] || ! "$VENV/bin/python" -m pytest --version 2>&1 | grep -q "$PYTEST_VERSION"; then
  new_venv "$VENV"
  "$VENV/bin/pip" install -q "pytest==$PYTEST_VERSION" "gunicorn==$GUNICORN_VERSION"
fi
log "pip resolution: each platform tag against target/dist/"
version=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("python/pyproject.toml", "rb"))["project"]["version"])')
resolutions=0
# pip's --platform tag, then the wheel it must pick.
while read -r tag wheel_tag; do
  report=$("$VENV/bin/pip" install --dry-run --quiet --ignore-installed --no-index --find-links "$DIST" \
    --platform "$tag" --python-version 3.12 --implementation cp --only-binary=:all: --report - euid-sdk)
  picked=$("$PYTHON" -c 'import json, sys, urllib.parse, os
items = json.loads(sys.stdin.read())["install"]
print(" ".join(os.path.basename(urllib.parse.urlparse(i["download_info"]["url"]).path) for i in items))' <<<"$report")
  expected="euid_sdk-$version-py3-none-$wheel_tag.whl"
  if [ "$picked" != "$expected" ]; then
    echo "pip --platform $tag picked '$picked', expected $expected" >&2
    exit 1
  fi
  echo "  --platform $tag -> $picked" >&2
  resolutions=$((resolutions + 1))
done <<'EOF'
manylinux2014_x86_64 manylinux_2_17_x86_64.manylinux2014_x86_64
manylinux_2_17_x86_64 manylinux_2_17_x86_64.manylinux2014_x86_64
manylinux2014_aarch64 manylinux_2_17_aarch64.manylinux2014_aarch64
manylinux_2_17_aarch64 manylinux_2_17_aarch64.manylinux2014_aarch64
musllinux_1_2_x86_64 musllinux_1_2_x86_64
musllinux_1_2_aarch64 musllinux_1_2_aarch64
win_amd64 win_amd64
macosx_10_14_x86_64 macosx_10_14_x86_64
macosx_14_0_x86_64 macosx_10_14_x86_64
macosx_11_0_arm64 macosx_11_0_arm64
macosx_15_0_arm64 macosx_11_0_arm64
EOF
# And where no wheel fits, none is picked.
for tag in linux_riscv64 win32 win_arm64 musllinux_1_1_x86_64 manylinux2010_x86_64 macosx_10_13_x86_64; do
  if "$VENV/bin/pip" install --dry-run --quiet --ignore-installed --no-index --find-links "$DIST" \
    --platform "$tag" --python-version 3.12 --only-binary=:all: euid-sdk >/dev/null 2>&1; then
    echo "pip --platform $tag found a wheel; none fits that platform" >&2
    exit 1
  fi
  resolutions=$((resolutions + 1))
done
note "pip resolution: $resolutions platform tags, each picked its wheel (or, without one, none)"

# --- the emulator the smoke programs call, on the host (127.0.0.1) ------------------------------
start_emulator
# Its credentials go to the smoke programs through a file in the root, never a command line.
"$PYTHON" -c 'import json, shlex, sys; d = json.load(sys.stdin)
for k in ("url", "api_key", "client_secret"): print(f"EUID_{k.upper()}={shlex.quote(d[k])}")' \
  <"$EMU_DIR/out" >"$BUILD_ROOT/build/emulator.env"
chmod 600 "$BUILD_ROOT/build/emulator.env"
EMAIL="user@example.com"
HASH=$("$PYTHON" -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).decode())' "$EMAIL")

# run_tests DIR RUNNER [SKIPPED]: every test binary in /build/tests/DIR of the root but SKIPPED
# (a file name), each in its package's folder (as cargo test), through RUNNER (empty: natively);
# sums libtest's counts.
run_tests() {
  local dir=$1 runner=$2 skipped=${3:-} bin passed=0 failed=0 ignored=0 binaries=0 out
  for bin in "$BUILD_ROOT/build/tests/$dir"/*--*; do
    local name=${bin##*/}
    [ "$name" != "$skipped" ] || continue
    log "$dir: ${name%.exe}${runner:+ (under wine)}"
    out="$PORTABLE/test-$dir-${name%.exe}.txt"
    in_build_root WINEPREFIX=/build/wine WINEDEBUG=-all WINEDLLOVERRIDES=bcryptprimitives=n,b \
      bash -c "cd /src/${name%%--*} && exec $runner /build/tests/$dir/$name --test-threads=2" |
      tee "$out" | grep -E '^test result:|FAILED|panicked' >&2
    local line
    line=$(grep -E '^test result: ' "$out" | tail -1)
    [ -n "$line" ] || { echo "$name printed no test result" >&2; return 1; }
    passed=$((passed + $(grep -Eo '[0-9]+ passed' <<<"$line" | cut -d' ' -f1)))
    failed=$((failed + $(grep -Eo '[0-9]+ failed' <<<"$line" | cut -d' ' -f1)))
    ignored=$((ignored + $(grep -Eo '[0-9]+ ignored' <<<"$line" | cut -d' ' -f1)))
    binaries=$((binaries + 1))
  done
  ((binaries > 0 && passed > 0 && failed == 0)) || {
    echo "$dir: $binaries test binaries, $passed passed, $failed failed" >&2
    return 1
  }
  echo "$binaries test binaries: $passed passed, $failed failed, $ignored ignored"
}

smoke() { # DIR RUNNER EXE LIBRARY: the smoke program against the emulator
  in_build_root bash -c "set -a; . /build/emulator.env; set +a; cd /build/tests/$1 &&
    WINEPREFIX=/build/wine WINEDEBUG=-all WINEDLLOVERRIDES=bcryptprimitives=n,b \
    exec $2 ./$3 $4 '$EMAIL' '$HASH'" | tee "$PORTABLE/smoke-$1.txt" >&2
  grep -c '^ok ' "$PORTABLE/smoke-$1.txt"
}

# --- 2. musl x86-64 ------------------------------------------------------------------------------
t0=$SECONDS
in_build_root test -e /lib/ld-musl-x86_64.so.1
musl_tests=$(run_tests linux-musl-x86-64 "")
as_root cp "$PORTABLE/lib/linux-musl-x86-64/libeuid_ffi.so" "$BUILD_ROOT/build/tests/linux-musl-x86-64/"
checks=$(smoke linux-musl-x86-64 "" smoke ./libeuid_ffi.so)
note "musl x86-64 (natively, musl $(in_build_root /lib/ld-musl-x86_64.so.1 2>&1 | sed -n 's/^Version //p')): euid-core $musl_tests; the shipped library loaded by a musl process: $checks checks passed ($((SECONDS - t0)) s)"

# --- 3. Windows x64 under wine ---------------------------------------------------------------------
t0=$SECONDS
in_build_root test -x "$WINE"
if [ ! -d "$BUILD_ROOT/build/wine" ]; then
  log "creating the wine prefix (once)"
  in_build_root WINEPREFIX=/build/wine WINEDEBUG=-all "$WINE" wineboot --init
fi
# Not core--network: its proxy tests start squid through a shell script, which a Windows process
# cannot run, and its certificate tests need Windows' chain engine, which wine's crypt32 does not
# match (it builds no verifier with extra roots, "builder error", and reports a revocation failure,
# 0x800B010E, for an unknown CA). The musl run above covers that binary's logic; Windows' own
# trust path is not tested here.
win_tests=$(run_tests win32-x86-64 "$WINE" core--network.exe)
as_root cp "$PORTABLE/lib/win32-x86-64/euid_ffi.dll" "$BUILD_ROOT/build/tests/win32-x86-64/"
checks=$(smoke win32-x86-64 "$WINE" smoke.exe euid_ffi.dll)
note "Windows x64 under $(in_build_root "$WINE" --version): euid-core $win_tests (core--network not run under wine, see above); the shipped DLL loaded by a Windows process: $checks checks passed ($((SECONDS - t0)) s)"
stop_emulator

log "platform tests passed in $((SECONDS - started)) s"
cat "$SUMMARY"
