#!/usr/bin/env bash
# Builds the native library and the Kotlin bindings, runs the JUnit suite, installs the jar
# into ~/.m2 and runs the Java (Maven) and Gradle consumer checks against it.
source "$(dirname "$0")/common.sh"

log "building the emulator"
cargo build --release --locked -p euid-emulator

ensure_test_tools  # squid and openssl, for the proxy and certificate tests

log "mvn install (builds the library, generates the bindings, runs the JUnit suite)"
report=target/surefire-summary.txt
mkdir -p target
mvn -B -f kotlin/pom.xml install | tee "$report"
if ! grep -Eq 'Tests run: [1-9][0-9]*, Failures: 0, Errors: 0' "$report"; then
  echo "Surefire ran no tests" >&2
  exit 1
fi

scripts/test-consumers.sh
