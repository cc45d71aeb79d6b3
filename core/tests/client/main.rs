//! The async and blocking clients against real HTTP on loopback: the emulator for protocol
//! behaviour and faults, and a recording server for what goes on the wire.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod drift;
mod fault_vectors;
mod faults;
mod generate;
mod manager;
mod manager_vectors;
mod refresh;
mod support;
mod transport;
mod validate;
