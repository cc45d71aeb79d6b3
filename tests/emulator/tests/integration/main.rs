//! End-to-end tests of the emulator over HTTP: one binary, a module per concern.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary;
mod control;
mod cors;
mod envelope;
mod faults;
mod generate;
mod operator;
mod refresh;
mod support;
mod tcf;
mod tls;
mod validate;
