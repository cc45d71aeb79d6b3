//! # euid-emulator
//!
//! A local emulator of the EUID operator's publisher endpoints — `/v2/token/generate`,
//! `/v2/token/refresh`, `/v2/token/validate` — faithful to the operator's checks, order,
//! status codes and messages, for end-to-end tests and benchmarks of euid-sdk in Rust,
//! Python and Kotlin. It adds a control API (`/emulator/...`: clock, opt-outs, faults,
//! counters, reset), mirrored by methods of [`Emulator`].
//!
//! ## Getting started
//!
//! ```
//! use euid_emulator::{Emulator, EmulatorConfig, Fault, FaultEndpoint, FaultKind};
//!
//! let emulator = Emulator::start(EmulatorConfig::default())?;
//! // Point the SDK under test at emulator.url() with emulator.api_key() and
//! // emulator.client_secret(). Then, for example:
//! emulator.set_faults(vec![
//!     Fault::new(FaultEndpoint::Generate, FaultKind::Status { status: 503, retry_after: Some(1), body: None })
//!         .times(1),
//! ])?;
//! emulator.advance_clock_ms(31 * 24 * 60 * 60 * 1000); // past every refresh_expires
//! assert_eq!(emulator.counters().generate.requests, 0);
//! # Ok::<(), euid_emulator::EmulatorError>(())
//! ```
//!
//! The binary `euid-emulator` serves the same thing for the Python and Kotlin test suites;
//! see the README for its flags, the control API and how to benchmark it.

mod advertising;
mod charset;
mod clock;
mod codec;
mod config;
mod control;
mod cors;
mod counters;
mod emulator;
mod envelope;
mod error;
mod faults;
mod handlers;
mod identity;
mod optout;
mod paths;
mod process;
mod reply;
mod server;
mod state;
pub mod tcf;
mod tls;
mod tokens;

pub use advertising::TOKEN_LENGTH as ADVERTISING_TOKEN_LENGTH;
pub use config::{
    EmulatorConfig, DEFAULT_DRIFT_THRESHOLD_MINUTES, DEFAULT_IDENTITY_LIFETIME_MS,
    DEFAULT_REFRESH_FROM_MS, DEFAULT_REFRESH_LIFETIME_MS, DEFAULT_TCF_VENDOR_ID,
};
pub use counters::{CountersSnapshot, Endpoint, EndpointCounts};
pub use emulator::Emulator;
pub use envelope::drift_exceeded;
pub use error::EmulatorError;
pub use faults::{Fault, FaultEndpoint, FaultKind};
pub use process::wait_for_stop;
pub use tls::TlsIdentity;
pub use tokens::REFRESH_TOKEN_LENGTH;
