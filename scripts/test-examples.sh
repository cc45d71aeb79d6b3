#!/usr/bin/env bash
# The browser proof: each example site runs against its embedded emulator, and headless
# Chromium drives it through the hand-off to the official EUID browser SDK
# (examples/web/test/browser-proof.mjs); then again configured with EUID_BASE_URL,
# EUID_API_KEY and EUID_CLIENT_SECRET (a separate emulator standing in for a real environment).
# Screenshots of the signed-in pages go to target/examples/; with UPDATE_SCREENSHOTS=1 (or when
# missing) also to docs/, which the READMEs show.
source "$(dirname "$0")/common.sh"

MYPY_VERSION="2.4.1"  # as scripts/test-python.sh

scripts/setup-examples.sh chromium web python jvm
mkdir -p target/examples
failed=0

log "mypy --strict on the Python example"
.venv-examples/bin/pip install --quiet "mypy==$MYPY_VERSION"
(cd examples/python && ../../.venv-examples/bin/mypy --strict euid_example) || failed=1

# The configured runs' operator: an emulator that stops when its stdin (the coprocess pipe) closes.
coproc OPERATOR { exec target/release/euid-emulator; }
read -r -t 30 operator_info <&"${OPERATOR[0]}"
operator_field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$operator_info" "$1"; }
CONFIGURED_ENV=(EUID_BASE_URL="$(operator_field url)" EUID_API_KEY="$(operator_field api_key)"
  EUID_CLIENT_SECRET="$(operator_field client_secret)")

# run_example NAME MODE DIR COMMAND...: starts the site in DIR (MODE embedded or configured),
# proves it, stops it.
run_example() {
  local name=$1 mode=$2 dir=$3 log="$ROOT/target/examples/$1-$2.log" url="" pid start
  local env=(-u EUID_BASE_URL -u EUID_API_KEY -u EUID_CLIENT_SECRET)
  shift 3
  [ "$mode" = configured ] && env+=("${CONFIGURED_ENV[@]}")
  log "browser proof: $name ($mode)"
  start=$SECONDS
  (cd "$dir" && exec env "${env[@]}" "$@") >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do
    url=$(grep -Eo 'EUID example site \([^)]*\): http://127\.0\.0\.1:[0-9]+/' "$log" | grep -Eo 'http://.*' || true)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "$name ($mode): the site did not start; its output:" >&2
    cat "$log" >&2
    kill "$pid" 2>/dev/null || true
    failed=1
    return
  fi
  local shot="target/examples/example-$name.png" target
  if [ "$mode" = configured ]; then target=--configured; else target=$shot; fi
  if node examples/web/test/browser-proof.mjs "$name" "$url" "$target"; then
    if [ "$mode" = embedded ] && { [ "${UPDATE_SCREENSHOTS:-0}" = 1 ] || [ ! -f "docs/example-$name.png" ]; }; then
      cp "$shot" "docs/example-$name.png"
    fi
  else
    failed=1
  fi
  kill -TERM "$pid"
  wait "$pid" || true
  echo "$name ($mode): started, proved and stopped in $((SECONDS - start)) s"
}

for mode in embedded configured; do
  run_example python "$mode" examples/python "$ROOT/.venv-examples/bin/python" -m euid_example
  run_example jvm "$mode" examples/jvm java -jar target/euid-example-jvm.jar
done
eval "exec ${OPERATOR[1]}>&-"
wait "$OPERATOR_PID" || true
exit "$failed"
