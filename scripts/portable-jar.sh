#!/usr/bin/env bash
# The jar that ships: org.euidsdk:euid-sdk with linux-x86-64/libeuid_ffi.so and
# linux-aarch64/libeuid_ffi.so (glibc >= 2.17), copied to target/dist/.
# Usage: scripts/portable-jar.sh [package|verify|install]   (default: package, without tests;
# verify and install also run the JUnit suite, against the shipped x86-64 library; install puts
# the jar into ~/.m2).
source "$(dirname "$0")/portable-lib.sh"
portable_lock

goal="${1:-package}"
case "$goal" in
  package) tests=(-DskipTests) ;;
  verify | install) tests=() ;;
  *) echo "usage: $0 [package|verify|install]" >&2; exit 2 ;;
esac

scripts/portable-build.sh
log "mvn -Pportable $goal (bindings and libraries from target/portable/)"
report="$PORTABLE/maven-$goal.txt"
mkdir -p "$PORTABLE"
# The JUnit suite's emulator: the one scripts/portable-build.sh built (glibc 2.17, runs here too).
mvn -B -f kotlin/pom.xml -Pportable -Demulator.bin="$PORTABLE/emulator/euid-emulator" \
  "${tests[@]}" "$goal" | tee "$report"
if [ "$goal" != package ] && ! grep -Eq 'Tests run: [1-9][0-9]*, Failures: 0, Errors: 0' "$report"; then
  echo "Surefire ran no tests" >&2
  exit 1
fi
jar=$(find "$PORTABLE/maven" -maxdepth 1 -name 'euid-sdk-*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar')
mkdir -p "$DIST"
rm -f "$DIST"/euid-sdk-*.jar
cp "$jar" "$DIST/"
# (mvn -Pportable has run scripts/check-glibc.py on it.)
ls -l "$DIST"/euid-sdk-*.jar
