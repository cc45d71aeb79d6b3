#!/usr/bin/env bash
# Tests the artifacts that ship (target/dist/: the seven platform wheels, the SDK's jar
# with every platform's library and the test kit's jar) where publishers run them, rather than
# trusting their tags:
#
#   1. scripts/check-natives.py on every library inside the wheels and the jar: each one's format,
#      architecture, libc (glibc at most 2.17), linked libraries and exported
#      interface, against its wheel tag or jar folder; then scripts/portable-platforms.sh: musl
#      and Windows executed (natively, under wine), pip's choice of wheel per platform;
#   2. Debian 11 (bullseye: glibc 2.31, Python 3.9, OpenJDK 17) amd64 root, entered with chroot:
#      the x86_64 wheel installed by bullseye's own pip, the Python suite (vector files and end to
#      end against the emulator, the test kit and its pytest plugin), then the Java consumer
#      program (tests/consumers/java-maven) on the jar and a publisher's JUnit 5 tests
#      (tests/consumers/junit, the README's) on the test kit's jar, by JUnit's console launcher;
#   3. the test modules bullseye's Python 3.9 cannot run, against the same x86_64 wheel on the
#      host's Python;
#   4. Debian 12 (bookworm) arm64 root, run through qemu-user (binfmt): the aarch64 wheel, the
#      same Python suite, the Java consumer and the JUnit tests (so JNA loads linux-aarch64/);
#   5. (--full only) both JUnit suites against the jars' x86-64 libraries (mvn -Pportable verify).
#
# Measured on 2 cores: the tests in the roots take bullseye 30 s, aarch64 under qemu 80 s. On a
# new machine, creating the two test roots adds about 5 min (arm64: 4 of them), the build root
# and the first cargo builds in it 13 min.
#
# The Python tests start emulators of their own (EUID_EMULATOR_BIN): the x86-64 glibc 2.17 build
# of scripts/portable-build.sh, which runs natively in both roots (the arm64 one has libc6:amd64),
# so only the SDK side is emulated. The Java consumer talks to the same emulator, started on the
# host (127.0.0.1).
# Roots are cached under target/portable/roots/ and remade when their recipe below changes.
# Usage: scripts/portable-test.sh [--quick|--full]   (default --full)
source "$(dirname "$0")/portable-lib.sh"

MODE="${1:---full}"
case "$MODE" in --quick | --full) ;; *) echo "usage: $0 [--quick|--full]" >&2; exit 2 ;; esac

JUNIT_PLATFORM_VERSION="1.14.4"   # JUnit 5.14.4's platform, as kotlin/testing/pom.xml
PYTEST_VERSION="8.4.2"            # the newest pytest that still runs on bullseye's Python 3.9
GUNICORN_BULLSEYE_VERSION="23.0.0" # gunicorn 24+ needs Python 3.10
GUNICORN_VERSION="27.0.1"         # as scripts/test-python.sh
X86_ROOT="test-bullseye-amd64"
ARM_ROOT="test-bookworm-arm64"
EMULATOR_BIN="$PORTABLE/emulator/euid-emulator" # from scripts/portable-build.sh; runs on the host too
SUMMARY="$PORTABLE/test-summary.txt"

provision_test_root() { # ROOT GUNICORN_VERSION
  # openssl: tests/tls/make-ca.sh, the private CA of the certificate tests.
  in_root "$1" apt-get install -y -q --no-install-recommends python3-venv openjdk-17-jre-headless openssl
  in_root "$1" python3 -m venv /opt/venv
  in_root "$1" /opt/venv/bin/pip install -q "pytest==$PYTEST_VERSION" "gunicorn==$2"
}
provision_x86() { provision_test_root "$1" "$GUNICORN_BULLSEYE_VERSION"; }
provision_arm() {
  # The x86-64 test emulator's loader and libc (Debian multiarch); the kernel runs it natively.
  in_root "$1" dpkg --add-architecture amd64
  in_root "$1" apt-get update -q
  in_root "$1" apt-get install -y -q --no-install-recommends libc6:amd64
  provision_test_root "$1" "$GUNICORN_VERSION"
}

portable_lock
started=$SECONDS
mkdir -p "$PORTABLE"
: >"$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY" >&2; }

# --- the artifacts ----------------------------------------------------------------------------
scripts/portable-wheels.sh
if [ "$MODE" = --full ]; then
  ensure_test_tools # squid and openssl, for the proxy and certificate tests
  scripts/portable-jar.sh verify # both JUnit suites on the host, against the shipped x86-64 libraries
  note "host JUnit suites on the portable jars (SDK, test kit): $(grep -E 'Tests run: [0-9]+, Failures.*Skipped: [0-9]+$' \
    "$PORTABLE/maven-verify.txt" | sed 's/^\[[A-Z]*\] *//' | paste -sd ';')"
else
  scripts/portable-jar.sh package
fi

log "check-natives: every library in target/dist/"
sdk_jar=$(ls "$DIST"/euid-sdk-[0-9]*.jar)
kit_jar=$(ls "$DIST"/euid-sdk-testing-*.jar)
"$PYTHON" scripts/check-natives.py --exports "$PORTABLE/lib/exports.txt" --wheel-count 7 \
  --jar-platforms linux-x86-64,linux-aarch64,linux-musl-x86-64,linux-musl-aarch64,win32-x86-64,darwin-x86-64,darwin-aarch64 \
  "$DIST"/euid_sdk-*.whl "$sdk_jar" | tee "$PORTABLE/check-natives.txt"
"$PYTHON" scripts/check-natives.py --jar-platforms linux-x86-64,linux-aarch64 "$kit_jar" |
  tee -a "$PORTABLE/check-natives.txt"
note "$(grep '^check-natives:' "$PORTABLE/check-natives.txt" | paste -sd ';')"

# musl and Windows executed here (natively, under wine), pip's wheel choice.
scripts/portable-platforms.sh
cat "$PORTABLE/platforms-summary.txt" >>"$SUMMARY"

log "the Java consumer (tests/consumers/java-maven), compiled against the portable jar"
JVM="$PORTABLE/jvm"
rm -rf "$JVM"
mkdir -p "$JVM/classes" "$JVM/lib"
mvn -B -q -f kotlin/pom.xml -Pportable \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$JVM/lib"
cp "$DIST"/euid-sdk-*.jar "$JVM/lib/"
javac --release 17 -cp "$JVM/lib/*" -d "$JVM/classes" \
  tests/consumers/java-maven/src/main/java/org/euidsdk/consumer/*.java

log "a publisher's JUnit 5 tests on the shipped test kit (tests/consumers/junit and the README's Java blocks)"
# Run in the roots by JUnit's console launcher (it carries JUnit Jupiter), not by Maven.
mvn -B -q -f kotlin/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$JUNIT_PLATFORM_VERSION" \
  -DoutputDirectory="$JVM/console"
mkdir -p "$JVM/junit-src" "$JVM/junit-classes"
cp tests/consumers/junit/src/test/java/org/euidsdk/consumer/*.java "$JVM/junit-src/"
"$PYTHON" scripts/readme_blocks.py "### Kotlin and Java (JUnit 5)" java "$JVM/junit-src"
javac --release 17 -cp "$JVM/console/*:$JVM/lib/*" -d "$JVM/junit-classes" "$JVM"/junit-src/*.java

# --- the emulator, on the host ----------------------------------------------------------------
SKIPPED=""

pytest_result() { grep -E '[0-9]+ (passed|failed)' "$1" | tail -1 | sed 's/=//g; s/^ *//; s/ *$//'; }

# --- one root ---------------------------------------------------------------------------------
# test_in_root ROOT_NAME ARCH LABEL: installs ARCH's wheel, runs the Python suite and the Java
# consumer inside the root.
test_in_root() {
  local name=$1 arch=$2 label=$3
  local r="$ROOTS/$name" t0=$SECONDS
  log "$label: staging the wheel, the jar, the tests and the vectors"
  as_root rm -rf "$r/opt/euid"
  as_root mkdir -p "$r/opt/euid/repo"
  # What the suite reads besides the installed package (never python/src).
  tar -C "$ROOT" --exclude=.mypy_cache --exclude=__pycache__ --exclude=.pytest_cache -cf - \
    README.md python/README.md python/pyproject.toml python/tests tests/vectors tests/tls |
    as_root tar -C "$r/opt/euid/repo" -xf -
  as_root cp "$DIST"/euid_sdk-*-manylinux_2_17_"$arch".*.whl "$r/opt/euid/"
  as_root cp -r "$JVM" "$r/opt/euid/jvm"
  as_root cp "$PORTABLE/emulator/euid-emulator" "$r/opt/euid/"

  start_emulator
  # The Java consumer reads the credentials from its environment; they go through a file, never
  # a command line.
  "$PYTHON" -c 'import json, shlex, sys; d = json.load(sys.stdin)
for k in ("url", "api_key", "client_secret"): print(f"EUID_{k.upper()}={shlex.quote(d[k])}")' \
    <"$EMU_DIR/out" | as_root tee "$r/opt/euid/emulator.env" >/dev/null
  as_root chmod 600 "$r/opt/euid/emulator.env"

  local py libc
  py=$(in_root "$r" /opt/venv/bin/python -c 'import platform; print(platform.python_version())')
  libc=$(in_root "$r" /opt/venv/bin/python -c 'import os; print(os.confstr("CS_GNU_LIBC_VERSION").split()[1])')
  log "$label: pip install $(basename "$r"/opt/euid/euid_sdk-*.whl) (glibc $libc, Python $py, the root's own pip)"
  in_root "$r" /opt/venv/bin/pip uninstall -y -q euid-sdk >/dev/null 2>&1 || true
  in_root "$r" bash -c '/opt/venv/bin/pip install --no-index --no-deps /opt/euid/euid_sdk-*.whl'
  in_root "$r" /opt/venv/bin/python -c 'import euid_sdk, euid_sdk._native as n, os
print("loaded", os.path.join(os.path.dirname(n.__file__), "libeuid_ffi.so"), euid_sdk.hash_email("a@b.c"))'

  # Every test module, but the Redis store's (no Redis server in the roots), the proxy one (no
  # squid in the roots; test-python runs it) and those that need a newer Python than the root's: modules it cannot parse (match statements on 3.9) and, below
  # 3.10, test_readme.py (it runs the README's examples, which use match). They are named in the
  # summary; run_skipped_on_host runs them against the same wheel.
  local skip
  skip=$(in_root "$r" /opt/venv/bin/python -c '
import glob, os, sys
for f in sorted(glob.glob("/opt/euid/repo/python/tests/test_*.py")):
    name = os.path.basename(f)
    try:
        compile(open(f, encoding="utf-8").read(), f, "exec")
    except SyntaxError:
        print(name)
        continue
    if name == "test_readme.py" and sys.version_info < (3, 10):
        print(name)')
  SKIPPED=$skip
  local ignores=(--ignore=tests/test_redis_store.py --ignore=tests/test_proxy.py) f
  for f in $skip; do ignores+=("--ignore=tests/$f"); done
  log "$label: pytest"
  local report="$PORTABLE/pytest-$name.txt" result
  local pytest="cd /opt/euid/repo/python && /opt/venv/bin/python -m pytest -q -o cache_dir=/tmp/pytest-cache"
  in_root "$r" rm -rf /tmp/pytest-cache
  in_root "$r" EUID_EMULATOR_BIN=/opt/euid/euid-emulator bash -c "$pytest tests ${ignores[*]}" |
    tee "$report"
  result=$(pytest_result "$report")
  note "$label, glibc $libc, Python $py: pytest $result; not run: test_redis_store.py (no Redis), test_proxy.py (no squid; test-python runs it)${skip:+, $(echo $skip | sed 's/ /, /g') (need a newer Python than $py)}"
  grep -Eq '[1-9][0-9]* passed' "$report" || { echo "$label: pytest ran no tests" >&2; return 1; }

  local java
  java=$(in_root "$r" bash -c 'java -version 2>&1 | sed -n 1p')
  log "$label: the Java consumer on the jar ($java)"
  local jreport="$PORTABLE/java-$name.txt"
  in_root "$r" bash -c 'set -a; . /opt/euid/emulator.env; set +a; cd /tmp &&
    exec java -cp "/opt/euid/jvm/classes:/opt/euid/jvm/lib/*" org.euidsdk.consumer.Main' | tee "$jreport"
  note "$label, $java: $(grep -E 'checks passed' "$jreport")"

  log "$label: JUnit 5 tests with the test kit's extension (its emulator in the test JVM)"
  local kreport="$PORTABLE/junit-$name.txt"
  in_root "$r" bash -c 'cd /tmp && exec java -cp "/opt/euid/jvm/console/*:/opt/euid/jvm/junit-classes:/opt/euid/jvm/lib/*" \
    org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors \
    --fail-if-no-tests --details=summary --scan-classpath /opt/euid/jvm/junit-classes' | tee "$kreport"
  grep -Eq '\[ +0 tests failed +\]' "$kreport" || { echo "$label: JUnit tests failed" >&2; return 1; }
  note "$label: test kit JUnit tests: $(grep -Eo '[0-9]+ tests successful' "$kreport")"
  stop_emulator
  note "$label: $((SECONDS - t0)) s"
}

# run_skipped_on_host: the modules the old root's Python could not run ($SKIPPED), against the
# same x86_64 wheel, on the host's Python.
run_skipped_on_host() {
  [ -n "$SKIPPED" ] || return 0
  local venv="$PORTABLE/venv-host" f args=()
  if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -m pytest --version 2>&1 | grep -q "$PYTEST_VERSION"; then
    new_venv "$venv"
    "$venv/bin/pip" install -q "pytest==$PYTEST_VERSION" "gunicorn==$GUNICORN_VERSION"
  fi
  "$venv/bin/pip" install -q --force-reinstall --no-deps "$DIST"/euid_sdk-*-manylinux_2_17_x86_64.*.whl
  for f in $SKIPPED; do args+=("tests/$f"); done
  log "x86_64 wheel on the host ($("$venv/bin/python" -V)): ${args[*]}"
  local report="$PORTABLE/pytest-host-skipped.txt"
  (cd python && EUID_EMULATOR_BIN="$PORTABLE/emulator/euid-emulator" \
    "$venv/bin/python" -m pytest -q -p no:cacheprovider "${args[@]}") | tee "$report"
  note "x86_64 wheel on the host, $("$venv/bin/python" -V): $(echo $SKIPPED | sed 's/ /, /g'): $(grep -E '[0-9]+ (passed|failed)' "$report" | tail -1 | sed 's/=//g; s/^ *//; s/ *$//')"
}

make_root "$X86_ROOT" bullseye amd64 \
  "bullseye amd64 python3-venv openjdk-17 openssl pytest==$PYTEST_VERSION gunicorn==$GUNICORN_BULLSEYE_VERSION v2" \
  provision_x86 ca-certificates
test_in_root "$X86_ROOT" x86_64 "x86_64 wheel + jar in Debian 11 bullseye amd64 (chroot)"
run_skipped_on_host

binfmt_aarch64
make_root "$ARM_ROOT" bookworm arm64 \
    "bookworm arm64 python3-venv openjdk-17 openssl pytest==$PYTEST_VERSION gunicorn==$GUNICORN_VERSION v2" \
  provision_arm ca-certificates
test_in_root "$ARM_ROOT" aarch64 "aarch64 wheel + jar in Debian 12 bookworm arm64 (chroot, qemu-user)"

log "portable tests ($MODE) passed in $((SECONDS - started)) s"
cat "$SUMMARY"
