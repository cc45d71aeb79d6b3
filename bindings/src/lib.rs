//! UniFFI bindings of `euid-core`: naming and conversion only. Every rule lives in the core.
//!
//! The namespace `euid` names the generated modules (`euid.py`, `euid.kt`); the Python package
//! keeps them private in `euid_sdk._native` and the Kotlin ones in `org.euidsdk.internal`, each
//! behind a hand-written idiomatic layer.

uniffi::setup_scaffolding!("euid");

mod client;
mod clock;
mod completion;
mod config;
mod cookie;
mod envelope;
mod error;
mod hashing;
mod lifecycle;
mod logging;
mod manager;
mod raw;
mod store;
mod types;

pub use client::PublisherClient;
pub use clock::OffsetClock;
pub use completion::CompletionQueue;
pub use config::ClientConfig;
pub use error::EuidError;
pub use lifecycle::{Event, Lifecycle};
pub use manager::{IdentityManager, TokenAnswer};
pub use store::{IdentityStore, StatusListener};
pub use types::{DiiInput, DiiType, GenerateOutcome, Identity, RefreshOutcome};
