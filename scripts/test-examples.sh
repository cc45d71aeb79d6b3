#!/usr/bin/env bash
# The browser proof: each example site runs against its embedded emulator, and headless
# Chromium drives it through the hand-off to the official EUID browser SDK
# (examples/web/test/browser-proof.mjs). Screenshots of the signed-in pages go to docs/.
source "$(dirname "$0")/common.sh"

scripts/setup-examples.sh chromium web python jvm
mkdir -p target/examples
failed=0

# run_example NAME DIR COMMAND...: starts the site in DIR, proves it, stops it.
run_example() {
  local name=$1 dir=$2 log="$ROOT/target/examples/$1.log" url="" pid
  shift 2
  log "browser proof: $name"
  (cd "$dir" && unset EUID_BASE_URL EUID_API_KEY EUID_CLIENT_SECRET && exec "$@") >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do
    url=$(grep -Eo 'EUID example site \([^)]*\): http://127\.0\.0\.1:[0-9]+/' "$log" | grep -Eo 'http://.*' || true)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "$name: the site did not start; its output:" >&2
    cat "$log" >&2
    kill "$pid" 2>/dev/null || true
    failed=1
    return
  fi
  local start=$SECONDS
  node examples/web/test/browser-proof.mjs "$name" "$url" "docs/example-$name.png" || failed=1
  echo "$name: browser proof took $((SECONDS - start)) s"
  kill -TERM "$pid"
  wait "$pid" || true
}

run_example python examples/python "$ROOT/.venv-examples/bin/python" -m euid_example
run_example jvm examples/jvm java -jar target/euid-example-jvm.jar
exit "$failed"
