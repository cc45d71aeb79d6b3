#!/usr/bin/env bash
# Runs the consumer checks of org.euidsdk:euid-sdk:0.1.0 against the local operator emulator:
# the Java program of tests/consumers/java-maven built and run by Maven, then the same program
# built and run by Debian's Gradle 4.4.1 (tests/consumers/gradle); then a publisher's JUnit 5
# tests with org.euidsdk:euid-sdk-testing's extension (a copy of tests/consumers/junit with the
# Java blocks of README.md's "Testing your integration" added as pasted). Fails if any fails.
#
# Expects the jar in the local Maven repository and the emulator binary built; scripts/test-kotlin.sh
# does both (`cargo build --release -p euid-emulator`, `mvn -f kotlin/pom.xml install`) and then
# calls this script.
source "$(dirname "$0")/common.sh"

EMULATOR_BIN="${EMULATOR_BIN:-$ROOT/target/release/euid-emulator}"
SDK_JAR="${HOME}/.m2/repository/org/euidsdk/euid-sdk/0.1.0/euid-sdk-0.1.0.jar"
TESTING_JAR="${HOME}/.m2/repository/org/euidsdk/euid-sdk-testing/0.1.0/euid-sdk-testing-0.1.0.jar"
JUNIT_TESTS=6   # the 4 tests in tests/consumers/junit and the README's 2
WORK="$ROOT/target/consumers"

if [[ ! -x $EMULATOR_BIN ]]; then
  echo "the emulator binary is missing: $EMULATOR_BIN (cargo build --release --locked -p euid-emulator)" >&2
  exit 1
fi
if [[ ! -f $SDK_JAR ]]; then
  echo "org.euidsdk:euid-sdk:0.1.0 is not in ~/.m2: run scripts/test-kotlin.sh (mvn -f kotlin/pom.xml install)" >&2
  exit 1
fi
if [[ ! -f $TESTING_JAR ]]; then
  echo "org.euidsdk:euid-sdk-testing:0.1.0 is not in ~/.m2: run scripts/test-kotlin.sh (mvn -f kotlin/testing/pom.xml install)" >&2
  exit 1
fi

# Debian's gradle package (4.4.1); the only Gradle available from the distribution.
if ! command -v gradle >/dev/null; then
  log "installing Debian's gradle"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y gradle || { $sudo apt-get update && $sudo apt-get install -y gradle; }
fi

mkdir -p "$WORK"

log "starting the emulator"
coproc EMULATOR { exec "$EMULATOR_BIN" --port 0; }
# Copies: bash unsets the coproc's variables as soon as it exits.
emulator_pid=$EMULATOR_PID
emulator_stdin=${EMULATOR[1]}
# Closing the emulator's stdin stops it; SIGTERM if it has not stopped 10 s later.
stop_emulator() {
  eval "exec ${emulator_stdin}>&-" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
}
trap stop_emulator EXIT

if ! read -r -t 30 line <&"${EMULATOR[0]}"; then
  echo "the emulator printed no address" >&2
  exit 1
fi
# The credentials go to the consumers through the environment, never on a command line.
{ read -r EUID_URL; read -r EUID_API_KEY; read -r EUID_CLIENT_SECRET; } < <(
  "$PYTHON" -c 'import json, sys; d = json.load(sys.stdin); print(d["url"]); print(d["api_key"]); print(d["client_secret"])' <<<"$line"
)
export EUID_URL EUID_API_KEY EUID_CLIENT_SECRET
log "emulator at $EUID_URL"

failed=()

log "Java consumer, built and run by Maven (tests/consumers/java-maven)"
if ! mvn -B -q -f tests/consumers/java-maven/pom.xml clean compile exec:exec; then
  failed+=("java-maven")
fi

log "Java consumer, built and run by Gradle $(gradle --version 2>/dev/null | sed -n 's/^Gradle //p') (tests/consumers/gradle)"
export GRADLE_USER_HOME="${GRADLE_USER_HOME:-$ROOT/target/gradle-home}"
if ! gradle --no-daemon -q -p tests/consumers/gradle --project-cache-dir "$WORK/gradle/cache" clean run; then
  failed+=("gradle")
fi

# No emulator process here: the extension starts one in the test JVM (from euid-sdk-testing).
log "JUnit 5 tests of a publisher with the test kit's extension (tests/consumers/junit and README.md's Java blocks), built and run by Maven"
junit="$WORK/junit"
rm -rf "$junit"
cp -r tests/consumers/junit "$junit"
"$PYTHON" scripts/readme_blocks.py "### Kotlin and Java (JUnit 5)" java "$junit/src/test/java"
junit_report="$WORK/junit-surefire.txt"
if mvn -B -f "$junit/pom.xml" test | tee "$junit_report" &&
  grep -Eq "Tests run: $JUNIT_TESTS, Failures: 0, Errors: 0, Skipped: 0" "$junit_report"; then
  :
else
  failed+=("junit")
fi

if ((${#failed[@]})); then
  echo "consumer checks failed: ${failed[*]}" >&2
  exit 1
fi
log "consumer checks passed (java-maven, gradle, junit)"
