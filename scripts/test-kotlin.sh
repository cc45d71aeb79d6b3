#!/usr/bin/env bash
# Builds the native library and the Kotlin bindings, runs the JUnit suite, installs the jar
# into ~/.m2, does the same for the test kit (kotlin/testing), and runs the Java (Maven), Gradle
# and JUnit-extension consumer checks against them.
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

log "mvn install of the JVM test kit (kotlin/testing: org.euidsdk:euid-sdk-testing, its own library)"
report=target/surefire-summary-testing.txt
mvn -B -f kotlin/testing/pom.xml install | tee "$report"
if ! grep -Eq 'Tests run: [1-9][0-9]*, Failures: 0, Errors: 0' "$report"; then
  echo "Surefire ran no tests of the test kit" >&2
  exit 1
fi

scripts/test-consumers.sh
