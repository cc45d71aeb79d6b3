#!/usr/bin/env bash
# make bench: every benchmark in one run, on one emulator, then the table (printed and written
# to docs/benchmarks.md, raw results to docs/benchmarks-raw.json).
#
#   1. Rust micro-benchmarks (criterion, core/benches/core.rs), the raw AES-GCM and SHA-256 floor
#   2. Python: euid_sdk beside the official uid2-client (pinned), in target/bench-venv
#   3. JVM: org.euidsdk:euid-sdk beside the official com.uid2:uid2-client (pinned), bench/jvm
#   4. the emulator's own throughput under wrk (a load generator that is not an SDK)
#   5. the HTTP floor on loopback (bench/floor) and the Rust SDK against the emulator
#
# Environment: BENCH_REPS (default 7); BENCH_LATENCY_REPS (default 3) repetitions of
# BENCH_LATENCY_CALLS (default 250) calls for the cases with the emulator answering after 10 ms;
# BENCH_ONLY, comma-separated case names (generate_seq, hash_single, ...), limits the Python and
# JVM stages to those cases; BENCH_WRK_SECONDS (default 5) per wrk run; BENCH_CRITERION_SECONDS
# (default 3) of criterion measurement per micro-benchmark; BENCH_QUIET_WAIT=1 polls every
# minute, up to BENCH_QUIET_MAX_MINUTES (default 45), for a 1-minute load below 0.5 before
# measuring, then measures anyway (the load is recorded); BENCH_SKIP_BUILD=1 reuses a previous
# run's builds.
source "$(dirname "$0")/common.sh"

UID2_PYTHON_VERSION="2.9.0"     # PyPI uid2-client
UID2_JAVA_VERSION="4.8.0"       # Maven Central com.uid2:uid2-client (4.9.0 is not on Central)
REPS="${BENCH_REPS:-7}"
LATENCY_REPS="${BENCH_LATENCY_REPS:-3}"
LATENCY_CALLS="${BENCH_LATENCY_CALLS:-250}"
ONLY="${BENCH_ONLY:-}"
WRK_SECONDS="${BENCH_WRK_SECONDS:-5}"
CRITERION_SECONDS="${BENCH_CRITERION_SECONDS:-3}"
OUT=target/bench
started_at=$(date +%s)
mkdir -p "$OUT"
python3 -m unittest discover -q -s bench -p 'test_*.py'   # the targets table's own tests

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y "$@" || { $sudo apt-get update && $sudo apt-get install -y "$@"; }
}

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  command -v wrk >/dev/null || { log "installing wrk (Debian)"; apt_install wrk; }

  log "building the emulator, the floor program and the wheel (release)"
  cargo build --release --locked -p euid-emulator --bin euid-emulator --example bench_input
  cargo build --release --locked -p euid-bench-floor
  scripts/build-wheel.sh

  log "benchmark venv: our wheel + uid2-client==$UID2_PYTHON_VERSION"
  new_venv target/bench-venv
  target/bench-venv/bin/pip install --quiet target/wheels/euid_sdk-*.whl \
    "uid2-client==$UID2_PYTHON_VERSION"

  log "installing org.euidsdk:euid-sdk:0.1.0 into ~/.m2 and building bench/jvm"
  mvn -B -q -f kotlin/pom.xml -DskipTests install
  mvn -B -q -f bench/jvm/pom.xml -Duid2.version="$UID2_JAVA_VERSION" compile \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt

  log "building the criterion benchmarks"
  cargo bench --locked -p euid-core --bench core --no-run
fi

if [ "${BENCH_QUIET_WAIT:-0}" = 1 ]; then
  log "waiting for a quiet machine (1-minute load < 0.5, up to ${BENCH_QUIET_MAX_MINUTES:-45} minutes)"
  for _ in $(seq "${BENCH_QUIET_MAX_MINUTES:-45}"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$load" 'BEGIN { exit !(l < 0.5) }' && break
    echo "load $load" >&2
    sleep 60
  done
fi
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load-before.txt"
measure_started=$(date +%s)

# One emulator for every stage; it stops when this script's pipe to its stdin closes.
coproc EMULATOR { target/release/euid-emulator --port 0; }
read -r line <&"${EMULATOR[0]}"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$line" "$1"; }
URL=$(field url); API_KEY=$(field api_key); SECRET=$(field client_secret)
log "emulator at $URL"

target/release/euid-bench-floor fixture "$URL" "$API_KEY" "$SECRET" > "$OUT/fixture.json"

log "1. Rust micro-benchmarks (criterion) and the AES-GCM / SHA-256 floor"
rm -rf target/criterion
EUID_BENCH_FIXTURE="$ROOT/$OUT/fixture.json" cargo bench --locked -q -p euid-core --bench core -- \
  --warm-up-time 1 --measurement-time "$CRITERION_SECONDS" 2>&1 | grep -E 'time:|^[a-z_]+/' >&2 || true

log "5. the HTTP floor on loopback, and the Rust SDK against the emulator"
target/release/euid-bench-floor loopback "$REPS" > "$OUT/floor.json"
target/release/euid-bench-floor rust-sdk "$URL" "$API_KEY" "$SECRET" "$REPS" > "$OUT/rust-sdk.json"

log "2. Python: euid_sdk and uid2-client $UID2_PYTHON_VERSION"
target/bench-venv/bin/python bench/python/bench_python.py --fixture "$OUT/fixture.json" \
  --url "$URL" --api-key "$API_KEY" --secret "$SECRET" --reps "$REPS" --out "$OUT/python.json" \
  --only "$ONLY" --latency-reps "$LATENCY_REPS" --latency-calls "$LATENCY_CALLS"

log "3. JVM: euid-sdk and com.uid2:uid2-client $UID2_JAVA_VERSION"
java -cp "bench/jvm/target/classes:$(cat bench/jvm/target/classpath.txt)" org.euidsdk.bench.BenchKt \
  "$OUT/fixture.json" "$URL" "$API_KEY" "$SECRET" "$OUT/jvm.json" "$REPS" "$ONLY" \
  "$LATENCY_REPS" "$LATENCY_CALLS"

log "4. emulator throughput under wrk"
wrk_run() { # name path body connections
  local out
  out="$(EUID_BODY="$3" EUID_API_KEY="$API_KEY" wrk -t"$(( $4 < 2 ? $4 : 2 ))" -c"$4" \
    -d"${WRK_SECONDS}s" -s tests/emulator/bench/post.lua "$URL$2")"
  printf '{"endpoint":"%s","connections":%s,"requests_per_second":%s,"non_2xx":%s}\n' "$1" "$4" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '/non-2xx answers:/ {print $3}' <<<"$out")"
}
{
  for c in 1 8 32 64; do
    wrk_run generate /v2/token/generate "$(target/release/examples/bench_input envelope "$SECRET")" "$c"
  done
  token="$(target/release/examples/bench_input refresh-token "$URL" "$API_KEY" "$SECRET")"
  for c in 1 8 32 64; do
    wrk_run refresh /v2/token/refresh "$token" "$c"
  done
} | tee "$OUT/wrk.jsonl" >&2

cut -d' ' -f1-3 /proc/loadavg > "$OUT/load-after.txt"
ended=$(date +%s)
log "report"
python3 bench/report.py --dir "$OUT" --criterion target/criterion \
  --measure-seconds $(( ended - measure_started )) --total-seconds $(( ended - started_at )) \
  --markdown docs/benchmarks.md --raw docs/benchmarks-raw.json
