#!/usr/bin/env bash
# The Rust workspace: formatting, clippy (warnings are errors) and every test.
source "$(dirname "$0")/common.sh"

log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
ensure_test_tools  # squid and openssl, for core/tests/network
log "cargo test"
cargo test --workspace --locked
log "fuzzing, short run (make fuzz runs longer)"
scripts/fuzz.sh 10
