#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser of outside data, with libFuzzer on the stable
# toolchain: cargo-fuzz needs nightly, but rustc's sanitizer-coverage pass and libfuzzer-sys do
# not. Usage: scripts/fuzz.sh [seconds per target] [target...]
source "$(dirname "$0")/common.sh"

SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(envelope answer identity normalize cookie)
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
OUT="$ROOT/target/fuzz"

# --target keeps the instrumentation out of build scripts.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
log "building the fuzz targets"
cargo build --release --locked --manifest-path fuzz/Cargo.toml --target "$TRIPLE" \
  --target-dir "$OUT"
unset RUSTFLAGS

summary="$OUT/summary.txt"
: > "$summary"
for target in "${TARGETS[@]}"; do
  corpus="$OUT/corpus/$target"
  artifacts="$OUT/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  log "fuzzing $target for ${SECONDS_PER_TARGET}s"
  # Seeds: the committed regression inputs and every string of the shared vectors.
  cp -n fuzz/regressions/"$target"/* "$corpus"/ 2>/dev/null || true
  "$PYTHON" scripts/fuzz_seeds.py tests/vectors "$corpus"
  set +e
  "$OUT/$TRIPLE/release/$target" "$corpus" -max_total_time="$SECONDS_PER_TARGET" \
    -max_len=65536 -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts" > "$OUT/$target.log" 2>&1
  status=$?
  set -e
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$OUT/$target.log" | grep -Eo '[0-9]+$' || echo "?")
  printf '%-10s %12s executions in %ss, exit %s\n' "$target" "$runs" "$SECONDS_PER_TARGET" "$status" | tee -a "$summary"
  if [ "$status" -ne 0 ]; then
    tail -40 "$OUT/$target.log" >&2
    echo "fuzz target $target failed; the crashing input is in $artifacts" >&2
    exit 1
  fi
done
