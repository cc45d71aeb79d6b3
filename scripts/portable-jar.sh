#!/usr/bin/env bash
# The jars that ship: org.euidsdk:euid-sdk with the library of every platform (linux-x86-64,
# linux-aarch64, linux-musl-x86-64, linux-musl-aarch64, win32-x86-64), and the test kit
# org.euidsdk:euid-sdk-testing with libeuid_testing.so for linux-x86-64 and linux-aarch64 (glibc
# >= 2.17), copied to target/dist/.
# Usage: scripts/portable-jar.sh [package|verify|install]   (default: package, without tests;
# verify and install also run both JUnit suites, against the shipped x86-64 libraries; install
# puts the jars into ~/.m2).
source "$(dirname "$0")/portable-lib.sh"
portable_lock

goal="${1:-package}"
case "$goal" in
  package) tests=(-DskipTests) ;;
  verify | install) tests=() ;;
  *) echo "usage: $0 [package|verify|install]" >&2; exit 2 ;;
esac

scripts/portable-build.sh
log "mvn -Pportable $goal of both jars (bindings and libraries from target/portable/)"
report="$PORTABLE/maven-$goal.txt"
# One Maven reactor for the two, so that the test kit's build takes the SDK jar it tests with
# from the reactor, not from ~/.m2.
mkdir -p "$PORTABLE/reactor"
cat >"$PORTABLE/reactor/pom.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/portable-jar.sh: the SDK and its test kit in one reactor. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.euidsdk</groupId>
  <artifactId>euid-sdk-portable-reactor</artifactId>
  <version>0.1.0</version>
  <packaging>pom</packaging>
  <modules>
    <module>../../../kotlin</module>
    <module>../../../kotlin/testing</module>
  </modules>
</project>
EOF
# The SDK suite's emulator: the one scripts/portable-build.sh built (glibc 2.17, runs here too).
mvn -B -f "$PORTABLE/reactor/pom.xml" -Pportable -Demulator.bin="$PORTABLE/emulator/euid-emulator" \
  "${tests[@]}" "$goal" | tee "$report"
if [ "$goal" != package ] &&
  [ "$(grep -Ec 'Tests run: [1-9][0-9]*, Failures: 0, Errors: 0, Skipped: [0-9]+$' "$report")" -lt 2 ]; then
  echo "Surefire did not run both suites" >&2
  exit 1
fi
mkdir -p "$DIST"
rm -f "$DIST"/euid-sdk-*.jar
for dir in maven maven-testing; do
  jar=$(find "$PORTABLE/$dir" -maxdepth 1 -name 'euid-sdk-*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar')
  cp "$jar" "$DIST/"
done
# (mvn -Pportable has run scripts/check-natives.py on both.)
ls -l "$DIST"/euid-sdk-*.jar
