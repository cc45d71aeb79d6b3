#!/usr/bin/env bash
# Installs what the example sites need, for the parts named: `web` (the official EUID browser
# SDK and puppeteer-core from npm, into examples/web/node_modules), `python` (the wheel and
# Flask in .venv-examples), `jvm` (the jar in ~/.m2, the Spring Boot jar), `chromium`
# (Debian's, for the browser proof). The emulator binary comes with python and jvm.
source "$(dirname "$0")/common.sh"

FLASK_REQUIREMENTS="examples/python/requirements.txt"

setup_web() {
  command -v npm >/dev/null || apt_install nodejs npm
  log "npm ci in examples/web (@unified-id/euid-sdk, puppeteer-core)"
  (cd examples/web && npm ci --no-audit --no-fund --loglevel=error)
}

setup_emulator() {
  log "building the emulator"
  cargo build --release --locked -q -p euid-emulator
}

setup_python() {
  scripts/build-wheel.sh
  if [ ! -x .venv-examples/bin/python ]; then new_venv .venv-examples; fi
  log "installing the wheel and Flask into .venv-examples"
  .venv-examples/bin/pip install --quiet --force-reinstall --no-deps target/wheels/euid_sdk-*.whl
  .venv-examples/bin/pip install --quiet -r "$FLASK_REQUIREMENTS"
}

setup_jvm() {
  log "installing the jar into ~/.m2, then packaging the Spring Boot site"
  mvn -B -q -f kotlin/pom.xml -DskipTests install
  mvn -B -q -f examples/jvm/pom.xml -DskipTests package
}

# Each step once, whichever parts need it.
steps=()
need() { [[ " ${steps[*]} " == *" $1 "* ]] || steps+=("$1"); }
for part in "$@"; do
  case "$part" in
    web) need web ;;
    python) need web; need emulator; need python ;;
    jvm) need web; need emulator; need jvm ;;
    chromium) need chromium ;;
    *) echo "unknown part: $part (web, python, jvm, chromium)" >&2; exit 2 ;;
  esac
done
for step in "${steps[@]}"; do
  case "$step" in
    chromium) apt_install chromium fonts-dejavu-core ;;
    *) "setup_$step" ;;
  esac
done
