#!/usr/bin/env bash
# Load-tests the emulator's generate and refresh endpoints with wrk at 1, 8, 32 and 64
# connections. Usage: tests/emulator/bench/run.sh [DURATION_SECONDS]  (default 10)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
duration="${1:-10}"
threads="${WRK_THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }

cd "$root"
cargo build --release -p euid-emulator --bin euid-emulator --example bench_input >&2
bin="$root/target/release/euid-emulator"
input="$root/target/release/examples/bench_input"

api_key="bench-key"
secret="$(head -c 32 /dev/urandom | base64)"
# The emulator stops when this script's pipe to its stdin closes (i.e. when the script ends).
coproc EMULATOR { "$bin" --api-key "$api_key" --client-secret "$secret"; }
read -r line <&"${EMULATOR[0]}"
url="$(sed -E 's/.*"url":"([^"]+)".*/\1/' <<<"$line")"
echo "emulator at $url" >&2

run() { # endpoint path body key connections
  local out
  out="$(EUID_BODY="$3" EUID_API_KEY="$4" wrk -t"$(( $5 < threads ? $5 : threads ))" -c"$5" \
    -d"${duration}s" -s "$root/tests/emulator/bench/post.lua" "$url$2")"
  printf '%-8s c=%-3s %s req/s  (%s)\n' "$1" "$5" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(grep 'non-2xx' <<<"$out")"
}

for connections in 1 8 32 64; do
  # A fresh envelope per run: it is valid for about two minutes.
  run generate /v2/token/generate "$("$input" envelope "$secret")" "$api_key" "$connections"
done
token="$("$input" refresh-token "$url" "$api_key" "$secret")"
for connections in 1 8 32 64; do
  run refresh /v2/token/refresh "$token" "$api_key" "$connections"
done
